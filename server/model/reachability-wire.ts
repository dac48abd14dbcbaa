import type { Reachability } from "./reachability/index.ts";
import { REACHABILITY_SCHEMA_VERSION, targetVisitor } from "./reachability/index.ts";

/**
 * `GET /api/reachability`: every pair in O(reachable pairs) space. `nodes[i]` names container i; a row lists
 * the targets its source reaches and those it may reach (unknown); every other pair is blocked.
 */
export interface ReachabilityRows {
  schemaVersion: typeof REACHABILITY_SCHEMA_VERSION;
  seq: number;
  /** Container index → id and name; the host is `-1` (`@host`). */
  nodes: { id: string; name: string }[];
  rows: { from: number; reachable: number[]; unknown: number[] }[];
}

/** Builds the compact rows, optionally only for the sources `from` accepts. */
export function reachabilityRows(
  reach: Reachability,
  seq: number,
  from: (source: number) => boolean = () => true,
): ReachabilityRows {
  const visit = targetVisitor(reach);
  const rows: ReachabilityRows["rows"] = [];
  for (const { source } of [...reach.sources, reach.host]) {
    if (!from(source)) continue;
    const row = { from: source, reachable: [] as number[], unknown: [] as number[] };
    visit(source, (to, verdict) => {
      if (verdict === "reachable") row.reachable.push(to);
      else if (verdict === "unknown") row.unknown.push(to);
    });
    rows.push(row);
  }
  return {
    schemaVersion: REACHABILITY_SCHEMA_VERSION,
    seq,
    nodes: reach.index.containers.map((c) => ({ id: c.id, name: c.name })),
    rows,
  };
}
