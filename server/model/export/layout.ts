import type { SimulationNodeDatum } from "d3";
import { forceSimulation, randomLcg } from "d3";
import type { ForceEdge, ForceNode, Graph } from "../graph/index.ts";
import { applyForces, SPACING, spreadOf } from "../graph/index.ts";

export interface Point {
  x: number;
  y: number;
}

/** Enough for alpha to decay from 1 to d3's alphaMin (0.001) with the default decay. */
export const LAYOUT_TICKS = 300;
const SEED = 0.42;

/**
 * A deterministic layout with the page's forces, roomier (`SPACING.picture`): d3-force seeded and run for a
 * fixed number of ticks, positions rounded to a tenth, so the same graph always lands on the same coordinates.
 */
export function layoutGraph(graph: Graph, ticks = LAYOUT_TICKS): Map<string, Point> {
  const nodes: Array<ForceNode & SimulationNodeDatum> = graph.nodes.map((n) => ({
    key: n.key,
    kind: n.kind,
    spread: spreadOf(n),
    // In a fleet a project lives on one machine: the same name on two engines is two clusters.
    group: n.project === null ? null : n.node === null ? n.project : `${n.node}\u0000${n.project}`,
    machine: n.node,
  }));
  const simulation = forceSimulation<ForceNode, ForceEdge>(nodes).randomSource(randomLcg(SEED)).stop();
  applyForces(simulation, SPACING.picture).setLinks(
    graph.links.map((l) => ({ source: l.source, target: l.target, kind: l.kind })),
  );
  simulation.tick(ticks);
  const round = (v: number | undefined): number => Math.round((v ?? 0) * 10) / 10;
  return new Map(nodes.map((n) => [n.key, { x: round(n.x), y: round(n.y) }]));
}
