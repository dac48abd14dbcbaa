import type { Command } from "commander";
import { diffTopologies, formatDrift } from "../model/drift.ts";
import { EXIT } from "./exit.ts";
import { addExamples } from "./help.ts";
import { UsageError } from "./options.ts";
import { writeJson, writeText } from "./output.ts";
import {
  COMPOSE_FLAG,
  COMPOSE_PROFILE_FLAG,
  COMPOSE_PROJECT_FLAG,
  loadTopology,
  withEngineFlags,
} from "./topology-source.ts";
import type { EngineFlags } from "./topology-source.ts";

/** `reachgraph diff --compose PATH`: what the engine runs that the compose files do not say, and vice versa. */
export function addDiffCommand(program: Command): void {
  const diff = withEngineFlags(program.command("diff"))
    .description(
      "compare a compose prediction with the live engine: missing containers, extra networks, wrong attachments",
    )
    .option(...COMPOSE_FLAG)
    .option(...COMPOSE_PROJECT_FLAG)
    .option(...COMPOSE_PROFILE_FLAG)
    .option("--json", "print {schemaVersion, projects, items: [{kind, subject, expected, actual}]}")
    .action(
      async (
        opts: EngineFlags & { compose?: string[]; projectName?: string; profile?: string[]; json?: boolean },
      ) => {
        if (!opts.compose?.length)
          throw new UsageError("diff needs --compose PATH: the compose files to compare with");
        const [predicted, live] = await Promise.all([
          loadTopology({ compose: opts.compose, projectName: opts.projectName, profile: opts.profile }),
          loadTopology({ engine: opts.engine, context: opts.context }),
        ]);
        const drift = diffTopologies(predicted, live);
        if (opts.json) writeJson(drift);
        else writeText(formatDrift(drift));
        if (drift.items.length) process.exitCode = EXIT.differs;
      },
    );
  addExamples(diff, ["reachgraph diff --compose .", "reachgraph diff --compose compose.yaml --json"]);
}
