import type { Command } from "commander";
import { stringifyJson } from "../model/escape/json.ts";
import type { Topology } from "../model/topology.ts";
import {
  HOST,
  REACHABILITY_SCHEMA_VERSION,
  computeReachability,
  explainPair,
  formatExplanation,
  indexTopology,
  matrixJsonPairs,
  targetVisitor,
} from "../model/reachability/index.ts";
import { addExamples } from "./help.ts";
import { writeData, writeJson, writeText } from "./output.ts";
import type { SourceOptions } from "./topology-source.ts";
import { loadTopology, withSourceFlags } from "./topology-source.ts";

/** `reachgraph matrix` and `reachgraph why`. */
export function addReachabilityCommands(program: Command): void {
  const matrix = withSourceFlags(program.command("matrix"))
    .description("who can reach whom: one line per source (or every pair as JSON)")
    .option(
      "--json",
      "print {schemaVersion, pairs: [{from, to, verdict, paths, names, ports, reasons, fix?}]}",
    )
    .option("--blocked", "with --json, also list blocked pairs (N² entries)")
    .action(async (opts: SourceOptions & { json?: boolean; blocked?: boolean }) => {
      const topology = await loadTopology(opts);
      if (opts.json) writeMatrixJson(topology, opts.blocked === true);
      else writeText(formatMatrix(topology));
    });

  addExamples(matrix, [
    "reachgraph matrix",
    "reachgraph matrix --compose . --json",
    "reachgraph matrix --engine unix:///var/run/docker.sock --engine node2=ssh://ops@node2.example",
  ]);

  const why = withSourceFlags(program.command("why"))
    .description("explain whether <from> can reach <to>, layer by layer, with the fix")
    .argument("<from>", "container name, ID or @host")
    .argument("<to>", "container name, ID or @host")
    .option("--json", "print the explanation as JSON")
    .action(async (from: string, to: string, opts: SourceOptions & { json?: boolean }) => {
      const explanation = explainPair(indexTopology(await loadTopology(opts)), from, to);
      if (opts.json) writeJson(explanation);
      else writeText(formatExplanation(explanation));
    });
  addExamples(why, [
    "reachgraph why web db",
    "reachgraph why --demo rgt-demo-api rgt-demo-db",
    "reachgraph why @host web",
  ]);
}

/** Streams the JSON document pair by pair, so a large engine never holds every explanation at once. */
function writeMatrixJson(topology: Topology, includeBlocked: boolean): void {
  writeData(`{"schemaVersion":${REACHABILITY_SCHEMA_VERSION},"pairs":[`);
  let first = true;
  for (const pair of matrixJsonPairs(indexTopology(topology), { includeBlocked })) {
    writeData(`${first ? "\n" : ",\n"}${stringifyJson(pair)}`);
    first = false;
  }
  writeData("\n]}\n");
}

/** One line per source: what it reaches, what it may reach, and how many it cannot. */
export function formatMatrix(topology: Topology): string {
  const reach = computeReachability(indexTopology(topology));
  const visit = targetVisitor(reach);
  const name = (i: number) => (i < 0 ? HOST : reach.index.containers[i].name);
  const total = reach.index.containers.length + 1;
  const lines: string[] = [];
  for (const { source } of [HOST_SOURCE, ...reach.sources.map((s) => ({ source: s.source }))]) {
    const reachable: string[] = [];
    const unknown: string[] = [];
    visit(source, (to, verdict) => {
      if (to === source) return;
      if (verdict === "reachable") reachable.push(name(to));
      else if (verdict === "unknown") unknown.push(name(to));
    });
    const blocked = total - 1 - reachable.length - unknown.length;
    lines.push(`${name(source)}`);
    lines.push(`  reaches: ${reachable.sort().join(", ") || "nothing"}`);
    if (unknown.length) lines.push(`  unknown: ${unknown.sort().join(", ")}`);
    lines.push(`  blocked: ${blocked} (reachgraph why ${name(source)} <target>)`);
  }
  return `${lines.join("\n")}\n`;
}

const HOST_SOURCE = { source: -1 };
