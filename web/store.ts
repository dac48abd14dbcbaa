import type { ExampleEntry } from "../server/example/examples.ts";
import type { Disagreement, ObservedVerdict, ProbeReport } from "../server/model/probe-types.ts";
import type { Container, EngineStatus, Network, Topology, TopologyDelta } from "../server/model/topology.ts";
import type { WhatIf, WhatIfChange } from "../server/model/what-if/index.ts";
import { applyWhatIfs } from "../server/model/what-if/index.ts";
import type { Scope } from "./scope/scope.ts";
import { EMPTY_SCOPE } from "./scope/scope.ts";

/** How the page is connected to the collector's event stream. */
export type ConnectionState = "connecting" | "open" | "reconnecting";

/** Why subscribers are being told: a full replacement, an incremental change, or only view state. */
export type ChangeReason =
  | "snapshot"
  | "delta"
  | "status"
  | "connection"
  | "selection"
  | "view"
  | "pair"
  | "tab"
  | "matrix"
  | "probe"
  | "teach";

/** What the teaching tools show instead of the server's topology: an example and/or what-ifs (client-side). */
export interface TeachState {
  /** The example shown instead of the server's topology, or null for the server's own. */
  example: { entry: ExampleEntry; topology: Topology } | null;
  whatIfs: readonly WhatIf[];
  changes: readonly WhatIfChange[];
  /** Why the last what-if was refused, or why earlier ones no longer apply. */
  error: string | null;
}

/** The pseudo-end standing for the Docker host's own namespace (the model's `HOST`). */
export const HOST_END = "@host";

/** An ordered pair of ends: container IDs or `@host`. */
export interface Pair {
  from: string;
  to: string;
}

export type Tab = "graph" | "matrix";

export interface MatrixOptions {
  sort: "asc" | "desc";
  group: "none" | "project" | "network";
}

/** What `GET /api/health` says about probes; null until known (or on a server without them). */
export interface ProbeCapability {
  enabled: boolean;
  image: string;
}

/** The probe run of the explained pair. */
export type ProbeRun =
  | { pair: Pair; state: "running" }
  | { pair: Pair; state: "done"; report: ProbeReport; disagreements: Disagreement[] }
  | { pair: Pair; state: "error"; error: string }
  | { pair: Pair; state: "cancelled" };

/** What probes observed for one pair, painted onto the graph and the matrix. */
export interface Observation {
  verdict: ObservedVerdict;
  /** True when any disagreement with the prediction was found for the pair. */
  disagrees: boolean;
}

/** Key of an ordered pair in `State.observed`. */
export const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export interface ViewOptions {
  showSystem: boolean;
  showEmpty: boolean;
  showAddresses: boolean;
}

export interface State {
  /** What is shown: the server's topology, or the example, with the what-ifs applied. Null until known. */
  topology: Topology | null;
  status: EngineStatus | null;
  seq: number;
  connection: ConnectionState;
  /** Pinned selection (click / Enter): a container or network ID. */
  selectedId: string | null;
  /** Transient preview (hover / focus). */
  hoverId: string | null;
  view: ViewOptions;
  /** Filters, collapsed projects, focus and search of a big graph (`web/scope/`). */
  scope: Scope;
  /** The pair explained in the side panel. */
  pair: Pair | null;
  tab: Tab;
  matrix: MatrixOptions;
  probes: ProbeCapability | null;
  probe: ProbeRun | null;
  /** Observed verdicts by `pairKey`; kept across topology changes until the ends disappear. */
  observed: ReadonlyMap<string, Observation>;
  teach: TeachState;
}

export type Listener = (state: State, reason: ChangeReason) => void;

export interface Store {
  get(): State;
  subscribe(listener: Listener): () => void;
  /**
   * Calls `listener` when what `select` picks out of the state changes (by identity; an array selection
   * element by element), so a panel redraws only for what it reads.
   */
  watch<T>(
    select: (state: State) => T,
    listener: (value: T, state: State, reason: ChangeReason) => void,
  ): () => void;
  applySnapshot(seq: number, topology: Topology, status: EngineStatus): void;
  applyDelta(delta: TopologyDelta): void;
  setStatus(status: EngineStatus): void;
  setConnection(connection: ConnectionState): void;
  select(id: string | null): void;
  hover(id: string | null): void;
  setView(view: Partial<ViewOptions>): void;
  setScope(scope: Partial<Scope>): void;
  setPair(pair: Pair | null): void;
  setTab(tab: Tab): void;
  setMatrix(options: Partial<MatrixOptions>): void;
  setProbes(probes: ProbeCapability | null): void;
  setProbe(run: ProbeRun | null): void;
  /** Shows an example (null: back to the server's topology); what-ifs are dropped. */
  showExample(example: TeachState["example"]): void;
  /** Applies one more what-if; returns the error message when the engine would refuse it. */
  applyWhatIf(whatIf: WhatIf): string | null;
  undoWhatIf(): void;
  resetWhatIfs(): void;
}

const sameSelection = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;

/**
 * The page's one store. The server's topology is kept as ID-keyed maps so deltas apply in O(changes); the
 * teaching tools' example and what-ifs are state here too, and what is shown is derived from both.
 */
export function createStore(): Store {
  // The server's topology (the stream's), and what is shown: the same maps unless an example or what-if is on.
  let live: { seq: number; topology: Topology; status: EngineStatus } | null = null;
  let liveNetworks = new Map<string, Network>();
  let liveContainers = new Map<string, Container>();
  let networks = liveNetworks;
  let containers = liveContainers;
  let state: State = {
    topology: null,
    status: null,
    seq: -1,
    connection: "connecting",
    selectedId: null,
    hoverId: null,
    view: { showSystem: true, showEmpty: true, showAddresses: true },
    scope: EMPTY_SCOPE,
    pair: null,
    tab: "graph",
    matrix: { sort: "asc", group: "none" },
    probes: null,
    probe: null,
    observed: new Map(),
    teach: { example: null, whatIfs: [], changes: [], error: null },
  };
  const listeners = new Set<Listener>();
  const overridden = (): boolean => state.teach.example !== null || state.teach.whatIfs.length > 0;

  function emit(reason: ChangeReason): void {
    for (const listener of listeners) listener(state, reason);
  }

  function rebuild(base: Topology, patch: Partial<Topology>): Topology {
    return {
      ...base,
      ...patch,
      networks: [...liveNetworks.values()],
      containers: [...liveContainers.values()],
    };
  }

  /** The status shown with an example or what-if topology: the server's connection, the topology's engine. */
  function statusFor(topology: Topology): EngineStatus {
    const from = live?.status;
    return {
      reachable: from?.reachable ?? false,
      stale: state.teach.example ? false : (from?.stale ?? false),
      source: topology.source,
      engineUrl: from?.engineUrl ?? null,
      apiVersion: topology.engine.apiVersion || null,
      serverVersion: topology.engine.serverVersion || null,
      error: from?.error ?? null,
      lastSyncAt: from?.lastSyncAt ?? topology.source.capturedAt,
      // An example is no fleet of the server's: its engines' health would be a stranger's.
      ...(from?.engines && !state.teach.example ? { engines: from.engines } : {}),
    };
  }

  /** Recomputes what is shown; a what-if that no longer applies (its container went away) is dropped. */
  function show(teach: Omit<TeachState, "changes">, reason: ChangeReason): void {
    const base = teach.example?.topology ?? live?.topology ?? null;
    let kept = [...teach.whatIfs];
    let error = teach.error;
    let result: { topology: Topology | null; changes: WhatIfChange[] } = { topology: base, changes: [] };
    while (base) {
      try {
        result = applyWhatIfs(base, kept);
        break;
      } catch (e) {
        error = `dropped a what-if that no longer applies: ${(e as Error).message}`;
        kept = kept.slice(0, -1);
      }
    }
    const shown = result.topology;
    state = { ...state, teach: { example: teach.example, whatIfs: kept, changes: result.changes, error } };
    if (!shown) return emit(reason);
    if (overridden()) {
      networks = new Map(shown.networks.map((n) => [n.id, n]));
      containers = new Map(shown.containers.map((c) => [c.id, c]));
    } else {
      networks = liveNetworks;
      containers = liveContainers;
    }
    state = {
      ...state,
      topology: shown,
      status: overridden() || !live ? statusFor(shown) : live.status,
      seq: live?.seq ?? 0,
      selectedId: keepSelection(state.selectedId),
      hoverId: null,
      ...keepPairs(),
    };
    emit(reason);
  }

  /** Drops a pinned selection whose element no longer exists. */
  function keepSelection(id: string | null): string | null {
    return id !== null && (containers.has(id) || networks.has(id)) ? id : null;
  }

  const hasEnd = (id: string): boolean => id === HOST_END || containers.has(id);

  /** Drops a pair, and observations, whose ends no longer exist. */
  function keepPairs(): Pick<State, "pair" | "observed"> {
    const pair = state.pair && hasEnd(state.pair.from) && hasEnd(state.pair.to) ? state.pair : null;
    const observed = new Map(
      [...state.observed].filter(([key]) => key.split("\u0000").every((id) => hasEnd(id))),
    );
    return { pair, observed: observed.size === state.observed.size ? state.observed : observed };
  }

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watch(select, listener) {
      let last = select(state);
      const watcher: Listener = (s, reason) => {
        const next = select(s);
        if (sameSelection(next, last)) return;
        last = next;
        listener(next, s, reason);
      };
      listeners.add(watcher);
      return () => listeners.delete(watcher);
    },
    applySnapshot(seq, topology, status) {
      liveNetworks = new Map(topology.networks.map((n) => [n.id, n]));
      liveContainers = new Map(topology.containers.map((c) => [c.id, c]));
      live = { seq, topology: rebuild(topology, {}), status };
      show(state.teach, "snapshot");
    },
    applyDelta(delta) {
      // Deltas apply in seq order; one that is not newer than what we hold is a replay and is ignored.
      if (!live || delta.seq <= live.seq) return;
      for (const id of delta.removeNetworks) liveNetworks.delete(id);
      for (const id of delta.removeContainers) liveContainers.delete(id);
      for (const n of delta.upsertNetworks) liveNetworks.set(n.id, n);
      for (const c of delta.upsertContainers) liveContainers.set(c.id, c);
      const source = { ...live.topology.source, capturedAt: delta.capturedAt };
      // A fleet's deltas carry the whole engine list and the whole swarm when any part of them changed.
      const topology = rebuild(live.topology, {
        source,
        ...(delta.engine ? { engine: delta.engine } : {}),
        ...(delta.engines ? { engines: delta.engines } : {}),
        ...(delta.swarm ? { swarm: delta.swarm } : {}),
      });
      live = { ...live, seq: delta.seq, topology };
      // An example hides the server's changes; what-ifs are applied again on top of them.
      if (state.teach.example) return;
      if (state.teach.whatIfs.length) return show(state.teach, "snapshot");
      state = {
        ...state,
        topology,
        seq: delta.seq,
        selectedId: keepSelection(state.selectedId),
        hoverId: keepSelection(state.hoverId),
        ...keepPairs(),
      };
      emit("delta");
    },
    setStatus(status) {
      if (live) live = { ...live, status };
      state = { ...state, status: overridden() && state.topology ? statusFor(state.topology) : status };
      emit("status");
    },
    setConnection(connection) {
      if (connection === state.connection) return;
      state = { ...state, connection };
      emit("connection");
    },
    select(id) {
      if (id === state.selectedId) return;
      state = { ...state, selectedId: id };
      emit("selection");
    },
    hover(id) {
      if (id === state.hoverId) return;
      state = { ...state, hoverId: id };
      emit("selection");
    },
    setScope(scope) {
      state = { ...state, scope: { ...state.scope, ...scope } };
      emit("view");
    },
    setView(view) {
      state = { ...state, view: { ...state.view, ...view } };
      emit("view");
    },
    setPair(pair) {
      if (pair?.from === state.pair?.from && pair?.to === state.pair?.to) return;
      state = { ...state, pair, probe: null };
      emit("pair");
    },
    setTab(tab) {
      if (tab === state.tab) return;
      state = { ...state, tab };
      emit("tab");
    },
    setMatrix(options) {
      state = { ...state, matrix: { ...state.matrix, ...options } };
      emit("matrix");
    },
    setProbes(probes) {
      state = { ...state, probes };
      emit("probe");
    },
    setProbe(run) {
      let observed = state.observed;
      if (run?.state === "done") {
        const next = new Map(observed);
        const disagreeing = new Set(run.disagreements.map((d) => pairKey(d.from.id, d.to.id)));
        for (const p of run.report.pairs) {
          const key = pairKey(p.from.id, p.to.id);
          next.set(key, { verdict: p.verdict, disagrees: disagreeing.has(key) });
        }
        observed = next;
      }
      state = { ...state, probe: run, observed };
      emit("probe");
    },
    showExample(example) {
      show({ example, whatIfs: [], error: null }, "snapshot");
    },
    applyWhatIf(whatIf) {
      const base = state.teach.example?.topology ?? live?.topology;
      if (!base) return "no topology yet";
      try {
        applyWhatIfs(base, [...state.teach.whatIfs, whatIf]);
      } catch (e) {
        const message = (e as Error).message;
        state = { ...state, teach: { ...state.teach, error: message } };
        emit("teach");
        return message;
      }
      show({ ...state.teach, whatIfs: [...state.teach.whatIfs, whatIf], error: null }, "snapshot");
      return null;
    },
    undoWhatIf() {
      show({ ...state.teach, whatIfs: state.teach.whatIfs.slice(0, -1), error: null }, "snapshot");
    },
    resetWhatIfs() {
      show({ ...state.teach, whatIfs: [], error: null }, "snapshot");
    },
  };
}
