import type { Force, Simulation, SimulationLinkDatum, SimulationNodeDatum } from "d3";
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, randomLcg } from "d3";
import type { LayoutLink, LayoutNode } from "./layout-protocol.ts";
import type { LinkKind, NodeKind } from "./model.ts";

interface SimNode extends SimulationNodeDatum {
  key: string;
  kind: NodeKind;
  radius: number;
  spread: number;
  group: string | null;
}

type SimLink = SimulationLinkDatum<SimNode> & { key: string; kind: LinkKind };

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

const LINK_DISTANCE: Record<LinkKind, number> = { interface: 80, implicit: 130, namespace: 50, legacy: 90 };
const LINK_STRENGTH: Record<LinkKind, number> = {
  interface: 0.7,
  implicit: 0.05,
  namespace: 0.9,
  legacy: 0.02,
};

const BIG_LAYOUT = 1500;

/** A seeded d3-force layout keyed by stable node keys. */
export function createForceLayout(seed = 0.42): ForceLayout {
  const nodes = new Map<string, SimNode>();
  let order: SimNode[] = [];
  const degree = new Map<string, number>();
  // Busy hubs get longer spokes, so their members and address labels have room around them.
  const hubDegree = (l: SimLink): number => degree.get((l.source as SimNode).key) ?? 1;
  const links = forceLink<SimNode, SimLink>([])
    .id((d) => d.key)
    .distance((l) => LINK_DISTANCE[l.kind] + (l.kind === "interface" ? 7 * Math.sqrt(hubDegree(l)) : 0))
    .strength((l) => LINK_STRENGTH[l.kind]);
  const charge = forceManyBody<SimNode>()
    .strength((d) => (d.kind === "network" ? -480 : -140))
    .distanceMax(600);
  const simulation: Simulation<SimNode, SimLink> = forceSimulation<SimNode, SimLink>([])
    .randomSource(randomLcg(seed))
    .force("link", links)
    .force("charge", charge)
    .force(
      "collide",
      forceCollide<SimNode>().radius((d) => d.spread),
    )
    .force("group", groupForce(0.08))
    .force("x", forceX<SimNode>(0).strength(0.035))
    .force("y", forceY<SimNode>(0).strength(0.045))
    .stop();

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
      charge.theta(big ? 1.2 : 0.9);
      simulation.nodes(order);
      const live = nextLinks.filter((l) => nodes.has(l.source) && nodes.has(l.target));
      degree.clear();
      for (const l of live) degree.set(l.source, (degree.get(l.source) ?? 0) + 1);
      links.links(live.map((l) => ({ key: l.key, kind: l.kind, source: l.source, target: l.target })));
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

/** Pulls containers of one compose project towards their common centre, so the project reads as a cluster. */
function groupForce(strength: number): Force<SimNode, SimLink> {
  let members: SimNode[] = [];
  const force = (alpha: number): void => {
    const centres = new Map<string, { x: number; y: number; n: number }>();
    for (const d of members) {
      const c = centres.get(d.group as string) ?? { x: 0, y: 0, n: 0 };
      c.x += d.x ?? 0;
      c.y += d.y ?? 0;
      c.n += 1;
      centres.set(d.group as string, c);
    }
    for (const d of members) {
      const c = centres.get(d.group as string);
      if (!c || c.n < 2) continue;
      d.vx = (d.vx ?? 0) + (c.x / c.n - (d.x ?? 0)) * strength * alpha;
      d.vy = (d.vy ?? 0) + (c.y / c.n - (d.y ?? 0)) * strength * alpha;
    }
  };
  force.initialize = (all: SimNode[]) => {
    members = all.filter((d) => d.group !== null);
  };
  return force;
}
