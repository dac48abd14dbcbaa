import type { NetworkStyle } from "../graph-style.ts";
import type { ContainerState } from "../topology.ts";

export type NodeKind = "network" | "container" | "host";
export type LinkKind = "interface" | "implicit" | "namespace" | "legacy" | "host" | "published";
/** What a group outline stands for; a swarm node or an engine can join this union later. */
export type GroupBy = "project";

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
  /** The container the link belongs to. */
  containerId: string;
  /** The network of an interface link. */
  networkId: string | null;
}

export interface GraphGroup {
  by: GroupBy;
  name: string;
  color: string;
  /** Node keys. */
  members: string[];
}

export interface Graph {
  nodes: GraphNode[];
  links: GraphLink[];
  groups: GraphGroup[];
}
