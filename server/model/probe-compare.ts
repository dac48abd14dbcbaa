import type { Disagreement, PairObservation, ProbeEnd, ProbeReport } from "./probe-types.ts";
import type { PairExplanation } from "./reachability/types.ts";

/** Predictions as a list, or as a function asked once per observed pair (e.g. `explainPair` on an index). */
export type Prediction = readonly PairExplanation[] | ((from: ProbeEnd, to: ProbeEnd) => PairExplanation);

/**
 * Every disagreement between the model's prediction and the probes: verdicts, names that resolve (or not)
 * against the prediction, predicted addresses a name did not give, and pairs or names only one side covers.
 * Nothing is filtered out; an empty list means full agreement on what was probed.
 */
export function compareWithPrediction(
  prediction: Prediction,
  observed: ProbeReport | readonly PairObservation[],
): Disagreement[] {
  const pairs = "pairs" in observed ? observed.pairs : observed;
  const out: Disagreement[] = [];
  const listed =
    typeof prediction === "function" ? null : new Map(prediction.map((p) => [key(p.from, p.to), p]));
  const seen = new Set<string>();
  for (const obs of pairs) {
    const k = key(obs.from, obs.to);
    seen.add(k);
    const predicted = listed
      ? listed.get(k)
      : (prediction as (f: ProbeEnd, t: ProbeEnd) => PairExplanation)(obs.from, obs.to);
    if (!predicted) {
      out.push(disagree(obs, "coverage", "no prediction", obs.verdict, [], obs.evidence));
      continue;
    }
    comparePair(predicted, obs, out);
  }
  if (listed)
    for (const [k, p] of listed)
      if (!seen.has(k))
        out.push({
          from: p.from,
          to: p.to,
          aspect: "coverage",
          predicted: p.verdict,
          observed: "not probed",
          rules: rulesOf(p),
          evidence: "",
        });
  return out;
}

function comparePair(p: PairExplanation, obs: PairObservation, out: Disagreement[]): void {
  const rules = rulesOf(p);
  if (p.verdict !== obs.verdict)
    out.push(disagree(obs, "verdict", p.verdict, obs.verdict, rules, obs.evidence));
  const predictedNames = new Map<string, PairExplanation["names"]>();
  for (const n of p.names) {
    const k = n.name.toLowerCase();
    predictedNames.set(k, [...(predictedNames.get(k) ?? []), n]);
  }
  const observedNames = new Set<string>();
  for (const name of obs.names) {
    const k = name.name.toLowerCase();
    observedNames.add(k);
    const entries = predictedNames.get(k);
    const got = name.resolvesToTarget
      ? `resolves to ${name.addresses.join(" ")} (${name.resolvedBy})`
      : name.status === "ok"
        ? `resolves to ${name.addresses.join(" ")}, not the target`
        : `does not resolve (${name.status})`;
    const nameRules = entries ? [...new Set(entries.map((e) => e.rule))] : rules.filter(isNameRule);
    if (Boolean(entries) !== name.resolvesToTarget) {
      out.push({
        ...disagree(obs, "name", entries ? "resolves" : "does not resolve", got, nameRules, ""),
        name: name.name,
      });
      continue;
    }
    const wanted = (entries ?? []).map((e) => e.address).filter((a): a is string => a !== null);
    if (name.resolvesToTarget && wanted.length && !wanted.some((a) => name.addresses.includes(a)))
      out.push({
        ...disagree(obs, "name-address", `resolves to ${wanted.join(" or ")}`, got, nameRules, ""),
        name: name.name,
      });
  }
  // Predicted names the probes never asked about cannot count as agreement.
  for (const [k, entries] of predictedNames)
    if (!observedNames.has(k) && obs.results.length > 0)
      out.push({
        ...disagree(obs, "coverage", "resolves", "not probed", [...new Set(entries.map((e) => e.rule))], ""),
        name: entries[0].name,
      });
}

function disagree(
  obs: PairObservation,
  aspect: Disagreement["aspect"],
  predicted: string,
  observed: string,
  rules: string[],
  evidence: string,
): Disagreement {
  return { from: obs.from, to: obs.to, aspect, predicted, observed, rules, evidence };
}

function rulesOf(p: PairExplanation): string[] {
  return [...new Set([...p.paths.map((x) => x.rule), ...p.reasons.map((r) => r.rule)])];
}

function isNameRule(rule: string): boolean {
  return /^(UB-[2-7]|DB-[2-4]|CN-1|ICC-2|OV-6|H-3|§5)/.test(rule);
}

function key(from: ProbeEnd, to: ProbeEnd): string {
  return `${from.id}\u0000${to.id}`;
}

/**
 * Splits a comparison into real disagreements — the probes observed something other than the prediction —
 * and what was not checked: pairs or names the probes did not cover, and pairs whose every check was
 * skipped or never ran (observed `unknown`). Only the first may fail a run (`reachgraph probe` exit 3).
 */
export function partitionDisagreements(list: readonly Disagreement[]): {
  disagreements: Disagreement[];
  unchecked: Disagreement[];
} {
  const disagreements: Disagreement[] = [];
  const unchecked: Disagreement[] = [];
  for (const d of list)
    (d.aspect === "coverage" || (d.aspect === "verdict" && d.observed === "unknown")
      ? unchecked
      : disagreements
    ).push(d);
  return { disagreements, unchecked };
}

/** One line per disagreement, for a terminal or a test failure message. */
export function formatDisagreements(list: readonly Disagreement[]): string {
  return list
    .map((d) => {
      const what = d.name ? `${d.aspect} ${d.name}` : d.aspect;
      const rules = d.rules.length ? ` [${d.rules.join(", ")}]` : "";
      const evidence = d.evidence ? ` — ${d.evidence}` : "";
      return `${d.from.name} -> ${d.to.name}: ${what}: predicted ${d.predicted}, observed ${d.observed}${rules}${evidence}`;
    })
    .join("\n");
}
