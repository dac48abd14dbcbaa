import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { loadComposeProject } from "../compose/index.ts";
import { collect } from "./topology-source.ts";

interface ComposeFlags {
  file: string[];
  projectName?: string;
  profile: string[];
  out?: string;
}

/** `reachgraph compose [PATH...]`: the topology `docker compose up` would create, as Topology JSON. */
export function addComposeCommand(program: Command): void {
  program
    .command("compose")
    .description(
      "predict the topology `docker compose up` would create from compose files (no engine needed)",
    )
    .argument(
      "[path...]",
      "compose files or project directories; default: discover from the current directory",
    )
    .option("-f, --file <file>", "a compose file; repeat to merge several in order", collect, [])
    .option(
      "-p, --project-name <name>",
      "project name; default: COMPOSE_PROJECT_NAME, the files' name:, the directory",
    )
    .option(
      "--profile <name>",
      "enable a profile; repeat for several; default: COMPOSE_PROFILES",
      collect,
      [],
    )
    .option("--out <file>", "write to FILE instead of standard output")
    .action(async (paths: string[], opts: ComposeFlags) => {
      const topology = await loadComposeProject({
        paths: [...paths, ...opts.file],
        projectName: opts.projectName,
        profiles: opts.profile,
      });
      const json = `${JSON.stringify(topology, null, 2)}\n`;
      if (!opts.out) return void process.stdout.write(json);
      writeFileSync(opts.out, json);
      console.error(
        `reachgraph: predicted ${topology.containers.length} containers and ${topology.networks.length} networks (${topology.source.label}) into ${opts.out}`,
      );
    });
}
