import type {
  Force,
  ForceLink,
  ForceManyBody,
  Simulation,
  SimulationLinkDatum,
  SimulationNodeDatum,
} from "d3";
import { forceCollide, forceLink, forceManyBody, forceX, forceY } from "d3";
import type { LinkKind, NodeKind } from "./types.ts";

/** What the physics reads of a node. */
export interface ForceNode extends SimulationNodeDatum {
  key: string;
  kind: NodeKind;
  /** Collision radius: the shape plus room for its label (`spreadOf`). */
  spread: number;
  group: string | null;
  /** Fleet topologies: the machine it lives on (`GraphNode.node`); each machine gets a lane of its own. */
  machine?: string | null;
}

export type ForceEdge = SimulationLinkDatum<ForceNode> & { kind: LinkKind };

/**
 * Room between nodes. The page can be zoomed; a picture cannot, so exports lay out a little roomier. Distances
 * and collision radii scale with the factor, charges with its square (so the balance of forces is unchanged).
 */
export const SPACING = { page: 1, picture: 1.2 } as const;

const LINK_DISTANCE: Record<LinkKind, number> = {
  interface: 80,
  implicit: 130,
  namespace: 50,
  legacy: 90,
  host: 80,
  published: 135,
};
const LINK_STRENGTH: Record<LinkKind, number> = {
  interface: 0.7,
  implicit: 0.05,
  namespace: 0.9,
  legacy: 0.02,
  host: 0.7,
  published: 0.05,
};
const CHARGE: Record<NodeKind, number> = { network: -480, host: -480, container: -140, service: -300 };
const GROUP_PULL = 0.08;
const LANE_PULL = 0.25;
/** A lane's width per unit of its members' spread (the square root of their summed areas). */
const LANE_ROOM = 3.2;
/** Room between two machines' lanes, and between the lanes and the row of what spans them. */
const LANE_GAP = 90;
const ROW_GAP = 70;

/** Room a node needs around it: its shape plus its (already shortened) label. */
export function spreadOf(node: { kind: NodeKind; label: string }): number {
  if (node.kind !== "container") return 40;
  return 14 + Math.min(26, node.label.length * 1.6);
}

/** The forces of a simulation, and how to hand it edges (link distances depend on hub degrees). */
export interface Forces<L extends ForceEdge> {
  link: ForceLink<ForceNode, L>;
  charge: ForceManyBody<ForceNode>;
  /** Replaces the edges; a hub's degree is counted on the edges' `source` side. */
  setLinks(links: L[]): void;
}

/** Installs the one force configuration on `simulation`: page layout and export layout both use it. */
export function applyForces<L extends ForceEdge>(
  simulation: Simulation<ForceNode, L>,
  spacing: number,
): Forces<L> {
  const degree = new Map<string, number>();
  const keyOf = (end: ForceEdge["source"]): string => (typeof end === "object" ? end.key : String(end));
  // Busy hubs get longer spokes, so their members and address labels have room around them.
  const link = forceLink<ForceNode, L>([])
    .id((d) => d.key)
    .distance(
      (l) =>
        spacing *
        (LINK_DISTANCE[l.kind] +
          (l.kind === "interface" ? 7 * Math.sqrt(degree.get(keyOf(l.source)) ?? 1) : 0)),
    )
    .strength((l) => LINK_STRENGTH[l.kind]);
  const charge = forceManyBody<ForceNode>()
    .strength((d) => CHARGE[d.kind] * spacing * spacing)
    .distanceMax(600 * spacing);
  simulation
    .force("link", link)
    .force("charge", charge)
    .force(
      "collide",
      forceCollide<ForceNode>().radius((d) => d.spread * spacing),
    )
    .force("group", groupForce(GROUP_PULL))
    .force("lane", laneForce(LANE_PULL, spacing))
    .force("x", forceX<ForceNode>(0).strength(0.035))
    .force("y", forceY<ForceNode>(0).strength(0.045));
  return {
    link,
    charge,
    setLinks(links) {
      degree.clear();
      for (const l of links) degree.set(keyOf(l.source), (degree.get(keyOf(l.source)) ?? 0) + 1);
      link.links(links);
    },
  };
}

/** Pulls containers of one compose project towards their common centre, so the project reads as a cluster. */
function groupForce(strength: number): Force<ForceNode, ForceEdge> {
  let members: ForceNode[] = [];
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
  force.initialize = (all: ForceNode[]) => {
    members = all.filter((d) => d.group !== null);
  };
  return force;
}

/**
 * A fleet's machines side by side, each in a lane of its own as wide as its members need (in name order, so
 * lanes stay put as members come and go), and what spans machines (overlays, collapsed services: no `machine`) in a row above them all: members
 * are pulled to their lane's centre and kept inside it and below the row, so machines read as boxes that do
 * not overlap and an overlay is drawn once, outside every box. Without machines, no force.
 */
function laneForce(strength: number, spacing: number): Force<ForceNode, ForceEdge> {
  let members: ForceNode[] = [];
  let spanning: ForceNode[] = [];
  const lanes = new Map<string, { x: number; half: number }>();
  const gap = ROW_GAP * spacing;
  const force = (alpha: number): void => {
    for (const d of members) {
      const lane = lanes.get(d.machine as string) ?? { x: 0, half: 0 };
      const x = d.x ?? 0;
      const y = d.y ?? 0;
      d.vx = (d.vx ?? 0) + (lane.x - x) * strength * alpha;
      // Where this tick would move it, clamped to its lane: velocity that would leave is taken away.
      const inset = Math.max(0, lane.half - d.spread * spacing);
      d.vx = Math.min(Math.max(x + d.vx, lane.x - inset), lane.x + inset) - x;
      d.vy = Math.max(y + (d.vy ?? 0), gap) - y;
    }
    for (const d of spanning) d.vy = Math.min((d.y ?? 0) + (d.vy ?? 0), -gap) - (d.y ?? 0);
  };
  force.initialize = (all: ForceNode[]) => {
    members = all.filter((d) => d.machine != null);
    spanning = members.length ? all.filter((d) => d.machine === null) : [];
    const room = new Map<string, number>();
    for (const d of members)
      room.set(d.machine as string, (room.get(d.machine as string) ?? 0) + d.spread ** 2);
    const widths = [...room]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([m, area]) => [m, LANE_ROOM * spacing * Math.sqrt(area)] as const);
    let x = -widths.reduce((sum, [, w]) => sum + w + LANE_GAP * spacing, 0) / 2;
    lanes.clear();
    for (const [m, w] of widths) {
      lanes.set(m, { x: x + w / 2, half: w / 2 });
      x += w + LANE_GAP * spacing;
    }
  };
  return force;
}
