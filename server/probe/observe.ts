import type {
  ObservedName,
  ObservedVerdict,
  PairObservation,
  ProbeResult,
  SourceOutcome,
} from "../model/probe-types.ts";
import type { PairPlan, PlannedCheck, SourcePlan } from "./plan.ts";
import type { ParsedOutput } from "./script.ts";

/** Turns one helper's parsed output into an observation per target of its source. */
export function observePairs(
  plan: SourcePlan,
  parsed: ParsedOutput,
  outcome: SourceOutcome,
): PairObservation[] {
  const byId = new Map(plan.checks.map((c) => [c.id, c]));
  return plan.pairs.map((pair) => {
    const results = pair.checks.map(({ check, role, network }) => {
      const planned = byId.get(check) as PlannedCheck;
      const seen = parsed.checks.get(check);
      const result: ProbeResult = {
        kind: planned.kind,
        role,
        address: planned.address,
        port: planned.port,
        name: planned.name,
        network,
        status: seen?.status ?? "missing",
      };
      if (seen?.resolved) result.resolved = seen.resolved;
      if (seen?.resolvedBy) result.resolvedBy = seen.resolvedBy;
      if (seen?.detail) result.detail = seen.detail;
      else if (!seen) result.detail = outcome.message ?? `no result (helper ${outcome.status})`;
      return result;
    });
    const { verdict, evidence } = decide(pair, results, outcome);
    return {
      from: plan.source,
      to: pair.to,
      verdict,
      evidence,
      targetAddresses: pair.targetAddresses,
      names: observedNames(pair, results),
      results,
      skipped: pair.skipped,
    };
  });
}

const describe = (r: ProbeResult) =>
  `${r.kind} ${r.address}${r.port !== null ? `:${r.port}` : ""} ${r.status}${r.role === "published" ? " (published)" : ""}`;

/**
 * The observed verdict, by the strongest evidence: a TCP connect on any path; else an echo answered or a
 * RST from an address of the target's namespace (it is up and routable; nothing listens on the port tried).
 * Without either: blocked when every check finished, unknown when some never ran.
 */
function decide(
  pair: PairPlan,
  results: ProbeResult[],
  outcome: SourceOutcome,
): { verdict: ObservedVerdict; evidence: string } {
  const reach = results.filter((r) => r.kind !== "name");
  const connected = reach.find((r) => r.kind === "tcp" && r.status === "ok");
  if (connected) return { verdict: "reachable", evidence: describe(connected) };
  const own = (r: ProbeResult) => r.role !== "published";
  const answered =
    reach.find((r) => own(r) && r.kind === "icmp" && r.status === "ok") ??
    reach.find((r) => own(r) && r.kind === "tcp" && r.status === "refused");
  if (answered) return { verdict: "reachable", evidence: describe(answered) };
  if (outcome.status === "not-running")
    return { verdict: "blocked", evidence: outcome.message ?? "the source is not running" };
  if (outcome.status !== "ok" && outcome.status !== "timeout")
    return { verdict: "unknown", evidence: outcome.message ?? `helper ${outcome.status}` };
  if (reach.some((r) => r.status === "missing"))
    return { verdict: "unknown", evidence: `some checks never ran: ${outcome.message ?? outcome.status}` };
  if (reach.length === 0) {
    const why = pair.skipped.length
      ? `every address was skipped: ${pair.skipped[0].reason}`
      : "the target has no address";
    return { verdict: pair.skipped.length ? "unknown" : "blocked", evidence: why };
  }
  const first = reach.find((r) => r.role === "direct") ?? reach[0];
  return { verdict: "blocked", evidence: `${reach.length} checks failed, e.g. ${describe(first)}` };
}

function observedNames(pair: PairPlan, results: ProbeResult[]): ObservedName[] {
  // OV-6: a VIP of the target's service leads to it (through IPVS); the name check is all that is asked of it.
  const targets = new Set([...pair.targetAddresses, ...pair.serviceAddresses]);
  return results
    .filter((r) => r.kind === "name")
    .map((r) => {
      const addresses = r.resolved ?? [];
      const name: ObservedName = {
        name: r.name as string,
        status: r.status,
        resolvesToTarget: r.status === "ok" && addresses.some((a) => targets.has(a)),
        addresses,
      };
      if (r.resolvedBy) name.resolvedBy = r.resolvedBy;
      return name;
    });
}
