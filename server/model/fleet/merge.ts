import type { ApiNetwork } from "../engine-api.ts";
import type {
  Container,
  ContainerState,
  Interface,
  Network,
  NetworkView,
  Swarm,
  SwarmService,
  SwarmTask,
  Topology,
  TopologySource,
} from "../topology.ts";
import { SCHEMA_VERSION } from "../topology.ts";

/** One engine of a fleet: its own topology, and what only it can say (a manager's swarm, overlays' verbose views). */
export interface FleetPart {
  /** Its map key ({@link fleetKeys}). */
  key: string;
  url: string | null;
  /** The docker context it was read through, if any. */
  context?: string;
  topology: Topology;
  /** Set on a manager: its `/nodes`, `/services` and `/tasks`, normalised. */
  swarm?: Swarm;
  /** `GET /networks/{id}?verbose=true` of the swarm-scope networks this engine has. */
  verboseNetworks?: ApiNetwork[];
}

/**
 * One topology of several engines. Containers and local-scope networks carry their machine (`node`): `bridge`
 * on node2 is not node1's, and the network IDs already differ. Swarm-scope networks are one network across
 * the nodes, stitched by ID. A task the manager lists whose node has no connected engine becomes a container
 * of its own, placed on its node from `/tasks`. Names that collide across machines become `name@node`.
 */
export function mergeFleet(parts: FleetPart[], source: TopologySource): Topology {
  const swarm = mergeSwarm(parts);
  const networks = mergeNetworks(parts, swarm);
  const containers = parts.flatMap((p) =>
    p.topology.containers.map((c): Container => stamped(c, { node: p.key, engine: p.key })),
  );
  if (swarm) containers.push(...taskContainers(swarm, containers, networks));
  return {
    schemaVersion: SCHEMA_VERSION,
    source,
    engine: parts[0]?.topology.engine ?? emptyEngine(),
    engines: parts.map((p) => ({
      ...p.topology.engines[0],
      key: p.key,
      url: p.url,
      ...(p.context ? { context: p.context } : {}),
    })),
    networks: [...networks.values()].sort(byName),
    containers: qualifyNames(containers).sort(byName),
    ...(swarm ? { swarm } : {}),
  };
}

/**
 * Map keys for engines in the order given: the swarm node's hostname for a swarm member (what `docker node ls`
 * shows), else the key the user gave (a context name, a label), else `/info` Name; repeats get `-2`, `-3`.
 */
export function fleetKeys(engines: { given?: string; hostname: string; swarmMember: boolean }[]): string[] {
  const seen = new Map<string, number>();
  return engines.map(({ given, hostname, swarmMember }) => {
    const base = (swarmMember ? hostname : given || hostname) || "engine";
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

/** The swarm as the first manager among the engines reports it, with each node's connected engine. */
function mergeSwarm(parts: FleetPart[]): Swarm | undefined {
  const manager = parts.find((p) => p.swarm);
  if (!manager?.swarm) return undefined;
  const engineByNode = new Map<string, string>();
  for (const p of parts) {
    const nodeId = p.topology.engines[0]?.swarmNode?.nodeId;
    if (nodeId && !engineByNode.has(nodeId)) engineByNode.set(nodeId, p.key);
  }
  return {
    ...manager.swarm,
    nodes: manager.swarm.nodes.map((n) => {
      const engine = engineByNode.get(n.id);
      return engine ? { ...n, engine } : n;
    }),
  };
}

function mergeNetworks(parts: FleetPart[], swarm: Swarm | undefined): Map<string, Network> {
  const out = new Map<string, Network>();
  const spans = new Map<string, Set<string>>();
  const views = new Map<string, NetworkView[]>();
  for (const p of parts) {
    for (const n of p.topology.networks) {
      if (n.scope !== "swarm") {
        out.set(n.id, stamped(n, { node: p.key }));
        continue;
      }
      const known = out.get(n.id);
      // OV-9: each node has its own load-balancer endpoint on an overlay; keep every node's.
      out.set(n.id, known ? { ...known, pseudoEndpoints: unionEndpoints(known, n) } : n);
      setOf(spans, n.id).add(p.key);
    }
    for (const raw of p.verboseNetworks ?? []) {
      if (raw.Scope !== "swarm") continue;
      listOf(views, raw.Id).push(viewOf(p.key, raw));
    }
  }
  if (swarm) {
    const hostnames = new Map(swarm.nodes.map((n) => [n.id, n.hostname]));
    for (const t of swarm.tasks) {
      if (!isCurrent(t)) continue;
      const node = hostnames.get(t.nodeId);
      if (!node) continue;
      for (const a of t.attachments) setOf(spans, a.networkId).add(node);
    }
  }
  for (const [id, n] of out) {
    if (n.scope !== "swarm") continue;
    out.set(id, {
      ...n,
      nodes: [...(spans.get(id) ?? [])].sort(),
      views: (views.get(id) ?? []).sort((a, b) => a.node.localeCompare(b.node)),
    });
  }
  return out;
}

function unionEndpoints(a: Network, b: Network): Network["pseudoEndpoints"] {
  const seen = new Set(a.pseudoEndpoints.map((e) => `${e.key}|${e.ipv4 ?? ""}|${e.ipv6 ?? ""}`));
  return [
    ...a.pseudoEndpoints,
    ...b.pseudoEndpoints.filter((e) => !seen.has(`${e.key}|${e.ipv4 ?? ""}|${e.ipv6 ?? ""}`)),
  ];
}

/** One node's view of an overlay (`?verbose=true`): its VXLAN peers and the backends it balances each service to. */
function viewOf(node: string, raw: ApiNetwork): NetworkView {
  return {
    node,
    peers: (raw.Peers ?? []).map((p) => ({ name: p.Name, ip: p.IP })),
    services: Object.entries(raw.Services ?? {})
      .map(([name, s]) => ({
        name,
        vip: s.VIP ?? "",
        backends: (s.Tasks ?? []).map((t) => ({ name: t.Name, ip: t.EndpointIP ?? "" })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A task the swarm means to run or runs now; older ones (shutdown, failed and replaced) are history. */
function isCurrent(task: SwarmTask): boolean {
  return task.desiredState === "running" || task.state === "running";
}

/**
 * Containers for the current tasks that no connected engine reported, because no engine of their node is
 * connected: their state, addresses and names come from the manager's `/tasks`, not from an inspect.
 */
function taskContainers(swarm: Swarm, containers: Container[], networks: Map<string, Network>): Container[] {
  // A connected node's engine is the truth for its containers: a task it does not show is not running there.
  const unconnected = new Map(swarm.nodes.filter((n) => !n.engine).map((n) => [n.id, n]));
  const tasks = swarm.tasks.filter((t) => unconnected.has(t.nodeId) && isCurrent(t));
  // Usually every node's engine is connected: then the thousands of containers need no index.
  if (!tasks.length) return [];
  const services = new Map(swarm.services.map((s) => [s.id, s]));
  const reported = new Set(containers.map((c) => c.id));
  const reportedTasks = new Set(containers.map((c) => c.swarm?.taskId).filter(Boolean));
  const out: Container[] = [];
  for (const task of tasks) {
    const node = unconnected.get(task.nodeId);
    const service = services.get(task.serviceId);
    if (!node || !service) continue;
    if ((task.containerId && reported.has(task.containerId)) || reportedTasks.has(task.id)) continue;
    out.push(taskContainer(task, service, node.hostname, networks));
  }
  return out;
}

const TASK_STATES: Record<string, ContainerState> = { running: "running" };
const ENDED_TASK_STATES = new Set(["complete", "failed", "shutdown", "rejected", "orphaned", "remove"]);

function taskContainer(
  task: SwarmTask,
  service: SwarmService,
  node: string,
  networks: Map<string, Network>,
): Container {
  // Docker names a task's container <service>.<slot>.<task ID>, or <service>.<node ID>.<task ID> when global.
  const name = `${service.name}.${task.slot ?? task.nodeId}.${task.id}`;
  const id = task.containerId ?? `task:${task.id}`;
  const state = TASK_STATES[task.state] ?? (ENDED_TASK_STATES.has(task.state) ? "exited" : "created");
  const created = task.since ? Math.floor(Date.parse(task.since) / 1000) : 0;
  return {
    id,
    name,
    image: task.image ?? "",
    state,
    status: `task ${task.state}${task.error ? `: ${task.error}` : ""}`,
    created: Number.isFinite(created) ? created : 0,
    networkMode: "default",
    swarm: { service: service.name, task: name, serviceId: service.id, taskId: task.id, nodeId: task.nodeId },
    node,
    labels: {},
    ports: [],
    interfaces: task.attachments.map((a) => taskInterface(a, name, task, networks)),
    links: [],
    hostname: null,
    inspected: false,
  };
}

function taskInterface(
  attachment: SwarmTask["attachments"][number],
  name: string,
  task: SwarmTask,
  networks: Map<string, Network>,
): Interface {
  const v4 = attachment.addresses.find((a) => !a.includes(":"));
  const v6 = attachment.addresses.find((a) => a.includes(":"));
  const [ipv4, prefix4] = v4 ? v4.split("/") : [null, null];
  const [ipv6, prefix6] = v6 ? v6.split("/") : [null, null];
  return {
    network: networks.get(attachment.networkId)?.name ?? attachment.networkId,
    networkId: attachment.networkId,
    ipv4: ipv4 ?? null,
    prefixLength: prefix4 ? Number(prefix4) : null,
    ipv6: ipv6 ?? null,
    ipv6PrefixLength: prefix6 ? Number(prefix6) : null,
    mac: null,
    gateway: null,
    ipv6Gateway: null,
    endpointId: null,
    aliases: null,
    // OV-6: the task's container name resolves on its networks, as does its short container ID.
    dnsNames: [name, ...(task.containerId ? [task.containerId.slice(0, 12)] : [])],
    links: [],
  };
}

/** `name@node` for names that more than one machine uses; `bareName` keeps the engine's name. */
function qualifyNames(containers: Container[]): Container[] {
  const machines = new Map<string, Set<string>>();
  for (const c of containers) setOf(machines, c.name).add(c.node ?? "");
  return containers.map((c) =>
    (machines.get(c.name)?.size ?? 0) > 1
      ? stamped(c, { name: `${c.name}@${c.node ?? ""}`, bareName: c.name })
      : c,
  );
}

/**
 * A copy of `base` with `fields` set, keys in the order `{ ...base, ...fields }` gives. `Object.assign` because
 * V8 copies an object spread followed by more properties slowly: ~10× the time at thousands of containers.
 */
function stamped<T extends object, F extends object>(base: T, fields: F): T & F {
  return Object.assign({}, base, fields);
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function emptyEngine(): Topology["engine"] {
  return { id: "", name: "", serverVersion: "", apiVersion: "", os: "", networkDrivers: [], swarm: false };
}

function byName<T extends { name: string; id: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
