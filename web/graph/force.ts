import type { ForceX, ForceY, Simulation } from "d3";
import { forceSimulation, randomLcg } from "d3";
import type { ForceEdge, ForceNode } from "../../server/model/graph/index.ts";
import { applyForces, SPACING } from "../../server/model/graph/index.ts";
import { laneForce } from "../fleet/lane-force.ts";
import type { LayoutLink, LayoutNode } from "./layout-protocol.ts";

type SimNode = ForceNode & LayoutNode;
type SimLink = ForceEdge & { key: string };

/** The d3-force physics of the graph, without timers or DOM: the layout worker drives it. */
export interface ForceLayout {
  /** Replaces nodes and links; a surviving key keeps its position, a new one starts at `xy[2i], xy[2i+1]`. */
  update(nodes: LayoutNode[], links: LayoutLink[], xy: Float32Array): { fresh: boolean };
  tick(count?: number): void;
  settled(): boolean;
  /** Heats the layout to at least `alpha`. */
  reheat(alpha: number): void;
  pin(key: string, point: { x: number; y: number } | null): void;
  /** Positions in the order of the last `update`, as x, y pairs. */
  positions(): Float32Array;
  ticksToSettle(): number;
}

const BIG_LAYOUT = 1500;

/** A seeded d3-force layout keyed by stable node keys. */
export function createForceLayout(seed = 0.42): ForceLayout {
  const nodes = new Map<string, SimNode>();
  let order: SimNode[] = [];
  const simulation: Simulation<ForceNode, SimLink> = forceSimulation<ForceNode, SimLink>([])
    .randomSource(randomLcg(seed))
    .stop();
  // The page's forces are the exports' (server/model/graph/force.ts), at the page's spacing.
  const forces = applyForces(simulation, SPACING.page);
  // A fleet: a node with a tile is centred on its tile instead of on the origin (web/fleet/lane-force.ts).
  for (const axis of ["x", "y"] as const) {
    const centring = simulation.force(axis) as ForceX<ForceNode> | ForceY<ForceNode>;
    const base = centring.strength();
    centring.strength((d, i, all) => ((d as SimNode).box ? 0 : base(d, i, all)));
  }
  simulation.force("lane", laneForce<SimNode>() as never);

  const settled = (): boolean => simulation.alpha() < simulation.alphaMin() && simulation.alphaTarget() === 0;

  return {
    update(next, nextLinks, xy) {
      const fresh = nodes.size === 0;
      const keep = new Set(next.map((n) => n.key));
      for (const key of [...nodes.keys()]) if (!keep.has(key)) nodes.delete(key);
      order = next.map((n, i) => {
        const existing = nodes.get(n.key);
        if (existing) return Object.assign(existing, n);
        const created: SimNode = { ...n, x: xy[2 * i], y: xy[2 * i + 1] };
        nodes.set(n.key, created);
        return created;
      });
      // Big graphs cool in half the ticks with a coarser Barnes-Hut: each tick costs ~100 ms at 5,000 nodes.
      const big = order.length > BIG_LAYOUT;
      simulation.alphaDecay(1 - Math.pow(simulation.alphaMin(), 1 / (big ? 150 : 300)));
      forces.charge.theta(big ? 1.2 : 0.9);
      simulation.nodes(order);
      const live = nextLinks.filter((l) => nodes.has(l.source) && nodes.has(l.target));
      forces.setLinks(live.map((l) => ({ key: l.key, kind: l.kind, source: l.source, target: l.target })));
      return { fresh };
    },
    tick(count = 1) {
      simulation.tick(count);
    },
    settled,
    reheat(alpha) {
      simulation.alpha(Math.max(simulation.alpha(), alpha));
    },
    pin(key, point) {
      const n = nodes.get(key);
      if (!n) return;
      n.fx = point?.x ?? null;
      n.fy = point?.y ?? null;
      simulation.alphaTarget(point ? 0.1 : 0);
    },
    positions() {
      const out = new Float32Array(order.length * 2);
      for (let i = 0; i < order.length; i++) {
        out[2 * i] = order[i].x ?? 0;
        out[2 * i + 1] = order[i].y ?? 0;
      }
      return out;
    },
    ticksToSettle() {
      return Math.ceil(
        Math.log(simulation.alphaMin() / Math.max(simulation.alpha(), simulation.alphaMin())) /
          Math.log(1 - simulation.alphaDecay()),
      );
    },
  };
}
