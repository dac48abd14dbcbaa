import type { Finding } from "./consistency.ts";

/**
 * Findings as a verdict reads in the terminal: the rule and what is wrong, then the evidence and the fix
 * indented under it. Not yet escaped: the CLI's one writer escapes for the terminal.
 */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0)
    return "no consistency findings: every node's view agrees with what the swarm runs\n";
  const blocks = findings.map((f) =>
    [
      `${f.rule.padEnd(5)} ${f.summary}`,
      ...f.evidence.map((e) => `      evidence (${f.node}): ${e}`),
      ...f.fix.map((x) => `      fix: ${x}`),
    ].join("\n"),
  );
  return `${blocks.join("\n\n")}\n\n${findings.length} finding${findings.length === 1 ? "" : "s"}; rules: docs/rules.md#consistency-across-nodes\n`;
}
