import { mdText } from "../escape/markdown.ts";
import { consistencyFindings } from "../fleet/consistency.ts";
import type { ExportView } from "./view.ts";

/**
 * The report's consistency findings (CS-1..CS-7) about the networks it shows, each like a verdict: the rule
 * and what is wrong, the evidence from which node, the fix. Judged on the whole topology (a filter hides
 * containers, not the facts), without host routes (CS-6) or the MTU check (CS-8), which need this machine.
 * Left out of a report of no swarm that has nothing to say.
 */
export function findingsSection(view: ExportView): string[] {
  const shown = new Set(view.networks.map((n) => n.id));
  const findings = consistencyFindings(view.reach.index.topology).filter((f) => shown.has(f.network.id));
  if (findings.length === 0 && !view.swarm) return [];
  const out = ["## Consistency across nodes", ""];
  if (findings.length === 0)
    return [...out, "No findings: every node's view of each overlay agrees with what the swarm runs."];
  for (const f of findings)
    out.push(
      `- **${f.rule}** ${mdText(f.summary)}`,
      ...f.evidence.map((e) => `  - evidence (${mdText(f.node)}): ${mdText(e)}`),
      ...f.fix.map((x) => `  - fix: ${mdText(x)}`),
    );
  return out;
}
