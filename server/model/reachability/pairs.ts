import type { Reachability, SourceReach } from "./matrix.ts";
import { NONE } from "./matrix.ts";
import type { Verdict } from "./types.ts";
import { HOST } from "./types.ts";

export interface PairVerdict {
  from: string;
  to: string;
  verdict: Verdict;
}

/**
 * Streams every non-blocked ordered pair (and with `includeBlocked`, every pair) as container indices, -1 for
 * the host. Memory O(containers); reachable targets of a source come before its unknown ones.
 */
export function forEachPair(
  r: Reachability,
  visit: (from: number, to: number, verdict: Verdict) => void,
  options: { includeBlocked?: boolean } = {},
): void {
  const seen = new Int32Array(r.index.containers.length).fill(-1);
  for (const s of [...r.sources, r.host]) visitSource(r, s, seen, visit, options);
}

/** `forEachPair` as an iterator of `{from, to, verdict}` with container IDs (or `@host`); holds one source at a time. */
export function* pairs(r: Reachability, options: { includeBlocked?: boolean } = {}): Generator<PairVerdict> {
  const ref = (i: number): string => (i < 0 ? HOST : r.index.containers[i].id);
  const targets = targetVisitor(r);
  for (const s of [...r.sources, r.host]) {
    const batch: PairVerdict[] = [];
    targets(s.source, (to, verdict) => batch.push({ from: ref(s.source), to: ref(to), verdict }), options);
    yield* batch;
  }
}

/** A function visiting one source's targets (-1 = the host); reuses one O(containers) buffer across calls. */
export function targetVisitor(
  r: Reachability,
): (
  source: number,
  visit: (to: number, verdict: Verdict) => void,
  options?: { includeBlocked?: boolean },
) => void {
  const seen = new Int32Array(r.index.containers.length).fill(-1);
  return (source, visit, options = {}) =>
    visitSource(
      r,
      source < 0 ? r.host : r.sources[source],
      seen,
      (_, to, verdict) => visit(to, verdict),
      options,
    );
}

function visitSource(
  r: Reachability,
  s: SourceReach,
  seen: Int32Array,
  visit: (from: number, to: number, verdict: Verdict) => void,
  options: { includeBlocked?: boolean },
): void {
  const from = s.source;
  // Stamps are source indices (the host is n), so the array never needs clearing.
  const stamp = from < 0 ? seen.length : from;
  const emit = (t: number, verdict: Verdict): void => {
    if (t === from || seen[t] === stamp) return;
    seen[t] = stamp;
    visit(from, t, verdict);
  };
  if (s.namespace >= 0) for (const t of r.groups[s.namespace].members) emit(t, "reachable");
  for (const g of s.reachable) for (const t of r.groups[g].members) emit(t, "reachable");
  for (const t of s.extra) emit(t, "reachable");
  for (const g of s.unknown) for (const t of r.groups[g].members) emit(t, "unknown");
  if (s.unknownRest) for (const t of r.networked) emit(t, "unknown");
  if (s.unknownAll) for (const t of r.live) emit(t, "unknown");
  if (options.includeBlocked) for (let t = 0; t < seen.length; t++) emit(t, "blocked");
  if (from >= 0 && (s.toHost !== "blocked" || options.includeBlocked)) visit(from, -1, s.toHost);
}

/** The matrix's verdict for one pair (indices, -1 = host) without scanning other sources. */
export function matrixVerdict(r: Reachability, from: number, to: number): Verdict {
  const s = from < 0 ? r.host : r.sources[from];
  if (to < 0) return from < 0 ? "reachable" : s.toHost;
  if (from === to) return "reachable";
  const has = (gs: readonly number[]): boolean => gs.some((g) => r.groups[g].members.includes(to));
  if (has(s.reachable) || has(s.namespace >= 0 ? [s.namespace] : NONE) || s.extra.includes(to))
    return "reachable";
  if (has(s.unknown) || (s.unknownRest && r.networked.includes(to)) || (s.unknownAll && r.live.includes(to)))
    return "unknown";
  return "blocked";
}
