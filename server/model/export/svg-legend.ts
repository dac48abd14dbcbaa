import type { NetworkStyle } from "../graph-style.ts";
import {
  CONTAINER_STATES,
  DOWN_LINK,
  GROUP_STYLES,
  iccOffMark,
  INK,
  LINK_KINDS,
  LINK_STYLES,
  NETWORK_KINDS,
  NETWORK_STYLES,
  networkShape,
} from "../graph-style.ts";
import type { Graph } from "../graph/index.ts";
import { middleEllipsis } from "../graph/index.ts";
import type { VerdictCounts } from "./view.ts";
import { escapeXml } from "../escape/xml.ts";
import { attrs } from "./xml.ts";

export const LEGEND_WIDTH = 260;
const ROW = 18;
const PAD = 12;

/** The legend box: only what the graph shows, then the verdict counts. Returns its markup and height. */
export function svgLegend(graph: Graph, counts: VerdictCounts): { markup: string; height: number } {
  const rows: string[] = [];
  let y = PAD + ROW / 2;
  const heading = (text: string): void => {
    rows.push(`<text class="heading"${attrs({ x: PAD, y })}>${escapeXml(text)}</text>`);
    y += ROW;
  };
  const item = (swatch: string, text: string): void => {
    rows.push(`<g${attrs({ transform: `translate(${PAD + 10},${y})` })}>${swatch}</g>`);
    rows.push(`<text${attrs({ x: PAD + 28, y })}>${escapeXml(text)}</text>`);
    y += ROW;
  };
  const line = (text: string): void => {
    rows.push(`<text${attrs({ x: PAD, y })}>${escapeXml(text)}</text>`);
    y += ROW - 3;
  };
  const hubs = graph.nodes.filter((n) => n.kind === "network" || n.kind === "host");
  const containers = graph.nodes.filter((n) => n.kind === "container");
  const projects = graph.groups.filter((g) => g.by === "project");
  const machines = graph.groups.filter((g) => g.by === "node");
  const services = graph.groups.filter((g) => g.by === "service");
  heading("Networks");
  for (const s of NETWORK_KINDS.filter((s) => hubs.some((n) => n.style === s)))
    item(hub(s, ""), NETWORK_STYLES[s].label);
  if (hubs.some((n) => n.internal)) item(hub("bridge", "internal"), "internal: no traffic in or out (INT-2)");
  if (hubs.some((n) => n.iccOff)) item(hub("bridge", "icc"), "icc off: members isolated (ICC-1)");
  if (containers.length) heading("Containers");
  for (const s of CONTAINER_STATES.filter((s) => containers.some((n) => n.state === s)))
    item(`<g class="node container state-${s}"><circle class="shape" r="6"/></g>`, s);
  if (containers.some((n) => n.noNetwork))
    item(`<g class="node container">${noNetworkMark(0, 0)}</g>`, "no network (--network none, NO-1)");
  if (containers.some((n) => n.joiner))
    item(
      `<g class="node container joiner state-running"><circle class="shape" r="6"/></g>`,
      "in another's netns (CN-1)",
    );
  const kinds = new Set(graph.links.filter((l) => !l.down).map((l) => l.kind));
  if (kinds.size || graph.links.some((l) => l.down)) heading("Edges");
  for (const kind of LINK_KINDS.filter((k) => kinds.has(k)))
    item(
      `<line${attrs({ class: `link ${kind}`, x1: -10, y1: 0, x2: 10, y2: 0 })}/>`,
      LINK_STYLES[kind].legend,
    );
  if (graph.links.some((l) => l.down))
    item(
      `<line${attrs({ class: "link interface down", x1: -10, y1: 0, x2: 10, y2: 0 })}/>`,
      DOWN_LINK.legend,
    );
  if (machines.length) {
    heading("Fleet");
    const c = GROUP_STYLES.node.color;
    item(
      `<rect${attrs({ class: "legend-machine", x: -9, y: -6, width: 18, height: 12, rx: 3, fill: c, "fill-opacity": 0.08, stroke: c })}/>`,
      `${GROUP_STYLES.node.legend}: ${machines.length}`,
    );
    const boxed = services.filter((g) => !g.collapsed && g.parent !== null);
    if (boxed.length)
      item(
        `<rect${attrs({ x: -8, y: -6, width: 16, height: 12, rx: 6, fill: "none", stroke: INK.muted, "stroke-dasharray": "4 2" })}/>`,
        `${GROUP_STYLES.service.legend}, on one machine: ${boxed.length}`,
      );
    if (services.some((g) => g.collapsed))
      item(
        `<rect${attrs({ x: -9, y: -5, width: 18, height: 10, rx: 5, fill: INK.muted, "fill-opacity": 0.3, stroke: INK.muted })}/>`,
        "swarm service, collapsed",
      );
  }
  if (projects.length) heading("Compose projects");
  for (const g of [...new Map(projects.map((p) => [p.name, p])).values()])
    item(
      `<rect${attrs({ x: -8, y: -6, width: 16, height: 12, rx: 4, fill: g.color, "fill-opacity": 0.25, stroke: g.color })}/>`,
      middleEllipsis(g.name, 32),
    );
  heading("Reachability");
  line("Containers on one hub reach each other,");
  line("unless it shows icc off (ICC-1); networks");
  line("are isolated from each other (UB-8).");
  line(`✓ ${counts.reachable} reachable · ✗ ${counts.blocked} blocked · ? ${counts.unknown} unknown`);
  const height = y + PAD - ROW / 2;
  const box = `<rect class="legend-box"${attrs({ width: LEGEND_WIDTH, height, rx: 6 })}/>`;
  return { markup: `${box}\n${rows.join("\n")}`, height };
}

function hub(style: NetworkStyle, flag: "" | "internal" | "icc"): string {
  const r = 7;
  const cls = `node network net-${style}${flag === "internal" ? " internal" : ""}`;
  const mark = flag === "icc" ? `<path class="icc-mark"${attrs({ d: iccOffMark(r) })}/>` : "";
  return `<g class="${cls}"><path class="shape"${attrs({ d: networkShape(style, r) })}/>${mark}</g>`;
}

/** NO-1: a small "no entry" sign beside a container with only lo. */
export function noNetworkMark(x: number, y: number): string {
  return `<g class="no-net"${attrs({ transform: `translate(${x},${y})` })}><circle r="4.5"/><path d="M-3,3L3,-3"/></g>`;
}
