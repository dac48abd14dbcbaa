import type { Container, Interface, Network, Topology } from "../topology.ts";
import { resolveConfig } from "./config.ts";
import type { Machines } from "./machines.ts";
import { machinesOf } from "./machines.ts";
import type { SwarmIndex } from "./swarm.ts";
import { staleTask, swarmIndexOf } from "./swarm.ts";
import type { DaemonConfig, ResolvedConfig } from "./types.ts";

/** How a namespace is wired: its own endpoints, the host's namespace (H-1) or only lo (NO-1). */
export type SandboxMode = "networks" | "host" | "none";

/** A live endpoint of a namespace and its network (null when the network is not in the topology). */
export interface LiveIface {
  iface: Interface;
  net: Network | null;
}

/** A network namespace, owned by the container that is not a `container:` joiner (CN-1). */
export interface Sandbox {
  owner: number;
  mode: SandboxMode;
  /** The owner's processes run and its endpoints exist (§1.1). */
  up: boolean;
  /** Live endpoints: an address while the owner is up (§5: stopped containers keep stale keys). */
  ifaces: LiveIface[];
}

/** Everything reachability needs from one topology, built once and reused across calls. */
export interface TopologyIndex {
  topology: Topology;
  config: ResolvedConfig;
  containers: readonly Container[];
  /** Full ID and name to container index. */
  byRef: ReadonlyMap<string, number>;
  /**
   * Container index to the index of the container owning its namespace; -1 when the provider is unknown, or
   * for a task known only from the manager on a node that is not ready (SW-12).
   */
  ownerOf: Int32Array;
  /** 1 when the container's processes run in a live namespace. */
  live: Uint8Array;
  /** Indexed by owner index; undefined for joiners. */
  sandboxes: (Sandbox | undefined)[];
  networksById: ReadonlyMap<string, Network>;
  /** SW-2, SW-11: the machines of a fleet and the one `@host` stands for. */
  machines: Machines;
  /** The manager's services and tasks (SW-3..SW-9, SW-12). */
  swarm: SwarmIndex;
  /**
   * Owner indices with a live endpoint on each network ID (SW-2: a local network's ID is its own machine's, so
   * `bridge` on node2 never merges with node1's; SW-1: a swarm overlay has one ID on every node).
   */
  members: ReadonlyMap<string, readonly number[]>;
  /** Owner index to the live joiners of its namespace. */
  joiners: ReadonlyMap<number, readonly number[]>;
  /** Lazily filled caches; never read directly. */
  cache: { dns: Map<string, Map<string, number[]>> };
}

const UP_STATES = new Set(["running", "paused"]);
const MAX_JOIN_DEPTH = 8;

/** Indexes a topology once: namespaces, live endpoints and network members. O(containers + memberships). */
export function indexTopology(topology: Topology, config?: DaemonConfig): TopologyIndex {
  const containers = topology.containers;
  const byRef = new Map<string, number>();
  containers.forEach((c, i) => byRef.set(c.id, i));
  containers.forEach((c, i) => byRef.set(c.name, i));
  const networksById = new Map(topology.networks.map((n) => [n.id, n]));
  const ownerOf = new Int32Array(containers.length);
  const swarm = swarmIndexOf(topology);
  // SW-12: a manager-only task on a node that is not ready has no namespace reachgraph can speak for.
  containers.forEach((c, i) => (ownerOf[i] = staleTask(swarm, c) ? -1 : resolveOwner(containers, byRef, i)));
  const sandboxes: (Sandbox | undefined)[] = new Array(containers.length);
  const members = new Map<string, number[]>();
  const live = new Uint8Array(containers.length);
  containers.forEach((c, i) => {
    if (ownerOf[i] !== i) return;
    const sandbox = buildSandbox(c, i, networksById);
    sandboxes[i] = sandbox;
    if (sandbox.up) live[i] = 1;
    for (const l of sandbox.ifaces) push(members, netKey(l), i);
  });
  const joiners = new Map<number, number[]>();
  containers.forEach((c, i) => {
    const owner = ownerOf[i];
    if (owner === i || owner < 0) return;
    // CN-3: a joiner lives only while its provider's namespace does.
    if (isUp(c) && live[owner]) {
      live[i] = 1;
      push(joiners, owner, i);
    }
  });
  return {
    topology,
    config: resolveConfig(topology.engine, config),
    containers,
    byRef,
    ownerOf,
    live,
    sandboxes,
    networksById,
    machines: machinesOf(topology),
    swarm,
    members,
    joiners,
    cache: { dns: new Map() },
  };
}

/** The key of an endpoint's network: its ID; its name only for a compose prediction's unresolved network. */
export function netKey(l: LiveIface): string {
  return l.iface.networkId || `name:${l.iface.network}`;
}

/** The sandbox a container lives in, or undefined when its provider is not in the topology. */
export function sandboxOf(index: TopologyIndex, container: number): Sandbox | undefined {
  const owner = index.ownerOf[container];
  return owner < 0 ? undefined : index.sandboxes[owner];
}

/** Whether the container's processes are up; `restarting` only while it still holds an endpoint (§1.1). */
export function isUp(c: Container): boolean {
  if (UP_STATES.has(c.state)) return true;
  return c.state === "restarting" && c.interfaces.some((i) => i.endpointId || i.ipv4 || i.ipv6);
}

/** The namespace's mode from `HostConfig.NetworkMode`. */
export function modeOf(c: Container): SandboxMode {
  if (c.networkMode === "host") return "host";
  // NO-1: `docker network disconnect none` then `connect` gives an endpoint; NetworkMode still reads none.
  if (c.networkMode === "none") return c.interfaces.some((i) => i.network !== "none") ? "networks" : "none";
  return "networks";
}

function buildSandbox(c: Container, owner: number, networks: ReadonlyMap<string, Network>): Sandbox {
  const mode = modeOf(c);
  const up = isUp(c);
  const ifaces =
    up && mode === "networks"
      ? c.interfaces
          // A compose prediction's endpoints exist before `up` assigns their addresses.
          .filter((i) => i.ipv4 || i.ipv6 || c.predicted === true)
          .map((iface) => ({ iface, net: networks.get(iface.networkId) ?? null }))
      : [];
  return { owner, mode, up, ifaces };
}

/** CN-1: follows `container:` joins to the namespace owner; -1 when a provider is missing or joins loop. */
function resolveOwner(containers: readonly Container[], byRef: Map<string, number>, start: number): number {
  let current = start;
  for (let depth = 0; depth < MAX_JOIN_DEPTH; depth++) {
    const join = containers[current].sharesNamespaceWith;
    if (!join) return current;
    const next = byRef.get(join.id) ?? (join.name ? byRef.get(join.name) : undefined);
    if (next === undefined || next === current) return -1;
    current = next;
  }
  return -1;
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
