/**
 * The wire format shared by the server and the web page: one normalised, versioned view of an engine.
 * Pure data; imported with `import type` on both sides.
 */

/** 2: several engines and a swarm on one map (`engines`, `swarm`, `node` on containers and local networks). */
export const SCHEMA_VERSION = 2;

/** Where a topology came from: a live engine, the bundled example, a saved snapshot or a compose prediction. */
export type TopologySourceKind = "live" | "example" | "snapshot" | "compose";

export interface TopologySource {
  kind: TopologySourceKind;
  /** A human label: the engine URL, the example's name, the snapshot file or compose path. */
  label: string;
  /** ISO time at which the data was read from its source. */
  capturedAt: string;
}

export interface EngineInfo {
  id: string;
  name: string;
  serverVersion: string;
  apiVersion: string;
  os: string;
  /** Network drivers the engine has built in (`/info` Plugins.Network); anything else is a plugin. */
  networkDrivers: string[];
  swarm: boolean;
}

/**
 * One engine the topology was read from. `key` names its machine on the map: the swarm node's hostname for
 * a swarm member, else the docker context's name or the engine's label; it is what `name@node` qualifies with.
 */
export interface EngineEntry {
  key: string;
  /** The endpoint read, e.g. `unix:///var/run/docker.sock`; null for the example, a snapshot or a prediction. */
  url: string | null;
  /** The docker context it was read through, when one: a fix command names it (`docker --context`) for its TLS/ssh. */
  context?: string;
  info: EngineInfo;
  /** This engine's own swarm node, when it is in a swarm. */
  swarmNode?: { nodeId: string; role: "manager" | "worker"; clusterId?: string };
}

export interface Subnet {
  subnet: string;
  gateway?: string;
  ipRange?: string;
}

/** An endpoint on a network that belongs to no container (OV-9: `lb-<net>`, `ingress-sbox`). */
export interface PseudoEndpoint {
  key: string;
  name: string;
  ipv4?: string;
  ipv6?: string;
}

export interface Network {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  attachable: boolean;
  ingress: boolean;
  ipv6: boolean;
  /** ICC-1: `com.docker.network.bridge.enable_icc`, absent means true. */
  icc: boolean;
  subnets: Subnet[];
  labels: Record<string, string>;
  options: Record<string, string>;
  /** The three networks every engine has: bridge, host, none. */
  builtIn: boolean;
  /** Networks that exist for the engine's plumbing (bridge, host, none, ingress, docker_gwbridge); hidden by one switch. */
  system: boolean;
  /** docker0 (`com.docker.network.bridge.default_bridge`): no embedded DNS (DB-2). */
  defaultBridge: boolean;
  /** false for plugin drivers, whose reachability is decided by the plugin (§5 "Unknown network driver"). */
  knownDriver: boolean;
  configOnly: boolean;
  /** macvlan/ipvlan parent interface. */
  parent?: string;
  compose?: { project: string; network: string };
  pseudoEndpoints: PseudoEndpoint[];
  /** The machine (an {@link EngineEntry} key) a local-scope network lives on: `bridge` on node2 is not node1's. */
  node?: string;
  /** A swarm-scope network: the machines it is instantiated on, as their engines or the manager's tasks say. */
  nodes?: string[];
  /** A swarm-scope network as each connected node sees it (`GET /networks/{id}?verbose=true`). */
  views?: NetworkView[];
}

/** One node's verbose view of an overlay: the peers it sends VXLAN to and the service backends it balances to. */
export interface NetworkView {
  /** The {@link EngineEntry} key of the node whose engine answered. */
  node: string;
  peers: { name: string; ip: string }[];
  services: { name: string; vip: string; backends: { name: string; ip: string }[] }[];
}

export interface Port {
  privatePort: number;
  protocol: string;
  /** Absent for exposed-only ports (PP-9: no reachability effect). */
  publicPort?: number;
  hostIp?: string;
}

export interface Interface {
  /** Network name, the key of `NetworkSettings.Networks`. */
  network: string;
  /** "" when the engine has not resolved it (a never-started container, §5). */
  networkId: string;
  /** null while the container has no live endpoint (stopped, created: §5). */
  ipv4: string | null;
  prefixLength: number | null;
  ipv6: string | null;
  ipv6PrefixLength: number | null;
  mac: string | null;
  gateway: string | null;
  ipv6Gateway: string | null;
  endpointId: string | null;
  /** Network-scoped aliases as the engine reports them; null when not inspected yet (the list omits them). */
  aliases: string[] | null;
  /** Names other containers on this network can resolve (UB-2); [] where there is no embedded DNS (DB-2). null when unknown. */
  dnsNames: string[] | null;
  /** UB-7: `target:alias` links on a user-defined network, resolvable only by this container. */
  links: string[];
  /** OV-2: the docker_gwbridge interface every non-internal overlay member gets, absent from the container's own view. */
  implicit?: boolean;
}

export interface Compose {
  project: string;
  service: string;
  number: number;
  oneoff: boolean;
}

/** DB-3: a legacy link written into this container's /etc/hosts. */
export interface LegacyLink {
  target: string;
  alias: string;
}

/**
 * The container's name as its own engine knows it: what links hold and what `docker` commands on that engine
 * take (`name` may be qualified as `name@node` in a fleet).
 */
export function engineName(c: Pick<Container, "name" | "bareName">): string {
  return c.bareName ?? c.name;
}

/** Every `State` the engine reports for a container, in lifecycle order. */
export const CONTAINER_STATES = [
  "created",
  "running",
  "paused",
  "restarting",
  "removing",
  "exited",
  "dead",
] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

export interface Container {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  status: string;
  /** Unix seconds. */
  created: number;
  /**
   * `State.StartedAt` (ISO 8601) of a live container, known once inspected: the page counts `status`'s "Up …"
   * from it, since the list's status text is only true at the moment it was read.
   */
  startedAt?: string;
  /** Raw `HostConfig.NetworkMode`: default, bridge, host, none, container:<id> or a network name. */
  networkMode: string;
  /** CN-1: the container whose namespace this one joined. */
  sharesNamespaceWith?: { id: string; name: string | null };
  compose?: Compose;
  /** A swarm task's container: its service and task names; the IDs and node once the manager's /tasks are read. */
  swarm?: { service: string; task: string; serviceId?: string; taskId?: string; nodeId?: string };
  /** The machine it runs on: the {@link EngineEntry} key (the swarm node's hostname for a task). */
  node?: string;
  /** The engine that reported it; absent for a task known only from the manager's `/tasks`. */
  engine?: string;
  /** The engine's own name, when `name` is qualified as `name@node` because names collide across engines. */
  bareName?: string;
  /** Labels, with secret-looking values redacted. */
  labels: Record<string, string>;
  ports: Port[];
  interfaces: Interface[];
  /** DB-3/DB-4: legacy links this container holds (from the targets' extra `Names`). */
  links: LegacyLink[];
  /** `Config.Hostname`, known once inspected. */
  hostname: string | null;
  /** Whether the per-container details (aliases, hostname) come from an inspect. */
  inspected: boolean;
  /** `State.Error` of a failed start (IV-1), once inspected. */
  error?: string;
  /**
   * A compose prediction (`source.kind = "compose"`), not an engine object: its endpoints are taken to exist
   * although their addresses (and the container's ID) are unknown until `up`; `ipv4` is null unless static.
   */
  predicted?: boolean;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: "manager" | "worker";
  /** `Spec.Availability`: active, pause or drain. */
  availability: string;
  /** `Status.State`: ready, down, unknown or disconnected. */
  state: string;
  /** `Status.Addr`: the address the node is reached at (the underlay). */
  addr: string;
  leader: boolean;
  /** The connected engine (an {@link EngineEntry} key) of this node, if any. */
  engine?: string;
}

export interface SwarmService {
  id: string;
  name: string;
  /** replicated, global, replicated-job or global-job. */
  mode: string;
  /** Replicated services: the wanted replica count. */
  replicas: number | null;
  endpointMode: "vip" | "dnsrr";
  /** VIP mode: the service's virtual IP per network, as CIDR (`Endpoint.VirtualIPs`). */
  virtualIps: { networkId: string; addr: string }[];
  /** The networks of its tasks, with the service's aliases on each. */
  networks: { networkId: string; aliases: string[] }[];
  ports: {
    protocol: string;
    targetPort: number;
    publishedPort: number | null;
    publishMode: "ingress" | "host";
  }[];
  /** Labels, with secret-looking values redacted. */
  labels: Record<string, string>;
}

export interface SwarmTask {
  id: string;
  serviceId: string;
  slot: number | null;
  nodeId: string;
  desiredState: string;
  /** `Status.State`: new … running, complete, failed, shutdown, rejected, orphaned. */
  state: string;
  error?: string;
  /** `Status.ContainerStatus.ContainerID`, once the node made its container. */
  containerId: string | null;
  /** `Spec.ContainerSpec.Image`. */
  image?: string;
  /** `Status.Timestamp`: when the task last changed state (ISO 8601). */
  since?: string;
  /** `NetworksAttachments`: the task's addresses (CIDR) per network. */
  attachments: { networkId: string; addresses: string[] }[];
}

/** What a swarm manager reports: nodes, services and tasks. */
export interface Swarm {
  clusterId: string;
  /** The engine ({@link EngineEntry} key) the swarm was read from. */
  manager: string;
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
}

export interface Topology {
  schemaVersion: typeof SCHEMA_VERSION;
  source: TopologySource;
  /** The first engine given (the manager's, when one is connected); `engines[0].info` for a live fleet. */
  engine: EngineInfo;
  /** Every engine read, in the order given; [] for a compose prediction. */
  engines: EngineEntry[];
  networks: Network[];
  containers: Container[];
  /** Present when a swarm manager is among the engines. */
  swarm?: Swarm;
}

/** The change from one topology to the next, keyed by ID, as sent over Server-Sent Events. */
export interface TopologyDelta {
  schemaVersion: typeof SCHEMA_VERSION;
  /** Sequence number of the topology this delta produces; deltas apply in order. */
  seq: number;
  capturedAt: string;
  upsertNetworks: Network[];
  removeNetworks: string[];
  upsertContainers: Container[];
  removeContainers: string[];
  engine?: EngineInfo;
  /** The whole list, when any engine's entry changed. */
  engines?: EngineEntry[];
  /** The whole swarm, when any node, service or task changed. */
  swarm?: Swarm;
}

/** The health of one engine of a fleet. */
export interface EngineHealth {
  key: string;
  url: string;
  reachable: boolean;
  stale: boolean;
  apiVersion: string | null;
  serverVersion: string | null;
  swarmRole: "manager" | "worker" | null;
  error: string | null;
  lastSyncAt: string | null;
}

/** Connection status of the collector, as reported by /api/health and the SSE `status` event. */
export interface EngineStatus {
  reachable: boolean;
  /** True when the shown topology may be out of date (engine lost, events stream broken). */
  stale: boolean;
  source: TopologySource;
  engineUrl: string | null;
  apiVersion: string | null;
  serverVersion: string | null;
  error: string | null;
  lastSyncAt: string | null;
  /** Every engine of a fleet (one entry for one engine); the fields above sum them up. */
  engines?: EngineHealth[];
}

/**
 * Messages on `GET /api/events` (Server-Sent Events; the SSE event name is `type`).
 * A client first receives `snapshot`, then `delta`s in `seq` order; a new `snapshot` replaces everything
 * (sent when the source changes, e.g. from the example topology to a live engine that came up).
 */
export type ServerEvent =
  | { type: "snapshot"; seq: number; topology: Topology; status: EngineStatus }
  | { type: "delta"; delta: TopologyDelta }
  | { type: "status"; status: EngineStatus };
