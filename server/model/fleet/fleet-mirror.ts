import type { ApiNetwork } from "../engine-api.ts";
import type {
  Container,
  EngineEntry,
  EngineInfo,
  Network,
  Swarm,
  SwarmTask,
  Topology,
  TopologyDelta,
  TopologySource,
} from "../topology.ts";
import { engineName, SCHEMA_VERSION } from "../topology.ts";
import type { FleetPart } from "./merge.ts";
import { mergeFleet } from "./merge.ts";

const TASK_LABEL = "com.docker.swarm.task.id";

/** One engine's own (unmerged) topology as its live collector reports it. */
interface Part {
  key: string;
  url: string | null;
  /** The engine's topology without its containers and networks (those are in the maps), once synced. */
  header: Topology | undefined;
  containers: Map<string, Container>;
  networks: Map<string, Network>;
  verbose: Map<string, ApiNetwork>;
  /** The swarm this engine manages, when it is the fleet's manager. */
  swarm: Swarm | undefined;
}

/**
 * The merged topology of a fleet, kept in step with its engines' own topologies and deltas. A change is mapped
 * through {@link mergeFleet} by merging only what it can affect — the changed objects plus everything whose
 * merged form depends on them: containers of the same name on other engines (a collision appearing or going
 * renames them `name@node`), the container of a changed task and its task-only placeholder, a swarm-scope
 * network from every engine with its verbose views and tasks (`nodes`, `views`). A delta at ten engines thus
 * costs what it costs at one; the whole fleet is never re-merged per event.
 */
export class FleetMirror {
  private readonly parts: Part[] = [];
  private readonly containers = new Map<string, Container>();
  private readonly networks = new Map<string, Network>();
  private engines: EngineEntry[] = [];
  private engine: EngineInfo | undefined;
  private swarm: Swarm | undefined;
  /** Engine-level indexes: a container name, a task ID → the engines' container IDs (with their part). */
  private readonly partsByName = new Map<string, Map<string, Part>>();
  private readonly partsByTask = new Map<string, Map<string, Part>>();
  /** Merged indexes: the engine's own name → merged container IDs; a task → its placeholder's ID. */
  private readonly mergedByName = new Map<string, Set<string>>();
  private readonly placeholders = new Map<string, string>();
  /** The swarm's tasks by ID, and the tasks attached to each network. */
  private tasks = new Map<string, SwarmTask>();
  private readonly tasksByNetwork = new Map<string, Set<string>>();
  private readonly tasksByNode = new Map<string, Set<string>>();
  private readonly dirtyContainers = new Set<string>();
  private readonly dirtyNames = new Set<string>();
  private readonly dirtyTasks = new Set<string>();
  private readonly dirtyNetworks = new Set<string>();
  private swarmDirty = false;
  private enginesDirty = false;
  private version = 0;
  private cached: { version: number; source: TopologySource; topology: Topology } | undefined;

  /** Adds an engine (in the fleet's order); it joins the merge once {@link setEngine} gave its topology. */
  addEngine(key: string, url: string | null): number {
    this.parts.push({
      key,
      url,
      header: undefined,
      containers: new Map(),
      networks: new Map(),
      verbose: new Map(),
      swarm: undefined,
    });
    return this.parts.length - 1;
  }

  /** True once any engine's topology is known. */
  hasTopology(): boolean {
    return this.parts.some((p) => p.header);
  }

  /** Renames an engine on the map (its key became known from its /info or its swarm node). */
  setKey(index: number, key: string): void {
    const part = this.parts[index];
    if (part.key === key) return;
    part.key = key;
    this.touchPart(part);
  }

  /** An engine's whole topology: its first sync (a resync sends a delta). */
  setEngine(index: number, topology: Topology): void {
    const part = this.parts[index];
    this.touchPart(part);
    for (const c of part.containers.values()) this.unindexPart(part, c);
    part.containers.clear();
    part.networks.clear();
    part.header = { ...topology, containers: [], networks: [] };
    for (const c of topology.containers) this.putContainer(part, c);
    for (const n of topology.networks) {
      part.networks.set(n.id, n);
      this.dirtyNetworks.add(n.id);
    }
    this.enginesDirty = true;
  }

  applyDelta(index: number, delta: TopologyDelta): void {
    const part = this.parts[index];
    if (!part.header) return;
    for (const id of delta.removeContainers) {
      const old = part.containers.get(id);
      if (!old) continue;
      this.touchContainer(old);
      this.unindexPart(part, old);
      part.containers.delete(id);
    }
    for (const c of delta.upsertContainers) this.putContainer(part, c);
    for (const id of delta.removeNetworks) {
      part.networks.delete(id);
      this.dirtyNetworks.add(id);
    }
    for (const n of delta.upsertNetworks) {
      part.networks.set(n.id, n);
      this.dirtyNetworks.add(n.id);
    }
    if (delta.engine) {
      part.header = { ...part.header, engine: delta.engine };
      this.enginesDirty = true;
    }
    if (delta.engines) {
      part.header = { ...part.header, engines: delta.engines };
      this.enginesDirty = true;
    }
  }

  /** The engine's own entry changed (a reconnect to a daemon that was re-configured, promoted, …). */
  setEntry(index: number, topology: Pick<Topology, "engine" | "engines">): void {
    const part = this.parts[index];
    if (!part.header) return;
    const before = JSON.stringify([part.header.engine, part.header.engines]);
    if (before === JSON.stringify([topology.engine, topology.engines])) return;
    part.header = { ...part.header, engine: topology.engine, engines: topology.engines };
    this.touchPart(part);
  }

  /** The swarm as the engine at `index` (a manager) reads it; undefined when it manages none. */
  setSwarm(index: number, swarm: Swarm | undefined): void {
    const part = this.parts[index];
    part.swarm = swarm;
    const owner = this.parts.find((p) => p.swarm);
    const next = owner?.swarm;
    const before = this.tasks;
    const after = new Map((next?.tasks ?? []).map((t) => [t.id, t]));
    const changedServices = new Set<string>();
    const changedNodes = new Set<string>();
    const oldServices = new Map((this.swarm?.services ?? []).map((s) => [s.id, JSON.stringify(s)]));
    for (const s of next?.services ?? [])
      if (oldServices.get(s.id) !== JSON.stringify(s)) changedServices.add(s.id);
    for (const id of oldServices.keys())
      if (!next?.services.some((s) => s.id === id)) changedServices.add(id);
    const oldNodes = new Map((this.swarm?.nodes ?? []).map((n) => [n.id, JSON.stringify(n)]));
    for (const n of next?.nodes ?? []) if (oldNodes.get(n.id) !== JSON.stringify(n)) changedNodes.add(n.id);
    for (const id of oldNodes.keys()) if (!next?.nodes.some((n) => n.id === id)) changedNodes.add(id);
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      const old = before.get(id);
      const now = after.get(id);
      const moved =
        JSON.stringify(old) !== JSON.stringify(now) ||
        changedServices.has((now ?? old)?.serviceId ?? "") ||
        changedNodes.has((now ?? old)?.nodeId ?? "");
      if (!moved) continue;
      this.dirtyTasks.add(id);
      for (const t of [old, now]) for (const a of t?.attachments ?? []) this.dirtyNetworks.add(a.networkId);
    }
    for (const t of before.values()) {
      for (const a of t.attachments) this.tasksByNetwork.get(a.networkId)?.delete(t.id);
      this.tasksByNode.get(t.nodeId)?.delete(t.id);
    }
    for (const t of after.values()) {
      for (const a of t.attachments) setOf(this.tasksByNetwork, a.networkId).add(t.id);
      setOf(this.tasksByNode, t.nodeId).add(t.id);
    }
    this.tasks = after;
    this.swarmDirty = true;
  }

  /** An engine's verbose inspect of a swarm-scope network (its peers and service backends); null: none. */
  setVerbose(index: number, networkId: string, network: ApiNetwork | null): void {
    const part = this.parts[index];
    const before = part.verbose.get(networkId);
    if (JSON.stringify(before ?? null) === JSON.stringify(network)) return;
    if (network) part.verbose.set(networkId, network);
    else part.verbose.delete(networkId);
    this.dirtyNetworks.add(networkId);
  }

  /** The swarm-scope networks an engine holds: the ones whose verbose views it can give. */
  swarmNetworks(index: number): string[] {
    return [...this.parts[index].networks.values()].filter((n) => n.scope === "swarm").map((n) => n.id);
  }

  /** An engine's own (unmerged) container, as it last reported it. */
  engineContainer(index: number, id: string): Container | undefined {
    return this.parts[index].containers.get(id);
  }

  /** The merged topology as of the last {@link takeDelta}. Cached until the next change. */
  topology(source: TopologySource): Topology {
    if (!this.engine) return mergeFleet([], source);
    const cached = this.cached;
    if (cached && cached.version === this.version && cached.source === source) return cached.topology;
    const topology: Topology = {
      schemaVersion: SCHEMA_VERSION,
      source,
      engine: this.engine,
      engines: this.engines,
      networks: [...this.networks.values()].sort(byName),
      containers: [...this.containers.values()].sort(byName),
      ...(this.swarm ? { swarm: this.swarm } : {}),
    };
    this.cached = { version: this.version, source, topology };
    return topology;
  }

  /** The merged change since the last call, as a delta; null when nothing changed. */
  takeDelta(seq: number, capturedAt: string): TopologyDelta | null {
    if (
      !this.dirtyContainers.size &&
      !this.dirtyNames.size &&
      !this.dirtyTasks.size &&
      !this.dirtyNetworks.size &&
      !this.swarmDirty &&
      !this.enginesDirty
    )
      return null;
    const { containerIds, taskIds } = this.closure();
    const networkIds = new Set(this.dirtyNetworks);
    const swarmChanged = this.swarmDirty;
    const enginesChanged = this.enginesDirty;
    this.dirtyContainers.clear();
    this.dirtyNames.clear();
    this.dirtyTasks.clear();
    this.dirtyNetworks.clear();
    this.swarmDirty = false;
    this.enginesDirty = false;

    const merged = mergeFleet(this.restrictedParts(containerIds, taskIds, networkIds, swarmChanged), {
      kind: "live",
      label: "",
      capturedAt,
    });
    const upsertContainers: Container[] = [];
    const removeContainers: string[] = [];
    const now = new Map<string, Container>();
    for (const c of merged.containers) {
      // A placeholder (no engine) is wanted for the tasks in the closure only: other tasks' containers were left out.
      const wanted = c.engine === undefined ? taskIds.has(c.swarm?.taskId ?? "") : containerIds.has(c.id);
      if (wanted) now.set(c.id, c);
    }
    const before = new Set(containerIds);
    for (const t of taskIds) {
      const id = this.placeholders.get(t);
      if (id) before.add(id);
    }
    for (const id of new Set([...before, ...now.keys()])) {
      const old = this.containers.get(id);
      const next = now.get(id);
      if (old) this.unindexMerged(old);
      if (!next) {
        if (old) {
          this.containers.delete(id);
          removeContainers.push(id);
        }
        continue;
      }
      this.containers.set(id, next);
      this.indexMerged(next);
      if (!old || JSON.stringify(old) !== JSON.stringify(next)) upsertContainers.push(next);
    }
    const upsertNetworks: Network[] = [];
    const removeNetworks: string[] = [];
    const nextNetworks = new Map(merged.networks.filter((n) => networkIds.has(n.id)).map((n) => [n.id, n]));
    for (const id of networkIds) {
      const old = this.networks.get(id);
      const next = nextNetworks.get(id);
      if (!next) {
        if (old) {
          this.networks.delete(id);
          removeNetworks.push(id);
        }
        continue;
      }
      this.networks.set(id, next);
      if (!old || JSON.stringify(old) !== JSON.stringify(next)) upsertNetworks.push(next);
    }
    const delta: TopologyDelta = {
      schemaVersion: SCHEMA_VERSION,
      seq,
      capturedAt,
      upsertNetworks,
      removeNetworks,
      upsertContainers,
      removeContainers,
    };
    if (enginesChanged) {
      if (JSON.stringify(merged.engines) !== JSON.stringify(this.engines)) delta.engines = merged.engines;
      if (JSON.stringify(merged.engine) !== JSON.stringify(this.engine)) delta.engine = merged.engine;
      this.engines = merged.engines;
      this.engine = merged.engine;
    }
    if (swarmChanged && JSON.stringify(merged.swarm) !== JSON.stringify(this.swarm)) {
      this.swarm = merged.swarm;
      // The whole swarm, or (no manager any more) an empty one: a delta cannot say "absent".
      delta.swarm = merged.swarm ?? { clusterId: "", manager: "", nodes: [], services: [], tasks: [] };
    }
    const changed =
      upsertContainers.length ||
      removeContainers.length ||
      upsertNetworks.length ||
      removeNetworks.length ||
      delta.engines ||
      delta.engine ||
      delta.swarm;
    if (!changed) return null;
    this.version++;
    return delta;
  }

  /**
   * Everything a change can affect, to a fixed point: containers of a dirty name on every engine, the
   * containers of a dirty task, and the tasks and names of every container taken in.
   */
  private closure(): { containerIds: Set<string>; taskIds: Set<string> } {
    const containerIds = new Set<string>();
    const taskIds = new Set<string>();
    const names = new Set<string>();
    const nameQueue = [...this.dirtyNames];
    const taskQueue = [...this.dirtyTasks];
    const containerQueue = [...this.dirtyContainers];
    while (nameQueue.length || taskQueue.length || containerQueue.length) {
      const name = nameQueue.pop();
      if (name !== undefined && !names.has(name)) {
        names.add(name);
        for (const id of this.partsByName.get(name)?.keys() ?? []) containerQueue.push(id);
        for (const id of this.mergedByName.get(name) ?? []) {
          const c = this.containers.get(id);
          if (c?.engine === undefined && c?.swarm?.taskId) taskQueue.push(c.swarm.taskId);
          else containerQueue.push(id);
        }
      }
      const task = taskQueue.pop();
      if (task !== undefined && !taskIds.has(task)) {
        taskIds.add(task);
        for (const id of this.partsByTask.get(task)?.keys() ?? []) containerQueue.push(id);
        const placeholder = this.placeholders.get(task);
        const shown = placeholder ? this.containers.get(placeholder) : undefined;
        if (shown) nameQueue.push(engineName(shown));
      }
      const id = containerQueue.pop();
      if (id !== undefined && !containerIds.has(id)) {
        containerIds.add(id);
        for (const c of this.versions(id)) {
          nameQueue.push(engineName(c));
          const t = taskOf(c);
          if (t) taskQueue.push(t);
        }
      }
    }
    return { containerIds, taskIds };
  }

  /** A container's engine-level and merged forms (either may be missing). */
  private versions(id: string): Container[] {
    const out: Container[] = [];
    const merged = this.containers.get(id);
    if (merged) out.push(merged);
    for (const part of this.parts) {
      const c = part.containers.get(id);
      if (c) out.push(c);
    }
    return out;
  }

  private restrictedParts(
    containerIds: Set<string>,
    taskIds: Set<string>,
    networkIds: Set<string>,
    wholeSwarm: boolean,
  ): FleetPart[] {
    const parts: FleetPart[] = [];
    for (const part of this.parts) {
      if (!part.header) continue;
      const containers: Container[] = [];
      const networks = new Map<string, Network>();
      for (const id of containerIds) {
        const c = part.containers.get(id);
        if (!c) continue;
        containers.push(c);
        // The container's networks go along: the merge may read them for its interfaces.
        for (const i of c.interfaces) {
          const n = part.networks.get(i.networkId);
          if (n) networks.set(n.id, n);
        }
      }
      // A placeholder's interfaces are named after its networks.
      for (const id of taskIds)
        for (const a of this.tasks.get(id)?.attachments ?? []) {
          const n = part.networks.get(a.networkId);
          if (n) networks.set(n.id, n);
        }
      const verboseNetworks: ApiNetwork[] = [];
      for (const id of networkIds) {
        const n = part.networks.get(id);
        if (n) networks.set(id, n);
        const v = part.verbose.get(id);
        if (v) verboseNetworks.push(v);
      }
      const swarm =
        part.swarm && (wholeSwarm ? part.swarm : this.restrictedSwarm(part.swarm, taskIds, networkIds));
      parts.push({
        key: part.key,
        url: part.url,
        topology: { ...part.header, containers, networks: [...networks.values()] },
        ...(swarm ? { swarm } : {}),
        ...(verboseNetworks.length ? { verboseNetworks } : {}),
      });
    }
    return parts;
  }

  /** The swarm with only the tasks in the closure and those attached to a changed network (its `nodes`). */
  private restrictedSwarm(swarm: Swarm, taskIds: Set<string>, networkIds: Set<string>): Swarm {
    const wanted = new Set(taskIds);
    for (const id of networkIds) for (const t of this.tasksByNetwork.get(id) ?? []) wanted.add(t);
    const tasks: SwarmTask[] = [];
    for (const id of wanted) {
      const t = this.tasks.get(id);
      if (t) tasks.push(t);
    }
    return { ...swarm, tasks };
  }

  private putContainer(part: Part, c: Container): void {
    const old = part.containers.get(c.id);
    if (old) {
      this.touchContainer(old);
      this.unindexPart(part, old);
    }
    part.containers.set(c.id, c);
    this.touchContainer(c);
    addTo(this.partsByName, c.name, c.id, part);
    const t = taskOf(c);
    if (t) addTo(this.partsByTask, t, c.id, part);
  }

  private unindexPart(part: Part, c: Container): void {
    removeFrom(this.partsByName, c.name, c.id);
    const t = taskOf(c);
    if (t) removeFrom(this.partsByTask, t, c.id);
  }

  private touchContainer(c: Container): void {
    this.dirtyContainers.add(c.id);
    this.dirtyNames.add(c.name);
    const t = taskOf(c);
    if (t) this.dirtyTasks.add(t);
  }

  /** Everything of an engine is re-merged: its key, its entry or its whole topology changed. */
  private touchPart(part: Part): void {
    for (const c of part.containers.values()) this.touchContainer(c);
    for (const id of part.networks.keys()) this.dirtyNetworks.add(id);
    for (const id of part.verbose.keys()) this.dirtyNetworks.add(id);
    this.enginesDirty = true;
    // Nodes are stamped with the key of their engine, and a node with an engine shows no task-only
    // placeholders; a swarm read before its manager's first sync waits for it.
    const nodeId = part.header?.engines[0]?.swarmNode?.nodeId;
    for (const id of nodeId ? (this.tasksByNode.get(nodeId) ?? []) : []) this.dirtyTasks.add(id);
    if (this.parts.some((p) => p.swarm)) this.swarmDirty = true;
  }

  private indexMerged(c: Container): void {
    const name = engineName(c);
    const set = this.mergedByName.get(name) ?? new Set<string>();
    set.add(c.id);
    this.mergedByName.set(name, set);
    if (c.engine === undefined && c.swarm?.taskId) this.placeholders.set(c.swarm.taskId, c.id);
  }

  private unindexMerged(c: Container): void {
    const name = engineName(c);
    const set = this.mergedByName.get(name);
    set?.delete(c.id);
    if (set && !set.size) this.mergedByName.delete(name);
    if (c.engine === undefined && c.swarm?.taskId && this.placeholders.get(c.swarm.taskId) === c.id)
      this.placeholders.delete(c.swarm.taskId);
  }
}

/** The task a container runs for, from its engine's label (the merge adds `swarm.taskId` from the manager). */
function taskOf(c: Container): string | undefined {
  return c.swarm?.taskId ?? c.labels[TASK_LABEL];
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function addTo(index: Map<string, Map<string, Part>>, key: string, id: string, part: Part): void {
  const map = index.get(key) ?? new Map<string, Part>();
  map.set(id, part);
  index.set(key, map);
}

function removeFrom(index: Map<string, Map<string, Part>>, key: string, id: string): void {
  const map = index.get(key);
  map?.delete(id);
  if (map && !map.size) index.delete(key);
}

function byName<T extends { name: string; id: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
