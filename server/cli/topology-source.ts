import type { Command } from "commander";
import type { Topology } from "../model/topology.ts";
import { UsageError } from "./options.ts";

export interface SourceOptions {
  engine?: string;
  /** `--compose PATH`, repeatable: predict from these compose files (merged in order) instead of the engine. */
  compose?: string[];
  /** `--project-name`, with `--compose`. */
  projectName?: string;
  /** `--profile`, with `--compose`. */
  profile?: string[];
  /** `--snapshot FILE`: a saved snapshot instead of the engine. */
  snapshot?: string;
  /** `--demo`: the bundled example topology. */
  demo?: boolean;
}

/**
 * The topology a one-shot command works on: the engine's (collected once), a compose prediction, a snapshot or
 * the example. Each source's code loads only when chosen, so `why --demo` never loads dockerode or the YAML parser.
 */
export async function loadTopology(opts: SourceOptions): Promise<Topology> {
  const given = [
    opts.snapshot && "--snapshot",
    opts.demo && "--demo",
    opts.compose?.length && "--compose",
    opts.engine && "--engine",
  ].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} exclude each other: pick one source`);
  if ((opts.projectName || opts.profile?.length) && !opts.compose?.length)
    throw new UsageError("--project-name and --profile apply to --compose only");
  if (opts.snapshot) {
    const { readSnapshotFile } = await import("../snapshot/read-snapshot.ts");
    return (await readSnapshotFile(opts.snapshot)).topology;
  }
  if (opts.demo) return (await import("../example/example.ts")).exampleTopology();
  if (opts.compose?.length) {
    const { loadComposeProject } = await import("../compose/index.ts");
    return loadComposeProject({
      paths: opts.compose,
      projectName: opts.projectName,
      profiles: opts.profile ?? [],
    });
  }
  const [{ collectTopology }, { createEngineClient }, { resolveEngine }] = await Promise.all([
    import("../collector/collect.ts"),
    import("../engine/client.ts"),
    import("../engine/connection.ts"),
  ]);
  return collectTopology(createEngineClient(resolveEngine({ engine: opts.engine })));
}

/** Adds the flags that choose a command's topology: the engine (default), compose files, a snapshot, the example. */
export function withSourceFlags(command: Command): Command {
  return command
    .option(...ENGINE_FLAG)
    .option(...COMPOSE_FLAG)
    .option(...COMPOSE_PROJECT_FLAG)
    .option(...COMPOSE_PROFILE_FLAG)
    .option("--snapshot <file>", "read a saved snapshot instead of the engine")
    .option("--demo", "use the bundled example topology");
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const ENGINE_FLAG = [
  "--engine <url>",
  "engine address (unix://, tcp://, ssh://); default: DOCKER_HOST, docker context, /var/run/docker.sock",
] as const;

export const COMPOSE_FLAG = [
  "--compose <path>",
  "predict from compose files instead of the engine (a file or a project directory; repeat to merge like -f)",
  collect,
] as const;

export const COMPOSE_PROJECT_FLAG = [
  "-p, --project-name <name>",
  "with --compose: the project name (default: COMPOSE_PROJECT_NAME, the files' name:, the directory)",
] as const;

export const COMPOSE_PROFILE_FLAG = [
  "--profile <name>",
  "with --compose: enable a profile; repeat for several (default: COMPOSE_PROFILES)",
  collect,
] as const;
