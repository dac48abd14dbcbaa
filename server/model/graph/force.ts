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
const CHARGE: Record<NodeKind, number> = { network: -480, host: -480, container: -140 };
const GROUP_PULL = 0.08;

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
