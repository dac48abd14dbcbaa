import type { EngineStatus, Topology, TopologyDelta } from "../../server/model/topology.ts";
import type { WhatIf, WhatIfChange } from "../../server/model/what-if/index.ts";
import { applyWhatIfs } from "../../server/model/what-if/index.ts";
import type { Store } from "../store.ts";

/** A teaching example as `GET /api/examples` lists it. */
export interface ExampleEntry {
  slug: string;
  title: string;
  description: string;
  rules: string[];
}

export interface TeachState {
  /** The example shown instead of the server's topology, or null for the server's own. */
  example: { entry: ExampleEntry; topology: Topology } | null;
  whatIfs: readonly WhatIf[];
  changes: readonly WhatIfChange[];
  /** Why the last what-if was refused, or why earlier ones no longer apply. */
  error: string | null;
}

export interface TeachSource {
  /** Hand this to `connectEvents` instead of the store: the server's stream passes through here. */
  feed: Store;
  get(): TeachState;
  subscribe(listener: (state: TeachState) => void): void;
  /** Shows an example (null: back to the server's topology); what-ifs are dropped. */
  showExample(example: TeachState["example"]): void;
  /** Applies one more what-if; returns the error message when the engine would refuse it. */
  apply(whatIf: WhatIf): string | null;
  undo(): void;
  reset(): void;
}

interface Live {
  seq: number;
  topology: Topology;
  status: EngineStatus;
}

/**
 * Sits between the server's stream and the store: passes it through untouched while nothing is changed, and
 * otherwise shows the example and/or the what-if topology (computed client-side) as a snapshot.
 */
export function createTeachSource(store: Store): TeachSource {
  let live: Live | null = null;
  let state: TeachState = { example: null, whatIfs: [], changes: [], error: null };
  const listeners = new Set<(s: TeachState) => void>();
  const overridden = (): boolean => state.example !== null || state.whatIfs.length > 0;

  function base(): Topology | null {
    return state.example?.topology ?? live?.topology ?? null;
  }

  function statusFor(topology: Topology): EngineStatus {
    const from = live?.status;
    return {
      reachable: from?.reachable ?? false,
      stale: state.example ? false : (from?.stale ?? false),
      source: topology.source,
      engineUrl: from?.engineUrl ?? null,
      apiVersion: topology.engine.apiVersion || null,
      serverVersion: topology.engine.serverVersion || null,
      error: from?.error ?? null,
      lastSyncAt: from?.lastSyncAt ?? topology.source.capturedAt,
    };
  }

  /** Recomputes what is shown; a what-if that no longer applies (its container went away) is dropped. */
  function show(error: string | null = null): void {
    const topology = base();
    let kept = [...state.whatIfs];
    let result = { topology: topology as Topology, changes: [] as WhatIfChange[] };
    if (topology) {
      for (;;) {
        try {
          result = applyWhatIfs(topology, kept);
          break;
        } catch (e) {
          error = `dropped a what-if that no longer applies: ${(e as Error).message}`;
          kept = kept.slice(0, -1);
        }
      }
    }
    state = { ...state, whatIfs: kept, changes: result.changes, error };
    if (topology) {
      if (overridden()) store.applySnapshot(live?.seq ?? 0, result.topology, statusFor(result.topology));
      else if (live) store.applySnapshot(live.seq, live.topology, live.status);
    }
    for (const l of listeners) l(state);
  }

  const feed: Store = {
    ...store,
    applySnapshot(seq, topology, status) {
      live = { seq, topology, status };
      if (overridden()) show(state.error);
      else store.applySnapshot(seq, topology, status);
    },
    applyDelta(delta) {
      if (!live || delta.seq <= live.seq) return;
      live = { ...live, seq: delta.seq, topology: applyDelta(live.topology, delta) };
      if (state.example) return;
      if (state.whatIfs.length) show(state.error);
      else store.applyDelta(delta);
    },
    setStatus(status) {
      if (live) live = { ...live, status };
      const shown = store.get().topology;
      store.setStatus(overridden() && shown ? statusFor(shown) : status);
    },
  };

  return {
    feed,
    get: () => state,
    subscribe: (listener) => void listeners.add(listener),
    showExample(example) {
      state = { example, whatIfs: [], changes: [], error: null };
      show();
    },
    apply(whatIf) {
      const topology = base();
      if (!topology) return "no topology yet";
      try {
        applyWhatIfs(topology, [...state.whatIfs, whatIf]);
      } catch (e) {
        const message = (e as Error).message;
        state = { ...state, error: message };
        for (const l of listeners) l(state);
        return message;
      }
      state = { ...state, whatIfs: [...state.whatIfs, whatIf] };
      show();
      return null;
    },
    undo() {
      state = { ...state, whatIfs: state.whatIfs.slice(0, -1) };
      show();
    },
    reset() {
      state = { ...state, whatIfs: [] };
      show();
    },
  };
}

/** The live topology after a delta (the store keeps its own copy; this one is the what-ifs' base). */
function applyDelta(t: Topology, delta: TopologyDelta): Topology {
  const networks = new Map(t.networks.map((n) => [n.id, n]));
  const containers = new Map(t.containers.map((c) => [c.id, c]));
  for (const id of delta.removeNetworks) networks.delete(id);
  for (const id of delta.removeContainers) containers.delete(id);
  for (const n of delta.upsertNetworks) networks.set(n.id, n);
  for (const c of delta.upsertContainers) containers.set(c.id, c);
  return {
    ...t,
    ...(delta.engine ? { engine: delta.engine } : {}),
    source: { ...t.source, capturedAt: delta.capturedAt },
    networks: [...networks.values()],
    containers: [...containers.values()],
  };
}
