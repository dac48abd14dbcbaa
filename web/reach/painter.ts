import type { Topology } from "../../server/model/topology.ts";
import type { GraphModel, GraphNode } from "../graph/model.ts";
import type { GraphView } from "../graph/render.ts";
import type { Observation, State } from "../store.ts";
import { HOST_END, pairKey } from "../store.ts";
import type { ReachModel } from "./model.ts";
import { createReachModel } from "./model.ts";
import { renderReachTooltip } from "./tooltip.ts";

export interface ReachPainter {
  /** The model of the current topology, rebuilt (indexed once) whenever the topology changes. */
  model(): ReachModel | null;
  /** The selected source: a container, or `@host` when the host network hub is selected. */
  sourceEnd(state: State): string | null;
  /** The end a graph node stands for: its container, `@host` for the host hub, null for other networks. */
  endOfNode(state: State, id: string): string | null;
  update(state: State, graph: GraphModel | null): void;
}

/** Keeps the reachability model in step with the store and paints the selected source's row on the graph. */
export function createReachPainter(view: GraphView, tooltip: HTMLElement): ReachPainter {
  let topology: Topology | null = null;
  let current: ReachModel | null = null;
  let painted: {
    model: ReachModel | null;
    graph: GraphModel | null;
    source: string | null;
    observed: unknown;
  } = {
    model: null,
    graph: null,
    source: null,
    observed: null,
  };

  function model(state?: State): ReachModel | null {
    if (state && state.topology !== topology) {
      topology = state.topology;
      current = topology ? createReachModel(topology) : null;
    }
    return current;
  }

  function isHostHub(state: State, id: string): boolean {
    // The host node carries the host network's ID, or `@host` when the engine lists no host network.
    if (id === HOST_END) return true;
    return state.topology?.networks.some((n) => n.id === id && n.driver === "host") ?? false;
  }

  function endOfNode(state: State, id: string): string | null {
    if (state.topology?.containers.some((c) => c.id === id)) return id;
    return isHostHub(state, id) ? HOST_END : null;
  }

  function sourceEnd(state: State): string | null {
    return state.selectedId === null ? null : endOfNode(state, state.selectedId);
  }

  function paint(state: State, graph: GraphModel | null, m: ReachModel | null, source: string | null): void {
    const next = { model: m, graph, source, observed: state.observed };
    const same = (Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === painted[k]);
    if (same) return;
    painted = next;
    const from = source === null || !m ? undefined : m.indexOf(source);
    if (from === undefined || !m || source === null) {
      view.paintReach(null);
      return;
    }
    const row = m.row(from);
    const endOf = (n: GraphNode): string | null =>
      n.kind === "container" ? n.id : n.style === "host" ? HOST_END : null;
    const observed = state.observed;
    view.paintReach({
      sourceNode: state.selectedId ?? "",
      verdictOf(n) {
        const end = endOf(n);
        if (end === HOST_END) return source === HOST_END ? undefined : row.host;
        const i = end === null ? undefined : m.indexOf(end);
        return i === undefined ? undefined : row.verdict(i);
      },
      observedOf(n): Observation | undefined {
        const end = endOf(n);
        return end === null ? undefined : observed.get(pairKey(source, end));
      },
    });
  }

  return {
    model: () => current,
    sourceEnd,
    endOfNode,
    update(state, graph) {
      const m = model(state);
      const source = sourceEnd(state);
      paint(state, graph, m, source);
      const target = state.hoverId === null ? null : endOfNode(state, state.hoverId);
      const show = m && source !== null && target !== null && target !== source && state.tab === "graph";
      renderReachTooltip(
        tooltip,
        show ? (m.explain(source, target) ?? null) : null,
        show && state.hoverId ? view.anchor(state.hoverId) : null,
      );
    },
  };
}
