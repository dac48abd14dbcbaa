import { curveCatmullRomClosed, line, polygonHull } from "d3";
import type { Point } from "./layout.ts";

const PAD = 24;
const RING = Array.from({ length: 10 }, (_, i) => (i * 2 * Math.PI) / 10);
const smooth = line<[number, number]>().curve(curveCatmullRomClosed.alpha(0.5));

/** A rounded outline around a compose project's containers; works for one or two members too. */
export function hullPath(points: Point[]): string | null {
  if (points.length === 0) return null;
  const cloud: Array<[number, number]> = [];
  for (const p of points)
    for (const a of RING) cloud.push([p.x + PAD * Math.cos(a), p.y + PAD * Math.sin(a)]);
  const hull = polygonHull(cloud);
  return hull ? smooth(hull) : null;
}

/** Where a project's name goes: just above its topmost member. */
export function hullLabelAnchor(points: Point[]): Point | null {
  if (points.length === 0) return null;
  let top = points[0];
  for (const p of points) if (p.y < top.y) top = p;
  const x = points.reduce((s, p) => s + p.x, 0) / points.length;
  return { x, y: top.y - PAD - 6 };
}
