/**
 * Stress: a corpus of hostile strings through every output format, each output judged inert by its real
 * consumer where that is cheap (Mermaid's parser, Graphviz, marked, an XML parser, JSON.parse, POSIX sh for
 * the suggested fix commands) and by the terminal's character checks.
 */
import { formatMatrix } from "../../server/cli/reachability-commands.ts";
import { escapeTerminal } from "../../server/model/escape/terminal.ts";
import { exportText } from "../../server/model/export/index.ts";
import { explainPair, formatExplanation, indexTopology } from "../../server/model/reachability/index.ts";
import type { PairExplanation } from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { hasBidi } from "../../server/model/escape/bidi.ts";
import { HOSTILE_STRINGS, topologyWith } from "../../test/support/hostile.ts";
import {
  dotProblems,
  jsonProblems,
  markdownProblems,
  mermaidProblems,
  shellProblems,
  svgProblems,
  textProblems,
} from "../../test/support/inert.ts";
import type { StressSection } from "./section.ts";

const FORMATS = ["svg", "mermaid", "dot", "md", "json", "terminal", "shell"] as const;
type Format = (typeof FORMATS)[number];

/** The fix commands of every pair from and to the hostile container (either shape of `fix`). */
function fixCommands(topology: Topology, name: string): string[] {
  const index = indexTopology(topology);
  const out = new Set<string>();
  for (const other of topology.containers.map((c) => c.name).filter((n) => n !== name))
    for (const [from, to] of [
      [name, other],
      [other, name],
    ]) {
      const fix = explainPair(index, from, to).fix as unknown as
        { command?: string | null; commands?: string[] } | undefined;
      for (const c of fix?.commands ?? (fix?.command ? [fix.command] : [])) out.add(c);
    }
  return [...out];
}

function terminalText(topology: Topology, name: string): string {
  const e: PairExplanation = explainPair(indexTopology(topology), name, "rgt-demo-db");
  return escapeTerminal(formatMatrix(topology) + formatExplanation(e));
}

/** Runs the corpus; one figure per format: inputs that came out inert, of those tried. */
export async function run(): Promise<StressSection> {
  const tried = Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<Format, number>;
  const inert = { ...tried };
  /** The first problem per format and input, so the report names what failed without repeating it. */
  const failures = new Map<string, string>();
  const benign = topologyWith("benign");
  const base = {
    svg: exportText("svg", benign),
    mermaid: exportText("mermaid", benign),
    dot: exportText("dot", benign),
    md: exportText("md", benign),
  };
  const count = (format: Format, what: string, problems: string[]): void => {
    tried[format]++;
    if (problems.length === 0) inert[format]++;
    else if (!failures.has(`${format} / ${what}`)) failures.set(`${format} / ${what}`, problems[0]);
  };
  for (const [what, value] of HOSTILE_STRINGS) {
    const t = topologyWith(value);
    const name = `api ${value}`;
    count("svg", what, await svgProblems(exportText("svg", t), base.svg));
    count("mermaid", what, await mermaidProblems(exportText("mermaid", t), base.mermaid));
    count("dot", what, await dotProblems(exportText("dot", t), base.dot));
    count("md", what, markdownProblems(exportText("md", t), base.md));
    count("json", what, jsonProblems(exportText("json", t), name));
    const terminal = terminalText(t, name);
    const bidiShown = !hasBidi(value) || terminal.includes("⟪U+");
    count("terminal", what, [...textProblems(terminal), ...(bidiShown ? [] : ["bidi not marked"])]);
    for (const command of fixCommands(t, name)) count("shell", what, await shellProblems(command));
  }
  for (const [where, problem] of failures) console.error(`  not inert: ${where}: ${problem}`);
  return {
    title: "Hostile input",
    figures: [
      { name: "hostile strings in the corpus", value: HOSTILE_STRINGS.length, ok: true },
      ...FORMATS.map((format) => ({
        name: format === "shell" ? "shell: fix commands pasted inert" : `${format}: outputs inert`,
        value: `${inert[format]}/${tried[format]}`,
        target: "all",
        ok: inert[format] === tried[format] && tried[format] > 0,
      })),
    ],
  };
}
