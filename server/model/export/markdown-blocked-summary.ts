import { explainIndices, HOST, targetVisitor, toJsonPair } from "../reachability/index.ts";
import type { TopologyIndex } from "../reachability/index.ts";
import { fillTemplate, fixLines, namesOf, SOURCE, TARGET, template } from "./markdown-blocked.ts";
import { mdCode, mdText } from "../escape/markdown.ts";
import type { ExportView } from "./view.ts";
import { shownMask } from "./view.ts";

/** Names listed per entry in the summary; the rest are counted. */
const SAMPLE = 6;

/**
 * Blocked pairs of a large topology, which would take N² entries one by one: sources wired alike (same state,
 * networks, ports, links and namespace) form one block, and their blocked targets are grouped by the rule that
 * decides first, each group with one example pair's reasons and fix.
 */
export function blockedSummary(view: ExportView): string[] {
  const index = view.reach.index;
  const shown = shownMask(view);
  const visit = targetVisitor(view.reach);
  const position = new Map(view.indices.map((i, k) => [i, k]));
  const name = (i: number): string => (i < 0 ? HOST : view.containers[position.get(i) ?? 0].name);
  const classes = new Map<string, number[]>();
  for (const s of view.sources) {
    const key = s < 0 ? HOST : wiringKey(index, s);
    classes.set(key, [...(classes.get(key) ?? []), s]);
  }
  const out = [
    "## Blocked pairs",
    "",
    `Too many blocked pairs to list one by one: sources wired alike share a block, and each block groups its blocked targets by the first rule that decides, with one example pair's reasons and fix (${SOURCE} and ${TARGET} stand for that pair). \`reachgraph why <from> <to>\` explains any pair.`,
    "",
  ];
  for (const sources of classes.values()) {
    const s = sources[0];
    const byRule = new Map<string, number[]>();
    visit(
      s,
      (t, v) => {
        if (v !== "blocked" || (t >= 0 && !shown[t])) return;
        const rule = explainIndices(index, s < 0 ? null : s, t < 0 ? null : t).reasons[0]?.rule ?? "?";
        byRule.set(rule, [...(byRule.get(rule) ?? []), t]);
      },
      { includeBlocked: true },
    );
    if (!byRule.size) continue;
    out.push(`### From ${sample(sources.map(name))}`, "");
    for (const [rule, targets] of byRule) {
      const t = targets[0];
      const pair = view.redactor.deep(toJsonPair(explainIndices(index, s < 0 ? null : s, t < 0 ? null : t)));
      const [from, to] = [namesOf(view, s), namesOf(view, t)];
      const cause = template(pair, from.engine, to.engine);
      const fill = (x: string): string => fillTemplate(x, from, to);
      out.push(
        `- **${mdText(rule)}**: ${sources.length * targets.length} pairs, to ${sample(targets.map(name))}`,
      );
      out.push(`  - for example ${mdCode(name(s))} → ${mdCode(name(t))}:`);
      for (const r of cause.reasons) out.push(`    - [${mdText(r.rule)}] ${mdText(fill(r.text))}`);
      if (cause.fix) out.push(...fixLines(cause.fix, fill, "    "));
    }
    out.push("");
  }
  return out;
}

function sample(names: string[]): string {
  const shown = names.slice(0, SAMPLE).map(mdCode).join(", ");
  return names.length > SAMPLE ? `${shown} and ${names.length - SAMPLE} more` : shown;
}

/** What decides a container's verdicts apart from its name: containers with the same key are wired alike. */
function wiringKey(index: TopologyIndex, i: number): string {
  const c = index.containers[i];
  const owner = index.ownerOf[i];
  return JSON.stringify([
    c.state,
    c.error ?? "",
    c.networkMode.startsWith("container:") ? `join:${owner}` : c.networkMode,
    c.interfaces.map((f) => [f.networkId || f.network, f.gateway, f.ipv4 !== null, f.ipv6 !== null]).sort(),
    c.ports.map((p) => [p.privatePort, p.protocol, p.publicPort ?? null, p.hostIp ?? null]),
    c.links,
    index.joiners.has(i),
  ]);
}
