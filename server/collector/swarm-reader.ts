import type { EngineClient } from "../engine/client.ts";
import type { ApiEvent } from "../model/engine-api.ts";
import type { SwarmLists } from "../model/fleet/part.ts";
import type { Swarm } from "../model/topology.ts";
import { readSwarmLists } from "./fleet.ts";
import { Debounce } from "./debounce.ts";
import type { LiveFollower } from "./live.ts";

export interface SwarmReaderOptions {
  /** Quiet time after the last trigger before `/nodes`, `/services` and `/tasks` are read again. */
  debounceMs?: number;
  /** Longest a read waits under a steady stream of triggers. */
  maxWaitMs?: number;
  /** How often the lists are read again while something is in flux (see {@link SwarmReader.inFlux}). */
  pollMs?: number;
  /** Polling stops once the lists stayed the same this long (a task stuck short of its desired state). */
  settleMs?: number;
}

/**
 * A swarm manager's nodes, services and tasks, kept live on the manager's events subscription: `service` and
 * `node` events, and (through {@link touch}) the container events of every engine of the fleet, since a task's
 * state changes emit no event of their own. Task transitions (a worker sits ~20–30 s in `preparing`) and a
 * node whose engine the fleet lost are followed by polling the lists until they settle.
 */
export class SwarmReader implements LiveFollower {
  readonly eventTypes = ["service", "node"];
  private lists: SwarmLists | undefined;
  private current: Swarm | undefined;
  private text = "null";
  private readonly debounce: Debounce;
  private pollTimer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private closed = false;
  private changedAt = 0;
  private readonly options: Required<SwarmReaderOptions>;

  constructor(
    private readonly client: EngineClient,
    /** The lists normalised (server/model/fleet/swarm.ts) under the manager's current map key. */
    private readonly normalize: (lists: SwarmLists) => Swarm,
    /** Called after a read that changed the swarm. */
    private readonly onChange: (swarm: Swarm | undefined) => void,
    /** True while the fleet expects the lists to change without an event (a lost engine's node still ready). */
    private readonly fleetInFlux: () => boolean = () => false,
    options: SwarmReaderOptions = {},
  ) {
    this.options = { debounceMs: 50, maxWaitMs: 250, pollMs: 1_000, settleMs: 60_000, ...options };
    this.debounce = new Debounce(this.options.debounceMs, this.options.maxWaitMs, () => {
      // A failed read leaves the last swarm; the manager's reconnect resyncs it.
      this.reading = this.reading.then(() => this.resync()).catch(() => undefined);
    });
  }

  swarm(): Swarm | undefined {
    return this.current;
  }

  /**
   * Reads the three lists at once; a change is reported through `onChange`. They are asked of every engine,
   * alongside its container and network lists: only a manager answers (a worker or a standalone engine says
   * 503 "not a swarm manager"), and asking costs less than waiting for /info to tell.
   */
  async resync(): Promise<void> {
    this.lists = await readSwarmLists(this.client);
    this.renormalize();
    this.pollWhileInFlux();
  }

  /** Normalises the last lists again (the manager's map key changed); a change is reported. */
  renormalize(): void {
    const swarm = this.lists && this.normalize(this.lists);
    const text = JSON.stringify(swarm ?? null);
    if (text !== this.text) {
      this.text = text;
      this.current = swarm;
      this.changedAt = Date.now();
      this.onChange(swarm);
    }
  }

  /** True when this engine answered as a swarm manager. */
  manages(): boolean {
    return this.current !== undefined;
  }

  onEvent(event: ApiEvent): void {
    if (event.Type === "service" || event.Type === "node") this.touch();
  }

  /** Something that may change the lists happened (an event, a task's container changed on some engine). */
  touch(): void {
    if (this.closed || !this.current) return;
    this.debounce.trigger();
  }

  /** True while a task is on its way to its desired state. */
  inFlux(): boolean {
    return (this.current?.tasks ?? []).some((t) => moving(t.desiredState, t.state));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.debounce.cancel();
    clearTimeout(this.pollTimer);
    await this.reading;
  }

  private pollWhileInFlux(): void {
    clearTimeout(this.pollTimer);
    const settling = this.inFlux() && Date.now() - this.changedAt < this.options.settleMs;
    if (this.closed || !(settling || this.fleetInFlux())) return;
    this.pollTimer = setTimeout(() => this.touch(), this.options.pollMs);
  }
}

const SETTLED = new Set(["complete", "shutdown", "failed", "rejected", "orphaned", "remove"]);

/** A task that wants to run and does not yet, or that was told to stop and still runs. */
function moving(desired: string, state: string): boolean {
  if (desired === "running") return state !== "running" && !SETTLED.has(state);
  return !SETTLED.has(state);
}
