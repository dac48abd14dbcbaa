import type { Disagreement, ObservedVerdict, ProbeReport } from "../server/model/probe-types.ts";
import type { Container, EngineStatus, Network, Topology, TopologyDelta } from "../server/model/topology.ts";
import type { Scope } from "./scope/scope.ts";
import { EMPTY_SCOPE } from "./scope/scope.ts";

/** How the page is connected to the collector's event stream. */
export type ConnectionState = "connecting" | "open" | "reconnecting";

/** Why subscribers are being told: a full replacement, an incremental change, or only view state. */
export type ChangeReason =
  "snapshot" | "delta" | "status" | "connection" | "selection" | "view" | "pair" | "tab" | "matrix" | "probe";

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
  /** Null until the first snapshot. */
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
}

export type Listener = (state: State, reason: ChangeReason) => void;

export interface Store {
  get(): State;
  subscribe(listener: Listener): () => void;
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
}

/** The page's one store: the topology kept as ID-keyed maps so deltas apply in O(changes). */
export function createStore(): Store {
  let networks = new Map<string, Network>();
  let containers = new Map<string, Container>();
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
  };
  const listeners = new Set<Listener>();

  function emit(reason: ChangeReason): void {
    for (const listener of listeners) listener(state, reason);
  }

  function rebuild(base: Topology, patch: Partial<Topology>): Topology {
    return { ...base, ...patch, networks: [...networks.values()], containers: [...containers.values()] };
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
    applySnapshot(seq, topology, status) {
      networks = new Map(topology.networks.map((n) => [n.id, n]));
      containers = new Map(topology.containers.map((c) => [c.id, c]));
      state = {
        ...state,
        topology: rebuild(topology, {}),
        status,
        seq,
        selectedId: keepSelection(state.selectedId),
        hoverId: null,
        ...keepPairs(),
      };
      emit("snapshot");
    },
    applyDelta(delta) {
      // Deltas apply in seq order; one that is not newer than what we hold is a replay and is ignored.
      if (!state.topology || delta.seq <= state.seq) return;
      for (const id of delta.removeNetworks) networks.delete(id);
      for (const id of delta.removeContainers) containers.delete(id);
      for (const n of delta.upsertNetworks) networks.set(n.id, n);
      for (const c of delta.upsertContainers) containers.set(c.id, c);
      const source = { ...state.topology.source, capturedAt: delta.capturedAt };
      const topology = rebuild(state.topology, { source, ...(delta.engine ? { engine: delta.engine } : {}) });
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
      state = { ...state, status };
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
  };
}
