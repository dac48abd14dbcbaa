import type { ExportOptions } from "../../server/model/export/index.ts";
import type { Interface, Topology } from "../../server/model/topology.ts";
import { createReachModel } from "../reach/model.ts";
import { reachableFrom } from "../scale-model.ts";
import { scopeTopology } from "../scope/apply.ts";
import { narrowed } from "../scope/scope.ts";
import type { State } from "../store.ts";

/** What the page's Export writes: the shown topology and the options that make it the current view. */
export interface ExportRequest {
  topology: Topology;
  options: ExportOptions;
  /** Containers in the view, of all in the topology. */
  shown: number;
  total: number;
}

/**
 * The current view as export options: filters and focus become `only` (collapsed projects are expanded, an
 * export lists containers), the graph's hidden system networks become `hideSystem`, hidden empty networks
 * are left out. Verdicts stay those of the whole topology.
 */
export function exportRequest(
  state: State,
  extra: { redact: boolean; hideSystem: boolean },
): ExportRequest | null {
  const topology = state.topology;
  if (!topology) return null;
  const scope = { ...state.scope, collapsed: [], query: "" };
  const options: ExportOptions = { hideSystem: extra.hideSystem, redact: extra.redact };
  const total = topology.containers.length;
  if (!narrowed(scope) && state.view.showEmpty) return { topology, options, shown: total, total };
  const reach = scope.focus !== null ? reachableFrom(createReachModel(topology)) : undefined;
  const view = narrowed(scope) ? scopeTopology(topology, scope, reach) : topology;
  const used = new Set<string>();
  const key = (i: Interface): string => i.networkId || i.network;
  for (const c of view.containers) for (const i of c.interfaces) used.add(key(i));
  const networks = view.networks.filter((n) => state.view.showEmpty || used.has(n.id) || used.has(n.name));
  options.only = { containers: view.containers.map((c) => c.id), networks: networks.map((n) => n.id) };
  return { topology, options, shown: view.containers.length, total };
}
