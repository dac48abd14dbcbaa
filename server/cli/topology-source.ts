import { collectTopology } from "../collector/collect.ts";
import { loadComposeProject } from "../compose/index.ts";
import { createEngineClient } from "../engine/client.ts";
import { resolveEngine } from "../engine/connection.ts";
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
}

/** The topology a one-shot command works on: the engine's, collected once, or a compose prediction. */
export function loadTopology(opts: SourceOptions): Promise<Topology> {
  if (opts.compose?.length) {
    if (opts.engine)
      throw new UsageError("--compose and --engine exclude each other: a prediction needs no engine");
    return loadComposeProject({
      paths: opts.compose,
      projectName: opts.projectName,
      profiles: opts.profile ?? [],
    });
  }
  if (opts.projectName || opts.profile?.length)
    throw new UsageError("--project-name and --profile apply to --compose only");
  return collectTopology(createEngineClient(resolveEngine({ engine: opts.engine })));
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
  "--project-name <name>",
  "with --compose: the project name (default: COMPOSE_PROJECT_NAME, the files' name:, the directory)",
] as const;

export const COMPOSE_PROFILE_FLAG = [
  "--profile <name>",
  "with --compose: enable a profile; repeat for several (default: COMPOSE_PROFILES)",
  collect,
] as const;
