import type { EngineClient } from "../engine/client.ts";
import type { ApiEvent, ApiNetwork } from "../model/engine-api.ts";
import type { EngineStatus, ServerEvent, Topology } from "../model/topology.ts";
import { Collector, liveSource } from "./collect.ts";
import { Debounce } from "./debounce.ts";

export interface LiveOptions {
  /** Quiet time after the last event before a batch is applied (one `docker run` is create + N×connect + start). */
  debounceMs?: number;
  /** Longest a batch waits under a steady stream of events. */
  maxWaitMs?: number;
  /** Reconnect backoff: first and longest delay. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Something else that lives on this engine's events subscription (a swarm manager's services and nodes). */
  follower?: LiveFollower;
}

/**
 * A reader that shares an engine's one events subscription: it receives the events of its own types, and
 * resyncs with the engine's containers and networks after every (re)connect, since events can be lost meanwhile.
 */
export interface LiveFollower {
  readonly eventTypes: string[];
  onEvent(event: ApiEvent): void;
  resync(): Promise<void>;
}

type Listener = (event: ServerEvent) => void;

/** How often, and how far apart, a container is read again when the list lags behind a network event. */
const RECHECKS = 5;
const RECHECK_MS = 40;

/** Container actions that cannot change topology (§3: exec, top, resize, attach, health). */
const IGNORED_ACTIONS =
  /^(exec_|top$|resize$|attach$|detach$|health_status|copy$|export$|commit$|archive-path$|extract-to-dir$)/;

/**
 * The live topology of one engine: one events subscription (container and network, never filtered by label,
 * §2.4), debounced batches that re-read only what changed and emit deltas, and on any break a reconnect with
 * backoff followed by a full resync (§3: the engine replays at most 256 events). A dead engine is reported
 * through the status; the last topology stays, marked stale.
 */
export class LiveTopology {
  private readonly collector: Collector;
  private readonly listeners = new Set<Listener>();
  private readonly abort = new AbortController();
  private readonly pendingContainers = new Set<string>();
  private readonly pendingNetworks = new Set<string>();
  /** Network events whose effect the container list did not show yet, by `container|network`. */
  private readonly expected = new Map<
    string,
    { container: string; network: string; connected: boolean; tries: number }
  >();
  private recheckTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private synced = false;
  private status: EngineStatus;
  private readonly debounce: Debounce;
  private running: Promise<void> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly options: Required<Omit<LiveOptions, "follower">>;
  private readonly follower: LiveFollower | undefined;

  constructor(
    private readonly client: EngineClient,
    options: LiveOptions = {},
  ) {
    const { follower, ...timing } = options;
    this.options = { debounceMs: 25, maxWaitMs: 150, retryMinMs: 250, retryMaxMs: 10_000, ...timing };
    this.follower = follower;
    this.debounce = new Debounce(this.options.debounceMs, this.options.maxWaitMs, () => {
      this.flushing = this.flushing.then(() => this.flush());
    });
    this.collector = new Collector(client);
    this.status = {
      reachable: false,
      stale: true,
      source: liveSource(client.url),
      engineUrl: client.url,
      apiVersion: null,
      serverVersion: null,
      error: null,
      lastSyncAt: null,
    };
  }

  /** Connects and keeps the topology live until {@link close}. Resolves after the first attempt to sync. */
  async start(): Promise<void> {
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.running = this.run(firstAttempt);
    await attempted;
  }

  /** True once a full sync has succeeded at least once. */
  hasTopology(): boolean {
    return this.synced;
  }

  current(): { seq: number; topology: Topology; status: EngineStatus } {
    return { seq: this.seq, topology: this.collector.topology(), status: this.status };
  }

  /** The engine's last inspect of a network (verbose for a swarm-scope one), when one was needed. */
  networkDetail(id: string): ApiNetwork | undefined {
    return this.collector.mirror.rawNetworkDetail(id);
  }

  /**
   * Reads the given networks again, after whatever is being applied: a swarm overlay's verbose view changes
   * with its members on other nodes, which this engine sends no event for. A failure is left to the next
   * resync. Resolves once read.
   */
  refreshNetworks(ids: string[]): Promise<void> {
    const read = this.flushing.then(async () => {
      try {
        for (const id of ids) await this.collector.refreshNetwork(id);
        this.emitDelta();
      } catch {
        // The engine is going away: its status says so, and its resync reads every network again.
      }
    });
    this.flushing = read;
    return read;
  }

  currentStatus(): EngineStatus {
    return this.status;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.abort.abort();
    this.debounce.cancel();
    clearTimeout(this.recheckTimer);
    await this.running;
    await this.flushing;
  }

  private async run(firstAttempt: () => void): Promise<void> {
    let delay = this.options.retryMinMs;
    while (!this.abort.signal.aborted) {
      try {
        // Subscribe first, then sync: nothing that happens in between is lost.
        const events = await this.client.events(this.abort.signal, this.follower?.eventTypes);
        await this.resync();
        firstAttempt();
        delay = this.options.retryMinMs;
        for await (const event of events) this.onEvent(event);
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.setStatus({ reachable: false, stale: true, error: (error as Error).message });
        firstAttempt();
      }
      if (this.abort.signal.aborted) break;
      await sleep(delay, this.abort.signal);
      delay = Math.min(delay * 2, this.options.retryMaxMs);
    }
  }

  private async resync(): Promise<void> {
    await Promise.all([this.collector.fullSync({ refreshDaemon: true }), this.follower?.resync()]);
    this.pendingContainers.clear();
    this.pendingNetworks.clear();
    const wasSynced = this.synced;
    this.synced = true;
    const engine = this.collector.topology().engine;
    const status = {
      reachable: true,
      stale: false,
      error: null,
      apiVersion: engine.apiVersion,
      serverVersion: engine.serverVersion,
      lastSyncAt: new Date().toISOString(),
      source: liveSource(this.client.url),
    };
    if (!wasSynced) {
      this.collector.takeDelta(this.seq);
      this.status = { ...this.status, ...status };
      const { seq, topology } = this.current();
      this.emit({ type: "snapshot", seq, topology, status: this.status });
      return;
    }
    this.emitDelta();
    this.setStatus(status);
  }

  private onEvent(event: ApiEvent): void {
    const id = event.Actor?.ID;
    if (!id) return;
    if (event.Type === "container") {
      if (IGNORED_ACTIONS.test(event.Action)) return;
      this.pendingContainers.add(id);
    } else if (event.Type === "network") {
      const container = event.Actor.Attributes?.container;
      const network = event.Actor.Attributes?.name;
      if (container) {
        this.pendingContainers.add(container);
        if (network && (event.Action === "connect" || event.Action === "disconnect")) {
          this.expected.set(`${container}|${network}`, {
            container,
            network,
            connected: event.Action === "connect",
            tries: 0,
          });
        }
      } else this.pendingNetworks.add(id);
    } else {
      this.follower?.onEvent(event);
      return;
    }
    this.schedule();
  }

  /**
   * The engine can announce a connect or disconnect a moment before its container list shows it; a container
   * whose list entry still disagrees with its last network event is read again, a few times, with backoff.
   */
  private recheck(): void {
    let due = false;
    for (const [key, e] of this.expected) {
      const networks = this.collector.mirror.rawContainer(e.container)?.NetworkSettings?.Networks ?? {};
      const gone = !this.collector.mirror.rawContainer(e.container);
      if (gone || e.network in networks === e.connected || e.tries >= RECHECKS) {
        this.expected.delete(key);
        continue;
      }
      e.tries++;
      this.pendingContainers.add(e.container);
      due = true;
    }
    if (due && !this.abort.signal.aborted) {
      clearTimeout(this.recheckTimer);
      this.recheckTimer = setTimeout(() => this.schedule(), RECHECK_MS);
    }
  }

  private schedule(): void {
    this.debounce.trigger();
  }

  private async flush(): Promise<void> {
    const networks = [...this.pendingNetworks];
    const containers = [...this.pendingContainers];
    this.pendingNetworks.clear();
    this.pendingContainers.clear();
    try {
      for (const id of networks) await this.collector.refreshNetwork(id);
      await this.collector.refreshContainers(containers);
      this.emitDelta();
      this.recheck();
    } catch (error) {
      // The next resync (after the stream breaks) or the next event repairs it; say so meanwhile.
      for (const id of networks) this.pendingNetworks.add(id);
      for (const id of containers) this.pendingContainers.add(id);
      this.setStatus({ stale: true, error: (error as Error).message });
    }
  }

  private emitDelta(): void {
    const delta = this.collector.takeDelta(this.seq + 1);
    if (!delta) return;
    this.seq = delta.seq;
    this.emit({ type: "delta", delta });
  }

  private setStatus(patch: Partial<EngineStatus>): void {
    const next = { ...this.status, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.emit({ type: "status", status: next });
  }

  private emit(event: ServerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
