import { iccOffMark, NODE_RADIUS, networkShape } from "../graph-style.ts";
import type { GraphGroup, GraphLink, GraphNode } from "../graph/index.ts";
import { serviceColours } from "./clusters.ts";
import { middleEllipsis } from "../graph/index.ts";
import type { Topology } from "../topology.ts";
import { buildExportGraph } from "./graph.ts";
import type { Point } from "./layout.ts";
import { layoutGraph } from "./layout.ts";
import { LEGEND_WIDTH, noNetworkMark, svgLegend } from "./svg-legend.ts";
import { Bounds, hull, machineBox } from "./svg-groups.ts";
import { svgStyle } from "./svg-style.ts";
import type { ExportOptions, ExportView } from "./view.ts";
import { countVerdicts, exportView } from "./view.ts";
import { escapeXml } from "../escape/xml.ts";
import { attrs, fmt, textWidth } from "./xml.ts";

const MARGIN = 24;
const TITLE_HEIGHT = 58;
const GAP = 24;
const MAX_LINK_LABEL = 48;

/**
 * The topology as a standalone SVG document: network hubs, containers, the host, compose outlines, a title and
 * a legend. Deterministic: the same topology and options give byte-identical output.
 */
export function exportSvg(topology: Topology, options: ExportOptions = {}): string {
  return renderSvg(exportView(topology, options));
}

/** `exportSvg` for an already built view. */
export function renderSvg(view: ExportView): string {
  const graph = buildExportGraph(view);
  const at = layoutGraph(graph);
  const pos = (key: string): Point => at.get(key) ?? { x: 0, y: 0 };
  const box = new Bounds();
  // As in DOT and Mermaid, a service is outlined only on one machine; across machines its tasks' labels say it.
  const drawn = (g: GraphGroup): boolean =>
    g.members.length > 0 && (g.by !== "service" || (!g.collapsed && g.parent !== null));
  const machines = graph.groups
    .filter((g) => g.by === "node")
    .map((g) => machineBox(g, g.members.map(pos), box));
  const hulls = graph.groups
    .filter((g) => g.by !== "node" && drawn(g))
    .map((g) => hull(g, g.members.map(pos), box));
  const colours = serviceColours(graph.groups);
  const links = graph.links.map((l) => linkMarkup(l, pos(l.source), pos(l.target), box));
  const nodes = graph.nodes.map((n) => nodeMarkup(n, pos(n.key), box, colours));
  const legend = svgLegend(graph, countVerdicts(view));
  if (box.empty()) box.add(0, 0, 0, 0);
  const graphW = box.maxX - box.minX;
  const graphH = box.maxY - box.minY;
  const titleW = Math.max(textWidth(view.title, 18), textWidth(view.subtitle, 11));
  const width = Math.ceil(Math.max(MARGIN + graphW + GAP + LEGEND_WIDTH + MARGIN, titleW + 2 * MARGIN));
  const height = Math.ceil(TITLE_HEIGHT + Math.max(graphH, legend.height) + 2 * MARGIN);
  const dx = MARGIN - box.minX;
  const dy = TITLE_HEIGHT + MARGIN - box.minY;
  const legendX = width - MARGIN - LEGEND_WIDTH;
  const desc = `${graph.nodes.filter((n) => n.kind === "container").length} containers, ${graph.nodes.filter((n) => n.kind === "network").length} networks`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "rg-title rg-desc" })}>`,
    `<title id="rg-title">${escapeXml(view.title)}</title>`,
    `<desc id="rg-desc">${escapeXml(`${desc}. ${view.subtitle}`)}</desc>`,
    `<style>\n${svgStyle(machines.length > 0)}\n</style>`,
    `<rect class="bg"${attrs({ width, height })}/>`,
    `<text class="title"${attrs({ x: MARGIN, y: 30 })}>${escapeXml(view.title)}</text>`,
    `<text class="subtitle"${attrs({ x: MARGIN, y: 48 })}>${escapeXml(view.subtitle)}</text>`,
    `<g class="graph"${attrs({ transform: `translate(${fmt(dx)},${fmt(dy)})` })}>`,
    ...(machines.length ? [`<g class="machines">`, ...machines, `</g>`] : []),
    `<g class="hulls">`,
    ...hulls,
    `</g>`,
    `<g class="links">`,
    ...links.map((l) => l.line),
    `</g>`,
    `<g class="link-labels">`,
    ...links.map((l) => l.label).filter(Boolean),
    `</g>`,
    `<g class="nodes">`,
    ...nodes,
    `</g>`,
    `</g>`,
    `<g class="legend"${attrs({ transform: `translate(${legendX},${TITLE_HEIGHT + MARGIN})` })}>`,
    legend.markup,
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

function linkMarkup(l: GraphLink, a: Point, b: Point, box: Bounds): { line: string; label: string } {
  const cls = `link ${l.kind}${l.down ? " down" : ""}`;
  const lineTag = `<line${attrs({ class: cls, "data-kind": l.kind, x1: a.x, y1: a.y, x2: b.x, y2: b.y })}/>`;
  if (!l.label) return { line: lineTag, label: "" };
  const text = middleEllipsis(l.label, MAX_LINK_LABEL);
  // Interface labels sit nearer the container (the target), so a busy hub's addresses do not pile up.
  const t = l.kind === "interface" || l.kind === "implicit" ? 0.6 : 0.5;
  const x = a.x + (b.x - a.x) * t;
  const y = a.y + (b.y - a.y) * t;
  box.add(x, y, textWidth(text, 9.5) / 2, 7);
  const labelCls = `link-label ${l.kind}${l.down ? " down" : ""}`;
  return { line: lineTag, label: `<text${attrs({ class: labelCls, x, y })}>${escapeXml(text)}</text>` };
}

function nodeMarkup(n: GraphNode, p: Point, box: Bounds, colours: Map<string, string>): string {
  const container = n.kind === "container" || n.kind === "service";
  const r = NODE_RADIUS[n.kind];
  const cls = [
    "node",
    n.kind,
    n.style ? `net-${n.style}` : "",
    n.state ? `state-${n.state}` : "",
    n.internal ? "internal" : "",
    n.iccOff ? "icc-off" : "",
    n.joiner ? "joiner" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const colour = colours.get(n.service ?? "");
  const shape =
    n.kind === "service"
      ? `<rect class="svc-shape"${attrs({ x: -1.6 * r, y: -r, width: 3.2 * r, height: 2 * r, rx: r, fill: colour, stroke: colour })}/>`
      : container
        ? `<circle class="shape"${attrs({ r })}/>`
        : `<path class="shape"${attrs({ d: networkShape(n.style ?? "bridge", r) })}/>`;
  const label = n.label;
  const parts = [
    `<g${attrs({ class: cls, "data-kind": n.kind, "data-name": n.name, "data-node": n.node ?? undefined, transform: `translate(${fmt(p.x)},${fmt(p.y)})` })}>`,
    `<title>${escapeXml([n.name, ...n.sub].join("\n"))}</title>`,
    shape,
    n.iccOff ? `<path class="icc-mark"${attrs({ d: iccOffMark(r) })}/>` : "",
    n.noNetwork ? noNetworkMark(r, -r) : "",
    `<text class="label"${attrs({ y: r + 13 })}>${escapeXml(label)}</text>`,
    ...n.sub.map(
      (s, i) =>
        `<text class="sub"${attrs({ y: r + 25 + i * 11 })}>${escapeXml(middleEllipsis(s, MAX_LINK_LABEL))}</text>`,
    ),
    `</g>`,
  ];
  const widest = Math.max(
    r,
    textWidth(label, container ? 11 : 12) / 2,
    ...n.sub.map((s) => textWidth(middleEllipsis(s, MAX_LINK_LABEL), 9.5) / 2),
  );
  box.add(p.x, p.y, widest + 3, r + 2);
  box.add(p.x, p.y + r + 18 + n.sub.length * 11, widest + 3, 4);
  return parts.filter(Boolean).join("");
}
