import { explainIndices } from "./explain-pair.ts";
import { computeReachability } from "./matrix.ts";
import { targetVisitor } from "./pairs.ts";
import type { Reachability } from "./matrix.ts";
import type { TopologyIndex } from "./topology-index.ts";
import type { MatrixJson, MatrixJsonPair, PairExplanation } from "./types.ts";
import { REACHABILITY_SCHEMA_VERSION } from "./types.ts";

export interface MatrixJsonOptions {
  /** Also list blocked pairs (N² entries); default false. */
  includeBlocked?: boolean;
  /** Only pairs whose source passes this test (container index, -1 for the host). */
  from?: (index: number) => boolean;
  /** Only pairs whose target passes this test. */
  to?: (index: number) => boolean;
}

/** One explanation in the shape of `reachgraph matrix --json`. */
export function toJsonPair(e: PairExplanation): MatrixJsonPair {
  const seen = new Set<string>();
  const reasons = e.reasons
    .map(({ rule, text }) => ({ rule, text }))
    .filter((r) => !seen.has(`${r.rule}|${r.text}`) && seen.add(`${r.rule}|${r.text}`));
  return {
    from: e.from.name,
    to: e.to.name,
    verdict: e.verdict,
    paths: e.paths,
    names: [...new Set(e.names.map((n) => n.name))],
    ports: e.ports,
    reasons,
    ...(e.caveats ? { caveats: e.caveats } : {}),
    ...(e.fix ? { fix: { commands: e.fix.commands, text: e.fix.text } } : {}),
  };
}

/** Streams the pairs of `reachgraph matrix --json`, one explanation at a time. */
export function* matrixJsonPairs(
  index: TopologyIndex,
  options: MatrixJsonOptions = {},
  reach: Reachability = computeReachability(index),
): Generator<MatrixJsonPair> {
  const targets = targetVisitor(reach);
  const wanted: number[] = [];
  for (const { source } of [...reach.sources, reach.host]) {
    if (options.from && !options.from(source)) continue;
    wanted.length = 0;
    targets(source, (to) => (!options.to || options.to(to) ? void wanted.push(to) : undefined), options);
    for (const to of wanted)
      yield toJsonPair(explainIndices(index, source < 0 ? null : source, to < 0 ? null : to));
  }
}

/** The whole `reachgraph matrix --json` document (pure). Prefer `matrixJsonPairs` for large topologies. */
export function matrixJson(index: TopologyIndex, options: MatrixJsonOptions = {}): MatrixJson {
  return { schemaVersion: REACHABILITY_SCHEMA_VERSION, pairs: [...matrixJsonPairs(index, options)] };
}
