import type { EngineClient } from "../engine/client.ts";
import type { TopologyFeed } from "../feed/feed.ts";
import { FleetMirror } from "../model/fleet/fleet-mirror.ts";
import { fleetKeys } from "../model/fleet/merge.ts";
import { normalizeSwarm } from "../model/fleet/swarm.ts";
import type {
  Container,
  EngineHealth,
  EngineStatus,
  ServerEvent,
  Swarm,
  Topology,
  TopologyDelta,
  TopologySource,
} from "../model/topology.ts";
import type { FleetEngine } from "./fleet.ts";
import { identity, sameEngineTwice } from "./fleet.ts";
import type { LiveOptions } from "./live.ts";
import { LiveTopology } from "./live.ts";
import type { SwarmReaderOptions } from "./swarm-reader.ts";
import { SwarmReader } from "./swarm-reader.ts";

export interface FleetOptions extends Omit<LiveOptions, "follower"> {
  swarm?: SwarmReaderOptions;
  /**
   * When an overlay's membership changed, how long until each engine's verbose view of it is read again, and
   * once more after the second delay: peers reach the other nodes by gossip, a moment after the change.
   */
  viewDelaysMs?: readonly number[];
}

type Listener = (event: ServerEvent) => void;

const TASK_LABEL = "com.docker.swarm.task.id";

interface Member {
  index: number;
  given: string | undefined;
  client: EngineClient;
  live: LiveTopology;
  reader: SwarmReader;
  key: string;
  status: EngineStatus;
  role: "manager" | "worker" | null;
  nodeId: string | null;
  clusterId: string;
  /** Its /info Name and whether it is in a swarm, once synced. */
  name: string;
  swarmMember: boolean;
  synced: boolean;
}

/**
 * The live topology of several engines as one map: one {@link LiveTopology} per engine (its own events
 * subscription, health, reconnect and staleness), the swarm read from a manager among them
 * ({@link SwarmReader}), overlays' per-node verbose views, all merged by {@link FleetMirror}. It sends one
 * snapshot, then deltas in `seq` order; an engine that is down only marks its own part stale.
 */
export class LiveFleet implements TopologyFeed {
  private readonly members: Member[];
  private readonly mirror = new FleetMirror();
  private readonly listeners = new Set<Listener>();
  private readonly viewDelaysMs: readonly number[];
  private seq = 0;
  private started = false;
  private snapshotSent = false;
  private status: EngineStatus;
  private closed = false;
  private readonly viewTimers = new Set<NodeJS.Timeout>();
  private viewReads: Promise<void> = Promise.resolve();

  constructor(engines: FleetEngine[], options: FleetOptions = {}) {
    if (!engines.length) throw new Error("a fleet needs at least one engine");
    const { swarm: swarmOptions, viewDelaysMs = [100, 2_000], ...liveOptions } = options;
    this.viewDelaysMs = viewDelaysMs;
    this.members = engines.map((engine, index) => {
      const member = { index, given: engine.key, client: engine.client } as Member;
      member.key = engine.key ?? engine.client.url;
      member.reader = new SwarmReader(
        engine.client,
        (lists) => normalizeSwarm(member.key, member.clusterId, lists.nodes, lists.services, lists.tasks),
        (swarm) => this.onSwarm(member, swarm),
        () => this.nodesInFlux(),
        swarmOptions,
      );
      member.live = new LiveTopology(engine.client, { ...liveOptions, follower: member.reader });
      member.status = member.live.currentStatus();
      member.role = null;
      member.nodeId = null;
      member.clusterId = "";
      member.name = "";
      member.swarmMember = false;
      member.synced = false;
      this.mirror.addEngine(member.key, engine.client.url);
      member.live.subscribe((event) => this.onMemberEvent(member, event));
      return member;
    });
    this.status = this.summary();
  }

  /**
   * Connects every engine at once; resolves when each has made its first attempt (a dead one does not wait).
   * Rejects, closed, when two of the addresses reach the same engine.
   */
  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => m.live.start()));
    try {
      sameEngineTwice(
        this.members
          .filter((m) => m.synced)
          .map((m) => ({ url: m.client.url, id: identity(m.live.current().topology) })),
      );
    } catch (error) {
      await this.close();
      throw error;
    }
    this.started = true;
    if (this.mirror.hasTopology()) this.sendSnapshot();
    this.setStatus();
  }

  hasTopology(): boolean {
    return this.snapshotSent;
  }

  current(): { seq: number; topology: Topology; status: EngineStatus } {
    return { seq: this.seq, topology: this.mirror.topology(this.status.source), status: this.status };
  }

  currentStatus(): EngineStatus {
    return this.status;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.viewTimers) clearTimeout(timer);
    await Promise.all(this.members.flatMap((m) => [m.live.close(), m.reader.close()]));
    await this.viewReads;
  }

  private onMemberEvent(member: Member, event: ServerEvent): void {
    if (event.type === "snapshot") {
      member.synced = true;
      member.status = event.status;
      this.learnEntry(member, event.topology);
      this.mirror.setEngine(member.index, event.topology);
      this.syncViews(member);
      this.rekey();
      if (this.started) {
        if (this.snapshotSent) this.flush();
        else this.sendSnapshot();
      }
      this.managerTouch();
      this.setStatus();
    } else if (event.type === "delta") {
      this.onMemberDelta(member, event.delta);
    } else {
      const wasReachable = member.status.reachable;
      member.status = event.status;
      // A lost engine: the manager marks its node down after a few missed heartbeats; a returning one rejoins.
      if (wasReachable !== event.status.reachable) this.managerTouch();
      if (!wasReachable && event.status.reachable)
        this.scheduleViews([member], this.mirror.swarmNetworks(member.index));
      this.setStatus();
    }
  }

  private onMemberDelta(member: Member, delta: TopologyDelta): void {
    const overlays = new Set<string>();
    let tasksChanged = false;
    const swarmScoped = new Set([
      ...this.mirror.swarmNetworks(member.index),
      ...delta.upsertNetworks.filter((n) => n.scope === "swarm").map((n) => n.id),
    ]);
    const endpoints = (c: Container | undefined) =>
      (c?.interfaces ?? [])
        .filter((f) => swarmScoped.has(f.networkId))
        .map((f) => `${f.networkId}|${f.endpointId ?? ""}|${f.ipv4 ?? ""}`)
        .sort();
    const compare = (before: Container | undefined, now: Container | undefined) => {
      // A task's state follows its container's life (not a pause, a rename): only then is /tasks read again.
      const task = (before ?? now)?.labels[TASK_LABEL];
      if (task && (!before || !now || alive(before) !== alive(now))) tasksChanged = true;
      const [a, b] = [endpoints(before), endpoints(now)];
      if (a.join(",") === b.join(",")) return;
      for (const e of [...a, ...b]) overlays.add(e.slice(0, e.indexOf("|")));
    };
    for (const c of delta.upsertContainers) compare(this.mirror.engineContainer(member.index, c.id), c);
    for (const id of delta.removeContainers)
      compare(this.mirror.engineContainer(member.index, id), undefined);
    const ownOverlays = delta.upsertNetworks.filter((n) => n.scope === "swarm").map((n) => n.id);
    this.mirror.applyDelta(member.index, delta);
    if (delta.engine) {
      this.learnEntry(member, member.live.current().topology);
      this.rekey();
    }
    this.syncViews(member);
    this.flush();
    if (tasksChanged) this.managerTouch();
    // Overlay membership changed: every node's view of that overlay (its peers, its backends) may have.
    if (overlays.size) this.scheduleViews(this.members, [...overlays]);
    if (ownOverlays.length) this.scheduleViews([member], ownOverlays);
  }

  private onSwarm(member: Member, swarm: Swarm | undefined): void {
    this.mirror.setSwarm(member.index, swarm);
    if (member.synced) this.flush();
    this.setStatus();
  }

  /** The engine's own swarm node and role, from its entry. */
  private learnEntry(member: Member, topology: Topology): void {
    const entry = topology.engines[0];
    member.role = entry?.swarmNode?.role ?? null;
    member.nodeId = entry?.swarmNode?.nodeId ?? null;
    member.clusterId = entry?.swarmNode?.clusterId ?? "";
    member.name = topology.engine.name;
    member.swarmMember = topology.engine.swarm;
    this.mirror.setEntry(member.index, topology);
  }

  /** Map keys (fleetKeys); before its first sync an engine goes by the name given, else its address. */
  private rekey(): void {
    const keys = fleetKeys(
      this.members.map((m) => ({
        given: m.given,
        hostname: m.synced ? m.name : m.given || m.client.url,
        swarmMember: m.swarmMember,
      })),
    );
    this.members.forEach((member, i) => {
      if (keys[i] === member.key) return;
      member.key = keys[i];
      this.mirror.setKey(member.index, keys[i]);
    });
    // `Swarm.manager` and the cluster ID come from the manager's entry.
    for (const member of this.members) member.reader.renormalize();
  }

  /** The first engine that answered as a swarm manager: the one whose swarm the map shows. */
  private manager(): Member | undefined {
    return this.members.find((m) => m.reader.manages());
  }

  private managerTouch(): void {
    this.manager()?.reader.touch();
  }

  /** True while a connected engine's node and its connection disagree: the manager is about to notice. */
  private nodesInFlux(): boolean {
    const nodes = this.manager()?.reader.swarm()?.nodes ?? [];
    return this.members.some((m) => {
      const node = m.nodeId ? nodes.find((n) => n.id === m.nodeId) : undefined;
      if (!node || !m.synced) return false;
      return m.status.reachable !== (node.state === "ready");
    });
  }

  /**
   * Reads the verbose views of `networks` again on each of `members` that holds them, soon and once more after
   * a while: peers reach the other nodes by gossip, a moment after the change.
   */
  private scheduleViews(members: Member[], networks: string[]): void {
    if (!networks.length || this.closed) return;
    for (const delay of this.viewDelaysMs) {
      const timer = setTimeout(() => {
        this.viewTimers.delete(timer);
        this.viewReads = this.viewReads.then(async () => {
          await Promise.all(
            members.map(async (m) => {
              const held = new Set(this.mirror.swarmNetworks(m.index));
              const ids = networks.filter((id) => held.has(id));
              if (!ids.length || !m.status.reachable) return;
              await m.live.refreshNetworks(ids);
              this.syncViews(m);
            }),
          );
          this.flush();
        });
      }, delay);
      this.viewTimers.add(timer);
    }
  }

  /** Hands the engine's verbose inspects of its swarm-scope networks to the merge (unchanged ones cost a compare). */
  private syncViews(member: Member): void {
    for (const id of this.mirror.swarmNetworks(member.index))
      this.mirror.setVerbose(member.index, id, member.live.networkDetail(id) ?? null);
  }

  private sendSnapshot(): void {
    this.mirror.takeDelta(this.seq, new Date().toISOString());
    this.snapshotSent = true;
    this.status = this.summary();
    const { seq, topology, status } = this.current();
    this.emit({ type: "snapshot", seq, topology, status });
  }

  private flush(): void {
    if (!this.snapshotSent) return;
    const delta = this.mirror.takeDelta(this.seq + 1, new Date().toISOString());
    if (!delta) return;
    this.seq = delta.seq;
    this.emit({ type: "delta", delta });
  }

  private setStatus(): void {
    const next = this.summary();
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.emit({ type: "status", status: next });
  }

  /** The fleet's status: each engine's health, summed up in the single-engine fields. */
  private summary(): EngineStatus {
    const engines: EngineHealth[] = this.members.map((m) => ({
      key: m.key,
      url: m.client.url,
      reachable: m.status.reachable,
      stale: m.status.stale,
      apiVersion: m.status.apiVersion,
      serverVersion: m.status.serverVersion,
      swarmRole: m.role,
      error: m.status.error,
      lastSyncAt: m.status.lastSyncAt,
    }));
    const statuses = this.members.map((m) => m.status);
    if (statuses.length === 1) return { ...statuses[0], engines };
    const errors = this.members.filter((m) => m.status.error).map((m) => `${m.key}: ${m.status.error}`);
    const synced = statuses.map((s) => s.lastSyncAt);
    return {
      reachable: statuses.some((s) => s.reachable),
      stale: statuses.some((s) => s.stale),
      source: fleetSource(statuses.map((s) => s.source)),
      engineUrl: this.members.map((m) => m.client.url).join(", "),
      apiVersion: statuses.find((s) => s.apiVersion)?.apiVersion ?? null,
      serverVersion: statuses.find((s) => s.serverVersion)?.serverVersion ?? null,
      error: errors.length ? errors.join("; ") : null,
      // The whole map is as fresh as its least recently synced engine.
      lastSyncAt: synced.some((s) => s === null) ? null : ([...(synced as string[])].sort()[0] ?? null),
      engines,
    };
  }

  private emit(event: ServerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** A container whose task the manager shows running (a paused container's task still runs). */
function alive(c: Container): boolean {
  return c.state === "running" || c.state === "paused";
}

/** A fleet is labelled by its engines' addresses, captured when the last of them was read. */
function fleetSource(sources: TopologySource[]): TopologySource {
  return {
    kind: "live",
    label: sources.map((s) => s.label).join(", "),
    capturedAt:
      sources
        .map((s) => s.capturedAt)
        .sort()
        .at(-1) ?? new Date().toISOString(),
  };
}
