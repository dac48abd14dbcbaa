import type { NetworkStyle } from "../graph-style.ts";
import type { ContainerState } from "../topology.ts";

/** `service`: a collapsed swarm service, one vertex standing for its tasks (fleet topologies only). */
export type NodeKind = "network" | "container" | "host" | "service";
export type LinkKind = "interface" | "implicit" | "namespace" | "legacy" | "host" | "published";
/**
 * What a group outline stands for: a compose project, a machine (`node`: an engine, or a swarm node whose
 * engine is not connected) or a swarm service's tasks. Node and service groups exist only in fleet topologies
 * (several engines, or a swarm); a single engine projects with project groups alone.
 */
export type GroupBy = "project" | "node" | "service";

/** A node of the one graph every picture draws: a network hub, a container, or the Docker host. */
export interface GraphNode {
  /** Stable layout key: `n:<network id>`, `n:missing:<name>`, `c:<container id>` or `host`. */
  key: string;
  /** Engine ID (selection, `data-id`); the host network's ID for the host, or `@host` when it is unlisted. */
  id: string;
  kind: NodeKind;
  /** Full name, for tooltips and details. */
  name: string;
  /** The name as drawn: shortened in the middle (`shortName`). */
  label: string;
  /** Lines under the label: driver and flags, then subnets; or a container's state and namespace. */
  sub: string[];
  style: NetworkStyle | null;
  state: ContainerState | null;
  /** INT-2 */
  internal: boolean;
  /** ICC-1 */
  iccOff: boolean;
  /** `Network.system`: bridge, host, none, ingress, docker_gwbridge. */
  system: boolean;
  /** CN-1: the container runs in another container's namespace. */
  joiner: boolean;
  /** NO-1: `--network none`. */
  noNetwork: boolean;
  /** Compose project of a container. */
  project: string | null;
  /** Key of the node a new node should appear next to (its first network, or its namespace provider). */
  near: string | null;
  /**
   * Fleet topologies: the machine (an `EngineEntry` key, or a swarm node's hostname) a container, a local-scope
   * network or a host lives on; a collapsed service's machine when all its tasks share one. Else null.
   */
  node: string | null;
  /** Fleet topologies: the machines a swarm-scope network (`Network.nodes`) or a collapsed service spans; else []. */
  spans: string[];
  /** Fleet topologies with a swarm: the service (by name) of a task's container, or of a collapsed service. */
  service: string | null;
}

export interface GraphLink {
  /** Stable: `<kind>:<container id>:<other end's key>`. */
  key: string;
  kind: LinkKind;
  source: string;
  target: string;
  label: string;
  /** An interface without an address (stopped container, §5). */
  down: boolean;
  /** The container the link belongs to; for a collapsed service's aggregated edge, the service's ID. */
  containerId: string;
  /** The network of an interface link. */
  networkId: string | null;
}

export interface GraphGroup {
  by: GroupBy;
  /** Stable: `project:<name>`, `project:<node>:<name>` in a fleet, `node:<name>` or `service:<service id>`. */
  key: string;
  /** The project's, machine's or service's full name. */
  name: string;
  /** The name as drawn (`middleEllipsis`). */
  label: string;
  color: string;
  /** Node keys; a collapsed service's is its one vertex. */
  members: string[];
  /**
   * Key of the node group this group is drawn inside: a fleet's compose project, and a service whose tasks all
   * run on one machine. null at the top level (machines, services spanning machines, a single engine's projects).
   */
  parent: string | null;
  /** Lines under the label: a machine's engine, role, availability and state; a service's mode and tasks. */
  sub: string[];
  /** A service group drawn as one vertex (`ProjectOptions.collapse`). */
  collapsed: boolean;
}

export interface Graph {
  nodes: GraphNode[];
  links: GraphLink[];
  groups: GraphGroup[];
}
