import type { SimulationLinkDatum, SimulationNodeDatum } from "d3";
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, randomLcg } from "d3";
import type { ExportGraph, ExportLinkKind, ExportNode } from "./graph.ts";

export interface Point {
  x: number;
  y: number;
}

interface SimNode extends SimulationNodeDatum {
  key: string;
  node: ExportNode;
  spread: number;
}

type SimLink = SimulationLinkDatum<SimNode> & { kind: ExportLinkKind };

/** The page's distances and strengths (web/graph/layout.ts), a little roomier: a picture cannot be zoomed. */
const LINK_DISTANCE: Record<ExportLinkKind, number> = {
  interface: 95,
  implicit: 150,
  namespace: 60,
  legacy: 110,
  host: 95,
  published: 160,
};
const LINK_STRENGTH: Record<ExportLinkKind, number> = {
  interface: 0.7,
  implicit: 0.05,
  namespace: 0.9,
  legacy: 0.02,
  host: 0.7,
  published: 0.05,
};
/** Enough for alpha to decay from 1 to d3's alphaMin (0.001) with the default decay. */
export const LAYOUT_TICKS = 300;
const SEED = 0.42;

/** Room a node needs around it: its shape plus its label. */
export function spreadOf(n: ExportNode): number {
  if (n.kind !== "container") return 40;
  return 14 + Math.min(26, Math.min(24, n.label.length) * 1.6);
}

/**
 * A deterministic layout: d3-force seeded and run for a fixed number of ticks, positions rounded to a tenth, so
 * the same graph always lands on the same coordinates.
 */
export function layoutGraph(graph: ExportGraph, ticks = LAYOUT_TICKS): Map<string, Point> {
  const nodes: SimNode[] = graph.nodes.map((node) => ({ key: node.key, node, spread: spreadOf(node) }));
  const links: SimLink[] = graph.links.map((l) => ({ source: l.source, target: l.target, kind: l.kind }));
  const degree = new Map<string, number>();
  for (const l of graph.links) degree.set(l.target, (degree.get(l.target) ?? 0) + 1);
  // Busy hubs get longer spokes, so their members and address labels have room around them.
  const hubDegree = (l: SimLink): number => degree.get((l.target as SimNode).key) ?? 1;
  const centres = groupCentres(nodes);
  const simulation = forceSimulation<SimNode, SimLink>(nodes)
    .randomSource(randomLcg(SEED))
    .force(
      "link",
      forceLink<SimNode, SimLink>(links)
        .id((d) => d.key)
        .distance((l) => LINK_DISTANCE[l.kind] + (l.kind === "interface" ? 7 * Math.sqrt(hubDegree(l)) : 0))
        .strength((l) => LINK_STRENGTH[l.kind]),
    )
    .force(
      "charge",
      forceManyBody<SimNode>()
        .strength((d) => (d.node.kind === "container" ? -220 : -800))
        .distanceMax(600),
    )
    .force(
      "collide",
      forceCollide<SimNode>().radius((d) => d.spread + 6),
    )
    .force("x", forceX<SimNode>(0).strength(0.035))
    .force("y", forceY<SimNode>(0).strength(0.045))
    .stop();
  for (let i = 0; i < ticks; i++) {
    simulation.tick();
    pullGroups(centres, 0.08 * simulation.alpha());
  }
  const round = (v: number | undefined): number => Math.round((v ?? 0) * 10) / 10;
  return new Map(nodes.map((n) => [n.key, { x: round(n.x), y: round(n.y) }]));
}

function groupCentres(nodes: SimNode[]): Map<string, SimNode[]> {
  const out = new Map<string, SimNode[]>();
  for (const n of nodes) {
    const p = n.node.project;
    if (p !== null) out.set(p, [...(out.get(p) ?? []), n]);
  }
  return out;
}

/** Pulls each compose project's containers towards their centre, so the project's outline stays compact. */
function pullGroups(groups: Map<string, SimNode[]>, k: number): void {
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    let cx = 0;
    let cy = 0;
    for (const m of members) {
      cx += m.x ?? 0;
      cy += m.y ?? 0;
    }
    cx /= members.length;
    cy /= members.length;
    for (const m of members) {
      m.vx = (m.vx ?? 0) + (cx - (m.x ?? 0)) * k;
      m.vy = (m.vy ?? 0) + (cy - (m.y ?? 0)) * k;
    }
  }
}
