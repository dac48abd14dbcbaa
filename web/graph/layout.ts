import type { Force, Simulation, SimulationLinkDatum, SimulationNodeDatum } from "d3";
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, randomLcg } from "d3";
import type { LinkKind, NodeKind } from "./model.ts";

/** What the physics needs to know about a node; plain data so the layout can move into a Worker. */
export interface LayoutNode {
  key: string;
  kind: NodeKind;
  radius: number;
  spread: number;
  group: string | null;
  near: string | null;
}

export interface LayoutLink {
  key: string;
  kind: LinkKind;
  source: string;
  target: string;
}

export interface Point {
  x: number;
  y: number;
}

interface SimNode extends SimulationNodeDatum {
  key: string;
  kind: NodeKind;
  radius: number;
  spread: number;
  group: string | null;
}

type SimLink = SimulationLinkDatum<SimNode> & { key: string; kind: LinkKind };

export interface Layout {
  /** Replaces the node and link sets, keeping the position of every node whose key survives. */
  update(nodes: LayoutNode[], links: LayoutLink[]): void;
  /** Current position of a node. */
  position(key: string): Point | undefined;
  /** Pins a node (while dragging) or releases it with `null`. */
  pin(key: string, point: Point | null): void;
  /** Adds a listener called after each frame of ticks. */
  onTick(callback: () => void): void;
  /** Adds a listener called when the layout comes to rest. */
  onSettled(callback: () => void): void;
  stop(): void;
}

const LINK_DISTANCE: Record<LinkKind, number> = { interface: 80, implicit: 130, namespace: 50, legacy: 90 };
const LINK_STRENGTH: Record<LinkKind, number> = {
  interface: 0.7,
  implicit: 0.05,
  namespace: 0.9,
  legacy: 0.02,
};
/** Gentle reheat for deltas: nodes drift into place, the picture never re-lays out from scratch. */
const REHEAT_ALPHA = 0.3;
/** Below this many nodes the first layout is computed before the first paint, so it does not fly in. */
const PRESETTLE_LIMIT = 1500;
const TICK_MS = 1000 / 60;
const MAX_TICK_BUDGET_MS = 250;

/** A seeded d3-force layout keyed by stable node keys. */
export function createLayout(): Layout {
  const nodes = new Map<string, SimNode>();
  const placedNear = new Map<string, number>();
  const random = randomLcg(0.42);
  const tickListeners: Array<() => void> = [];
  const settledListeners: Array<() => void> = [];
  const tickCallback = (): void => tickListeners.forEach((f) => f());
  const settledCallback = (): void => settledListeners.forEach((f) => f());

  const degree = new Map<string, number>();
  // Busy hubs get longer spokes, so their members and address labels have room around them.
  const hubDegree = (l: SimLink): number => degree.get((l.source as SimNode).key) ?? 1;
  const links = forceLink<SimNode, SimLink>([])
    .id((d) => d.key)
    .distance((l) => LINK_DISTANCE[l.kind] + (l.kind === "interface" ? 7 * Math.sqrt(hubDegree(l)) : 0))
    .strength((l) => LINK_STRENGTH[l.kind]);
  const simulation: Simulation<SimNode, SimLink> = forceSimulation<SimNode, SimLink>([])
    .randomSource(random)
    .force("link", links)
    .force(
      "charge",
      forceManyBody<SimNode>()
        .strength((d) => (d.kind === "network" ? -480 : -140))
        .distanceMax(600),
    )
    .force(
      "collide",
      forceCollide<SimNode>().radius((d) => d.spread),
    )
    .force("group", groupForce(0.08))
    .force("x", forceX<SimNode>(0).strength(0.035))
    .force("y", forceY<SimNode>(0).strength(0.045))
    .stop();

  // Our own frame loop instead of d3's timer: the simulation advances at ~60 ticks per second of wall time, so
  // a big graph whose SVG repaint takes 300 ms runs ~18 ticks per frame instead of crawling at one.
  let frame: number | null = null;
  let lastFrameAt = 0;
  function loop(now: number): void {
    const wanted = Math.max(1, Math.round((now - lastFrameAt) / TICK_MS));
    lastFrameAt = now;
    const start = performance.now();
    for (let i = 0; i < wanted && !settled() && performance.now() - start < MAX_TICK_BUDGET_MS; i++) {
      simulation.tick();
    }
    tickCallback();
    if (settled()) {
      frame = null;
      settledCallback();
    } else {
      frame = requestAnimationFrame(loop);
    }
  }
  const settled = (): boolean => simulation.alpha() < simulation.alphaMin() && simulation.alphaTarget() === 0;
  function run(): void {
    if (frame !== null) return;
    lastFrameAt = performance.now();
    frame = requestAnimationFrame(loop);
  }

  function place(n: LayoutNode, index: number): SimNode {
    const anchor = n.near ? nodes.get(n.near) : undefined;
    if (anchor?.x !== undefined && anchor.y !== undefined) {
      // Members spread out with their count, so a hub with 500 members does not start as one knot.
      const nth = (placedNear.get(anchor.key) ?? 0) + 1;
      placedNear.set(anchor.key, nth);
      const angle = random() * 2 * Math.PI;
      const d = 30 + 14 * Math.sqrt(nth) * (0.8 + 0.4 * random());
      return { ...n, x: anchor.x + d * Math.cos(angle), y: anchor.y + d * Math.sin(angle) };
    }
    // Phyllotaxis spiral, as d3-force does, but continuing after the nodes already placed; hubs sit wider apart.
    const i = nodes.size + index;
    const r = (n.kind === "network" ? 60 : 12) * Math.sqrt(0.5 + i);
    const a = i * Math.PI * (3 - Math.sqrt(5));
    return { ...n, x: r * Math.cos(a), y: r * Math.sin(a) };
  }

  return {
    update(next, nextLinks) {
      const fresh = nodes.size === 0;
      placedNear.clear();
      const keep = new Set(next.map((n) => n.key));
      for (const key of [...nodes.keys()]) if (!keep.has(key)) nodes.delete(key);
      // Networks first, so new containers can appear next to their network.
      const ordered = [...next].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "network" ? -1 : 1));
      let added = 0;
      for (const n of ordered) {
        const existing = nodes.get(n.key);
        if (existing)
          Object.assign(existing, { kind: n.kind, radius: n.radius, spread: n.spread, group: n.group });
        else nodes.set(n.key, place(n, added++));
      }
      simulation.nodes([...nodes.values()]);
      const live = nextLinks.filter((l) => nodes.has(l.source) && nodes.has(l.target));
      degree.clear();
      for (const l of live) degree.set(l.source, (degree.get(l.source) ?? 0) + 1);
      links.links(live.map((l) => ({ key: l.key, kind: l.kind, source: l.source, target: l.target })));
      if (fresh && nodes.size <= PRESETTLE_LIMIT) {
        simulation.alpha(1);
        const ticks = Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay()));
        simulation.tick(ticks);
        tickCallback();
        settledCallback();
        return;
      }
      simulation.alpha(fresh ? 1 : Math.max(simulation.alpha(), REHEAT_ALPHA));
      run();
    },
    position(key) {
      const n = nodes.get(key);
      return n && n.x !== undefined && n.y !== undefined ? { x: n.x, y: n.y } : undefined;
    },
    pin(key, point) {
      const n = nodes.get(key);
      if (!n) return;
      n.fx = point?.x ?? null;
      n.fy = point?.y ?? null;
      simulation.alphaTarget(point ? 0.1 : 0);
      if (point) run();
    },
    onTick(callback) {
      tickListeners.push(callback);
    },
    onSettled(callback) {
      settledListeners.push(callback);
    },
    stop() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
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
