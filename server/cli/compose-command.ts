import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatComposeSummary } from "../model/compose/summary.ts";
import { addExamples } from "./help.ts";
import { jsonText, writeData, writeNote, writeText } from "./output.ts";
import { collect, COMPOSE_PROFILE_FLAG, COMPOSE_PROJECT_FLAG } from "./topology-source.ts";

interface ComposeFlags {
  file: string[];
  projectName?: string;
  profile: string[];
  out?: string;
  json?: boolean;
}

/** `reachgraph compose [PATH...]`: the topology `docker compose up` would create: a summary, or Topology JSON. */
export function addComposeCommand(program: Command): void {
  const compose = program
    .command("compose")
    .description(
      "predict the topology `docker compose up` would create from compose files (no engine needed)",
    )
    .argument(
      "[path...]",
      "compose files or project directories; default: discover from the current directory",
    )
    .option("-f, --file <file>", "a compose file; repeat to merge several in order", collect, [])
    .option(...COMPOSE_PROJECT_FLAG)
    .option(...COMPOSE_PROFILE_FLAG, [])
    .option("--json", "print the predicted topology as JSON (schemaVersion 1) instead of a summary")
    .option("--out <file>", "write the topology JSON to FILE instead of standard output")
    .action(async (paths: string[], opts: ComposeFlags) => {
      const { loadComposeProject } = await import("../compose/index.ts");
      const topology = await loadComposeProject({
        paths: [...paths, ...opts.file],
        projectName: opts.projectName,
        profiles: opts.profile,
      });
      const json = jsonText(topology);
      if (!opts.out) return opts.json ? writeData(json) : writeText(formatComposeSummary(topology));
      writeFileSync(opts.out, json);
      writeNote(
        `predicted ${topology.containers.length} containers and ${topology.networks.length} networks (${topology.source.label}) into ${opts.out}`,
      );
    });
  addExamples(compose, [
    "reachgraph compose",
    "reachgraph compose -f compose.yaml -f compose.prod.yaml --out predicted.json",
  ]);
}
