import type { Container, EngineStatus, Network, Topology, TopologyDelta } from "../server/model/topology.ts";

/** How the page is connected to the collector's event stream. */
export type ConnectionState = "connecting" | "open" | "reconnecting";

/** Why subscribers are being told: a full replacement, an incremental change, or only view state. */
export type ChangeReason = "snapshot" | "delta" | "status" | "connection" | "selection" | "view";

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
    setView(view) {
      state = { ...state, view: { ...state.view, ...view } };
      emit("view");
    },
  };
}
