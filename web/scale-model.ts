import type { Machine } from "./fleet/health.ts";
import type { GraphModel } from "./graph/model.ts";
import { buildGraphModel } from "./graph/model.ts";
import type { ReachModel } from "./reach/model.ts";
import { createReachModel } from "./reach/model.ts";
import type { ReachableFrom } from "./scope/apply.ts";
import type { Scope } from "./scope/scope.ts";
import { collapsedServices } from "./scope/scope.ts";
import { scopeTopology } from "./scope/apply.ts";
import type { State } from "./store.ts";

/** What the focus view adds beyond one hop: every container the reachability model says is reachable. */
export function reachableFrom(m: ReachModel): ReachableFrom {
  return (id) => {
    const from = m.indexOf(id);
    if (from === undefined) return [];
    const row = m.row(from);
    const out: string[] = [];
    for (let i = 0; i < m.topology.containers.length; i++)
      if (i !== from && row.verdict(i) === "reachable") out.push(m.endOf(i));
    return out;
  };
}

/**
 * Builds the graph model of the store's scope; the same model object while only the search text or the
 * selection changed, so typing in the search box never re-lays out the graph.
 */
export function createScopedModel(
  machinesOf: (state: State) => readonly Machine[],
): (state: State) => GraphModel {
  let cache: {
    topology: unknown;
    view: unknown;
    machines: unknown;
    key: string;
    model: GraphModel;
  } | null = null;
  // The focus view's own reachability model, built only while a focus is set, once per topology.
  let reach: ReachModel | null = null;
  return (state) => {
    const topology = state.topology;
    if (!topology) return { nodes: [], links: [], groups: [] };
    const key = JSON.stringify({ ...state.scope, query: "" });
    const machines = machinesOf(state);
    if (
      cache &&
      cache.topology === topology &&
      cache.view === state.view &&
      cache.machines === machines &&
      cache.key === key
    )
      return cache.model;
    if (state.scope.focus !== null && reach?.topology !== topology) reach = createReachModel(topology);
    const m = state.scope.focus !== null ? reach : null;
    const model = buildGraphModel(
      scopeTopology(topology, state.scope, m ? reachableFrom(m) : undefined),
      state.view,
      tilesShown(machines, state.scope),
      collapsedServices(state.scope),
    );
    cache = { topology, view: state.view, machines, key, model };
    return model;
  };
}

/** A node or engine filter shows only those machines' tiles. */
function tilesShown(machines: readonly Machine[], scope: Scope): readonly Machine[] {
  const only = new Set([...scope.nodes, ...scope.engines]);
  return only.size ? machines.filter((m) => only.has(m.key)) : machines;
}
