import { NODE_RADIUS } from "../../server/model/graph-style.ts";
import type {
  GraphGroup,
  GraphLink as ProjectedLink,
  GraphNode as ProjectedNode,
} from "../../server/model/graph/index.ts";
import { projectGraph, spreadOf } from "../../server/model/graph/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import type { Machine, MachineState } from "../fleet/health.ts";
import { staleMachines } from "../fleet/health.ts";
import type { Box, Lane } from "../fleet/lanes.ts";
import { laneLayout } from "../fleet/lanes.ts";
import type { ViewOptions } from "../store.ts";

export type { GraphGroup, LinkKind, NodeKind } from "../../server/model/graph/index.ts";
export { containerKey, networkKey } from "../../server/model/graph/index.ts";

/** A projected node with what the page's renderers add: CSS classes, sizes, a change signature, a11y text. */
export interface GraphNode extends ProjectedNode {
  /** CSS classes (driver / state / flags). */
  cls: string;
  radius: number;
  /** Collision radius for the layout (`spreadOf`). */
  spread: number;
  /** Compose project (the layout's group). */
  group: string | null;
  /** The first line under the label, as drawn. */
  caption: string;
  /** Changes whenever anything drawn for this node changes, so updates can skip unchanged nodes. */
  sig: string;
  aria: string;
  /** Where the layout keeps it in a fleet: its machine's tile, or the band above them; null on one engine. */
  box: Box | null;
  /** Its machine is down or stale: the container is kept as last seen. */
  stale: boolean;
}

/** A machine's tile as drawn: where it is, and its health. */
export interface LaneView extends Lane {
  state: MachineState;
  availability: string | null;
  /** Role, connection, node state and API version, as the fleet strip says it. */
  text: string;
}

export interface GraphLink extends ProjectedLink {
  cls: string;
  sig: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  links: GraphLink[];
  groups: GraphGroup[];
  /** A fleet's machines, one tile each; absent on one engine. */
  lanes?: LaneView[];
}

/**
 * The page's graph: the shared projection (server/model/graph) with the page's drawing data; in a fleet, each
 * node's machine, its tile and whether it is stale. Pure.
 */
export function buildGraphModel(
  topology: Topology,
  view: ViewOptions,
  machines: readonly Machine[] = [],
  collapse: readonly string[] = [],
): GraphModel {
  const graph = projectGraph(topology, {
    showSystem: view.showSystem,
    showEmpty: view.showEmpty,
    collapse,
  });
  const counts = new Map(machines.map((m) => [m.key, 0]));
  for (const n of graph.nodes) if (n.node !== null) counts.set(n.node, (counts.get(n.node) ?? 0) + 1);
  const fleet = laneLayout([...counts].map(([key, members]) => ({ key, members })));
  const boxOf = new Map(fleet?.lanes.map((l) => [l.key, l]));
  const stale = staleMachines(machines);
  const nodes = graph.nodes.map((n) => {
    // What spans machines (overlays, a service across nodes) is drawn once, in the band above the tiles.
    const box = fleet ? ((n.node !== null ? boxOf.get(n.node) : undefined) ?? fleet.band) : null;
    return pageNode(n, box, n.kind === "container" && n.node !== null && stale.has(n.node));
  });
  const health = new Map(machines.map((m) => [m.key, m]));
  const lanes = fleet?.lanes.map((l): LaneView => {
    const m = health.get(l.key);
    return { ...l, state: m?.state ?? "live", availability: m?.availability ?? null, text: m?.text ?? "" };
  });
  return { nodes, links: graph.links.map(pageLink), groups: graph.groups, ...(lanes ? { lanes } : {}) };
}

function pageNode(n: ProjectedNode, box: Box | null, stale: boolean): GraphNode {
  const cls = [
    n.style ? `net-${n.style}` : "",
    n.state ? `state-${n.state}` : "",
    n.internal ? "internal" : "",
    n.iccOff ? "icc-off" : "",
    n.system ? "system" : "",
    n.joiner ? "joiner" : "",
    n.noNetwork ? "no-network" : "",
    n.project ? "compose" : "",
    stale ? "stale" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const caption = n.sub[0] ?? "";
  const what =
    n.kind === "container"
      ? `container ${n.name}, ${n.state ?? "running"}${n.project ? `, compose project ${n.project}` : ""}`
      : n.kind === "host"
        ? "the Docker host: host network and published ports"
        : n.kind === "service"
          ? `swarm service ${n.name}, collapsed: one node for its tasks`
          : `network ${n.name}${n.style === "missing" ? ", not listed by the engine" : ""}`;
  const where =
    n.node !== null
      ? `, on ${n.node}${stale ? ", stale: its machine is down or out of date" : ""}`
      : n.spans.length
        ? `, spans ${n.spans.join(", ")}`
        : "";
  return {
    ...n,
    box,
    stale,
    cls,
    radius: NODE_RADIUS[n.kind],
    spread: spreadOf(n),
    group: n.project,
    caption,
    sig: `${n.name}|${n.sub.join("|")}|${cls}`,
    aria: `${what}${where}${n.sub.length ? `; ${n.sub.join("; ")}` : ""}`,
  };
}

function pageLink(l: ProjectedLink): GraphLink {
  const cls = [l.kind, l.down ? "down" : ""].filter(Boolean).join(" ");
  return { ...l, cls, sig: `${l.label}|${cls}` };
}
