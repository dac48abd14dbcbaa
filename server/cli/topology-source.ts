import type { Command } from "commander";
import type { EngineArg } from "../engine/connection.ts";
import type { Topology } from "../model/topology.ts";
import { UsageError } from "./options.ts";

export interface SourceOptions extends EngineFlags {
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
 * The topology a one-shot command works on: the engines' (each collected once, merged), a compose prediction, a
 * snapshot or the example. Each source's code loads only when chosen, so `why --demo` never loads dockerode or the YAML parser.
 */
export async function loadTopology(opts: SourceOptions): Promise<Topology> {
  checkOneSource(opts);
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
  const [{ collectFleet }, { createEngineClient }, { resolveEngines }] = await Promise.all([
    import("../collector/fleet.ts"),
    import("../engine/client.ts"),
    import("../engine/connection.ts"),
  ]);
  const engines = resolveEngines({ engines: engineArgs(opts) });
  return collectFleet(
    engines.map((e) => ({
      ...(e.key ? { key: e.key } : {}),
      ...(e.context ? { context: e.context } : {}),
      client: createEngineClient(e),
    })),
  );
}

/** Refuses two sources at once (`--snapshot`, `--demo`, `--compose`, the engines): which would it read? */
export function checkOneSource(opts: SourceOptions): void {
  const given = [
    opts.snapshot && "--snapshot",
    opts.demo && "--demo",
    opts.compose?.length && "--compose",
    // --engine and --context together are one source: the engines they name.
    [...new Set(engineArgs(opts).map((arg) => arg.flag))].join("/"),
  ].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} exclude each other: pick one source`);
}

/** Adds the flags that choose a command's topology: the engines (default), compose files, a snapshot, the example. */
export function withSourceFlags(command: Command): Command {
  return withEngineFlags(command)
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

/** What `--engine` and `--context` leave in a command's options. */
export interface EngineFlags {
  engine?: EngineArg[];
  context?: EngineArg[];
}

/** The `--engine`/`--context` values in command-line order; empty when neither was given. */
export function engineArgs(opts: EngineFlags): EngineArg[] {
  return opts.engine ?? opts.context ?? [];
}

/**
 * Adds `--engine` and `--context`, both repeatable. Both append to one list (left under both option names) so
 * the engines keep the order they were given in, across the two flags.
 */
export function withEngineFlags(command: Command): Command {
  const given: EngineArg[] = [];
  const append = (flag: EngineArg["flag"]) => (value: string) => {
    given.push({ flag, value });
    return given;
  };
  return command
    .option(
      "--engine <url>",
      "engine address, unix://, tcp:// or ssh://, optionally LABEL=URL; repeat for several engines " +
        "(default: DOCKER_HOST, the docker context, /var/run/docker.sock)",
      append("--engine"),
    )
    .option(
      "--context <name>",
      'a docker context by name, as "docker --context" reads it (TLS, ssh); repeatable, mixes with --engine',
      append("--context"),
    );
}

/** The single-engine flag of commands that read one engine only (doctor). */
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
