/**
 * The wire format shared by the server and the web page: one normalised, versioned view of an engine.
 * Pure data; imported with `import type` on both sides.
 */

export const SCHEMA_VERSION = 1;

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
  swarm?: { service: string; task: string };
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

export interface Topology {
  schemaVersion: typeof SCHEMA_VERSION;
  source: TopologySource;
  engine: EngineInfo;
  networks: Network[];
  containers: Container[];
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
