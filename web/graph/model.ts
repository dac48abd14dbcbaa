import { NODE_RADIUS } from "../../server/model/graph-style.ts";
import type {
  GraphGroup,
  GraphLink as ProjectedLink,
  GraphNode as ProjectedNode,
} from "../../server/model/graph/index.ts";
import { projectGraph, spreadOf } from "../../server/model/graph/index.ts";
import type { Topology } from "../../server/model/topology.ts";
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
}

export interface GraphLink extends ProjectedLink {
  cls: string;
  sig: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  links: GraphLink[];
  groups: GraphGroup[];
}

/** The page's graph: the shared projection (server/model/graph) with the page's drawing data. Pure. */
export function buildGraphModel(topology: Topology, view: ViewOptions): GraphModel {
  const graph = projectGraph(topology, { showSystem: view.showSystem, showEmpty: view.showEmpty });
  return { nodes: graph.nodes.map(pageNode), links: graph.links.map(pageLink), groups: graph.groups };
}

function pageNode(n: ProjectedNode): GraphNode {
  const cls = [
    n.style ? `net-${n.style}` : "",
    n.state ? `state-${n.state}` : "",
    n.internal ? "internal" : "",
    n.iccOff ? "icc-off" : "",
    n.system ? "system" : "",
    n.joiner ? "joiner" : "",
    n.noNetwork ? "no-network" : "",
    n.project ? "compose" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const caption = n.sub[0] ?? "";
  const what =
    n.kind === "container"
      ? `container ${n.name}, ${n.state ?? "running"}${n.project ? `, compose project ${n.project}` : ""}`
      : n.kind === "host"
        ? "the Docker host: host network and published ports"
        : `network ${n.name}${n.style === "missing" ? ", not listed by the engine" : ""}`;
  return {
    ...n,
    cls,
    radius: NODE_RADIUS[n.kind],
    spread: spreadOf(n),
    group: n.project,
    caption,
    sig: `${n.name}|${n.sub.join("|")}|${cls}`,
    aria: `${what}${n.sub.length ? `; ${n.sub.join("; ")}` : ""}`,
  };
}

function pageLink(l: ProjectedLink): GraphLink {
  const cls = [l.kind, l.down ? "down" : ""].filter(Boolean).join(" ");
  return { ...l, cls, sig: `${l.label}|${cls}` };
}
