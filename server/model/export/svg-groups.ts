import { curveCatmullRomClosed, line, polygonHull } from "d3";
import type { GraphGroup } from "../graph/index.ts";
import { middleEllipsis } from "../graph/index.ts";
import { escapeXml } from "../escape/xml.ts";
import type { Point } from "./layout.ts";
import { attrs, textWidth } from "./xml.ts";

const HULL_PAD = 24;
const BOX_PAD = 34;
const RING = Array.from({ length: 10 }, (_, i) => (i * 2 * Math.PI) / 10);
const smooth = line<[number, number]>().curve(curveCatmullRomClosed.alpha(0.5)).digits(1);

/** The drawn extent of the graph, grown as pieces are placed. */
export class Bounds {
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

/** A rounded outline round a compose project's (`data-project`) or a service's (`data-service`) members. */
export function hull(g: GraphGroup, points: Point[], box: Bounds): string {
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
  const text = middleEllipsis(g.name, 40);
  box.add(x, y, textWidth(text, 11) / 2, 8);
  const cls = g.by === "project" ? "hull" : `hull ${g.by}`;
  return [
    `<g${attrs({ class: cls, [`data-${g.by}`]: g.name })}>`,
    d ? `<path${attrs({ d, fill: g.color, stroke: g.color })}/>` : "",
    `<text class="hull-label"${attrs({ x, y, fill: g.color })}>${escapeXml(text)}</text>`,
    `</g>`,
  ].join("");
}

/** A machine's labelled box round what lives on it (`data-node`): its name, then its engine and swarm state. */
export function machineBox(g: GraphGroup, points: Point[], box: Bounds): string {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs) - BOX_PAD;
  const y = Math.min(...ys) - BOX_PAD - 26;
  const width = Math.max(...xs) - Math.min(...xs) + 2 * BOX_PAD;
  // Room below for the members' labels and sub-lines.
  const height = Math.max(...ys) - Math.min(...ys) + 2 * BOX_PAD + 26 + 20;
  const sub = g.sub.map((s) => middleEllipsis(s, 60));
  const widest = Math.max(textWidth(g.label, 12), ...sub.map((s) => textWidth(s, 9.5)));
  const w = Math.max(width, widest + 16);
  box.add(x + w / 2, y + height / 2, w / 2, height / 2);
  return [
    `<g${attrs({ class: "machine", "data-node": g.name })}>`,
    `<rect${attrs({ x, y, width: w, height, rx: 8, fill: g.color, stroke: g.color })}/>`,
    `<text class="machine-label"${attrs({ x: x + 8, y: y + 15, fill: g.color })}>${escapeXml(g.label)}</text>`,
    ...sub.map(
      (s, i) => `<text class="machine-sub"${attrs({ x: x + 8, y: y + 27 + i * 11 })}>${escapeXml(s)}</text>`,
    ),
    `</g>`,
  ].join("");
}
