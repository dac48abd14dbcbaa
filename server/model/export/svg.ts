import { curveCatmullRomClosed, line, polygonHull } from "d3";
import { iccOffMark, NODE_RADIUS, networkShape } from "../graph-style.ts";
import type { GraphLink, GraphNode } from "../graph/index.ts";
import { middleEllipsis } from "../graph/index.ts";
import type { Topology } from "../topology.ts";
import { buildExportGraph } from "./graph.ts";
import type { Point } from "./layout.ts";
import { layoutGraph } from "./layout.ts";
import { LEGEND_WIDTH, noNetworkMark, svgLegend } from "./svg-legend.ts";
import { svgStyle } from "./svg-style.ts";
import type { ExportOptions, ExportView } from "./view.ts";
import { countVerdicts, exportView } from "./view.ts";
import { escapeXml } from "../escape/xml.ts";
import { attrs, fmt, textWidth } from "./xml.ts";

const MARGIN = 24;
const TITLE_HEIGHT = 58;
const GAP = 24;
const HULL_PAD = 24;
const MAX_LINK_LABEL = 48;
const RING = Array.from({ length: 10 }, (_, i) => (i * 2 * Math.PI) / 10);
const smooth = line<[number, number]>().curve(curveCatmullRomClosed.alpha(0.5)).digits(1);

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
  const hulls = graph.groups.map((g) => hull(g.members.map(pos), g.name, g.color, box));
  const links = graph.links.map((l) => linkMarkup(l, pos(l.source), pos(l.target), box));
  const nodes = graph.nodes.map((n) => nodeMarkup(n, pos(n.key), box));
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
    `<style>\n${svgStyle()}\n</style>`,
    `<rect class="bg"${attrs({ width, height })}/>`,
    `<text class="title"${attrs({ x: MARGIN, y: 30 })}>${escapeXml(view.title)}</text>`,
    `<text class="subtitle"${attrs({ x: MARGIN, y: 48 })}>${escapeXml(view.subtitle)}</text>`,
    `<g class="graph"${attrs({ transform: `translate(${fmt(dx)},${fmt(dy)})` })}>`,
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

/** The drawn extent of the graph, grown as pieces are placed. */
class Bounds {
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;
  add(x: number, y: number, halfW: number, halfH: number): void {
    this.minX = Math.min(this.minX, x - halfW);
    this.maxX = Math.max(this.maxX, x + halfW);
    this.minY = Math.min(this.minY, y - halfH);
    this.maxY = Math.max(this.maxY, y + halfH);
  }
  empty(): boolean {
    return this.minX === Infinity;
  }
}

function hull(points: Point[], project: string, color: string, box: Bounds): string {
  const cloud: Array<[number, number]> = [];
  for (const p of points)
    for (const a of RING) cloud.push([p.x + HULL_PAD * Math.cos(a), p.y + HULL_PAD * Math.sin(a)]);
  const shape = polygonHull(cloud);
  const d = shape ? smooth(shape) : null;
  for (const [x, y] of cloud) box.add(x, y, 2, 2);
  let top = points[0];
  for (const p of points) if (p.y < top.y) top = p;
  const x = points.reduce((s, p) => s + p.x, 0) / points.length;
  const y = top.y - HULL_PAD - 6;
  const text = middleEllipsis(project, 40);
  box.add(x, y, textWidth(text, 11) / 2, 8);
  return [
    `<g class="hull"${attrs({ "data-project": project })}>`,
    d ? `<path${attrs({ d, fill: color, stroke: color })}/>` : "",
    `<text class="hull-label"${attrs({ x, y, fill: color })}>${escapeXml(text)}</text>`,
    `</g>`,
  ].join("");
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

function nodeMarkup(n: GraphNode, p: Point, box: Bounds): string {
  const container = n.kind === "container";
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
  const shape = container
    ? `<circle class="shape"${attrs({ r })}/>`
    : `<path class="shape"${attrs({ d: networkShape(n.style ?? "bridge", r) })}/>`;
  const label = n.label;
  const parts = [
    `<g${attrs({ class: cls, "data-kind": n.kind, "data-name": n.name, transform: `translate(${fmt(p.x)},${fmt(p.y)})` })}>`,
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
