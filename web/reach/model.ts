import type {
  PairExplanation,
  Reachability,
  TopologyIndex,
  Verdict,
} from "../../server/model/reachability/index.ts";
import {
  computeReachability,
  explainIndices,
  indexTopology,
  targetVisitor,
} from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { HOST_END } from "../store.ts";

/** Verdicts as small codes, so a row of a few thousand targets is one typed array. */
const CODES: readonly Verdict[] = ["blocked", "reachable", "unknown"];
const CODE: Record<Verdict, number> = { blocked: 0, reachable: 1, unknown: 2 };
/** Rows kept for the matrix's scrolling and the graph's selection; the oldest are dropped first. */
const ROW_CACHE = 400;

/** One source's verdicts: per container index, and for the host. */
export interface Row {
  verdict(target: number): Verdict;
  host: Verdict;
}

/** The pure reachability model of one topology, computed once and queried by the views. */
export interface ReachModel {
  topology: Topology;
  index: TopologyIndex;
  reach: Reachability;
  /** Container index of an end (container ID or `@host` = -1); undefined when it is not in the topology. */
  indexOf(end: string): number | undefined;
  /** Container ID (or `@host`) of an index. */
  endOf(index: number): string;
  nameOf(end: string): string;
  /** The row of one source (-1 = the host), from the grouped matrix; never N×N. */
  row(source: number): Row;
  verdict(from: string, to: string): Verdict | undefined;
  explain(from: string, to: string): PairExplanation | undefined;
}

/** Indexes a topology and computes its grouped reachability (O(containers + memberships)). */
export function createReachModel(topology: Topology): ReachModel {
  const index = indexTopology(topology);
  const reach = computeReachability(index);
  const visit = targetVisitor(reach);
  const n = topology.containers.length;
  const rows = new Map<number, Uint8Array>();
  const ids = new Map(topology.containers.map((c, i) => [c.id, i]));

  function codes(source: number): Uint8Array {
    const hit = rows.get(source);
    if (hit) {
      rows.delete(source);
      rows.set(source, hit);
      return hit;
    }
    // Slot n is the host; a source reaches itself (CN-1), which the visitor leaves out.
    const out = new Uint8Array(n + 1);
    visit(source, (to, verdict) => (out[to < 0 ? n : to] = CODE[verdict]));
    out[source < 0 ? n : source] = CODE.reachable;
    rows.set(source, out);
    if (rows.size > ROW_CACHE) rows.delete(rows.keys().next().value as number);
    return out;
  }

  const indexOf = (end: string): number | undefined => (end === HOST_END ? -1 : ids.get(end));
  return {
    topology,
    index,
    reach,
    indexOf,
    endOf: (i) => (i < 0 ? HOST_END : topology.containers[i].id),
    nameOf: (end) => (end === HOST_END ? HOST_END : (topology.containers[ids.get(end) ?? -1]?.name ?? end)),
    row(source) {
      const c = codes(source);
      return { verdict: (t) => CODES[c[t < 0 ? n : t]], host: CODES[c[n]] };
    },
    verdict(from, to) {
      const [f, t] = [indexOf(from), indexOf(to)];
      if (f === undefined || t === undefined) return undefined;
      return CODES[codes(f)[t < 0 ? n : t]];
    },
    explain(from, to) {
      const [f, t] = [indexOf(from), indexOf(to)];
      if (f === undefined || t === undefined) return undefined;
      return explainIndices(index, f < 0 ? null : f, t < 0 ? null : t);
    },
  };
}
