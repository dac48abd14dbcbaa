/**
 * Topologies for the reachability tests, built by `normalizeTopology` from the API responses recorded on a
 * real Engine 20.10 (test/fixtures/api-samples, copied unmodified from docs/api-samples).
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiInfo,
  ApiNetwork,
  ApiVersion,
  EngineState,
} from "../../../server/model/engine-api.ts";
import { normalizeTopology } from "../../../server/model/normalize.ts";
import {
  computeReachability,
  explainIndices,
  explainPair,
  forEachPair,
  indexTopology,
  matrixVerdict,
} from "../../../server/model/reachability/index.ts";
import type { DaemonConfig, PairExplanation, Verdict } from "../../../server/model/reachability/index.ts";
import type { TopologyIndex } from "../../../server/model/reachability/topology-index.ts";
import type { Topology } from "../../../server/model/topology.ts";

const DIR = fileURLToPath(new URL("../../fixtures/api-samples/", import.meta.url));

function read<T>(file: string): T {
  return JSON.parse(readFileSync(DIR + file, "utf8")) as T;
}

/** The recorded engine state: list calls, /info, /version, every container and network inspect. */
export function recordedState(): EngineState {
  const files = readdirSync(DIR);
  const containerDetails = new Map<string, ApiContainerInspect>();
  const networkDetails = new Map<string, ApiNetwork>();
  const containers = read<ApiContainerSummary[]>("containers-list-all.json");
  const ids = new Set(containers.map((c) => c.Id));
  for (const f of files.filter((f) => f.startsWith("container-inspect-"))) {
    const d = read<ApiContainerInspect>(f);
    // The never-started inspect was taken before that container was renamed and started: stale, leave it out.
    if (ids.has(d.Id) && !f.includes("never-started")) containerDetails.set(d.Id, d);
  }
  for (const f of files.filter((f) => f.startsWith("network-inspect-") && !f.includes("verbose"))) {
    const d = read<ApiNetwork>(f);
    networkDetails.set(d.Id, d);
  }
  return {
    info: read<ApiInfo>("info-network-subset.json"),
    version: read<ApiVersion>("version.json"),
    containers,
    networks: read<ApiNetwork[]>("networks-list.json"),
    containerDetails,
    networkDetails,
  };
}

/** Normalises a (possibly derived) recorded state. */
export function topologyOf(state: EngineState): Topology {
  return normalizeTopology(state, {
    kind: "snapshot",
    label: "api-samples",
    capturedAt: "2026-11-28T05:08:00Z",
  });
}

/** A change to the recorded data: one documented field, at the API or the topology level (each use says why). */
export interface Variant {
  api?: (state: EngineState) => void;
  topology?: (topology: Topology) => void;
  config?: DaemonConfig;
}

/** The recorded topology, indexed, optionally derived by a variant. */
export function recorded(variant: Variant = {}): TopologyIndex {
  const state = recordedState();
  variant.api?.(state);
  const topology = topologyOf(state);
  variant.topology?.(topology);
  return indexTopology(topology, variant.config);
}

export function container(state: EngineState, name: string): ApiContainerSummary {
  const found = state.containers.find((c) => c.Names.includes(`/${name}`));
  if (!found) throw new Error(`no recorded container ${name}`);
  return found;
}

export function network(state: EngineState, name: string): ApiNetwork {
  const found = state.networks.find((n) => n.Name === name);
  if (!found) throw new Error(`no recorded network ${name}`);
  return found;
}

/** Rules cited anywhere in an explanation (paths, reasons, names, ports, fix). */
export function rulesOf(e: PairExplanation): Set<string> {
  return new Set([
    ...e.paths.map((p) => p.rule),
    ...e.reasons.map((r) => r.rule),
    ...e.names.map((n) => n.rule),
    ...e.ports.flatMap((p) => [...p.routes.map((r) => r.rule), ...p.unusable.map((u) => u.rule)]),
    ...(e.fix?.rule ? [e.fix.rule] : []),
    ...(e.caveats ?? []).map((c) => c.rule),
  ]);
}

export function why(index: TopologyIndex, from: string, to: string): PairExplanation {
  return explainPair(index, from, to);
}

/**
 * Every ordered pair (the host included) on which the compact matrix, streamed or looked up, disagrees with
 * `explainIndices`; `count` is how many pairs the stream gave.
 */
export function matrixMismatches(index: TopologyIndex): { mismatches: string[]; count: number } {
  const r = computeReachability(index);
  const n = index.containers.length;
  const seen = new Map<string, Verdict>();
  forEachPair(r, (from, to, verdict) => seen.set(`${from}>${to}`, verdict), { includeBlocked: true });
  const name = (i: number) => (i < 0 ? "@host" : index.containers[i].name);
  const mismatches: string[] = [];
  for (let from = -1; from < n; from++)
    for (let to = -1; to < n; to++) {
      if (from === to) continue;
      const explained = explainIndices(index, from < 0 ? null : from, to < 0 ? null : to).verdict;
      const streamed = seen.get(`${from}>${to}`);
      const looked = matrixVerdict(r, from, to);
      if (streamed !== explained || looked !== explained)
        mismatches.push(`${name(from)} -> ${name(to)}: explain ${explained}, matrix ${streamed}/${looked}`);
    }
  return { mismatches, count: seen.size };
}
