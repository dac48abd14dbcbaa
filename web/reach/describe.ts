import type { PairExplanation, Path, Verdict } from "../../server/model/reachability/index.ts";

/** A glyph per verdict, never the only carrier of meaning (cells and badges also say it in words). */
export const GLYPH: Record<Verdict, string> = { reachable: "✓", blocked: "✗", unknown: "?" };

/** One line for a path: kind, network, address and port. */
export function pathText(p: Path): string {
  const where = p.network ? ` on ${p.network}` : "";
  const address = p.address ?? "address not collected";
  const port = p.port !== undefined ? `:${p.port} → ${p.targetPort}/${p.protocol}` : "";
  const only = p.onlyPorts ? ` (only ${p.onlyPorts.join(", ")})` : "";
  const maybe = p.verdict === "unknown" ? " (unknown)" : "";
  return `${p.kind}${where}: ${address}${port}${only}${maybe}`;
}

/** The rule that decided the verdict, with its sentence: the working path's, else the first blocking reason. */
export function decidingReason(e: PairExplanation): { rule: string; text: string } | null {
  const path = e.paths.find((p) => p.verdict === e.verdict) ?? e.paths[0];
  if (path) {
    const reason = e.reasons.find((r) => r.rule === path.rule);
    return { rule: path.rule, text: reason?.text ?? pathText(path) };
  }
  for (const layer of ["state", "network", "ports", "names"] as const) {
    const reason = e.reasons.find((r) => r.layer === layer);
    if (reason) return reason;
  }
  return null;
}

/** Why a verdict is unknown, in words, so the page never presents a guess as an answer. */
export function unknownNote(e: PairExplanation): string | null {
  if (e.verdict !== "unknown") return null;
  return "unknown: the engine's data does not decide this pair (a plugin driver, a missing namespace provider or a setting reachgraph cannot read); a probe can tell";
}
