import { collectTopology } from "../collector/collect.ts";
import { createEngineClient } from "../engine/client.ts";
import { resolveEngine } from "../engine/connection.ts";
import type { Topology } from "../model/topology.ts";

export interface SourceOptions {
  engine?: string;
}

/** The topology a one-shot command works on: the engine's, collected once. */
export function loadTopology(opts: SourceOptions): Promise<Topology> {
  return collectTopology(createEngineClient(resolveEngine({ engine: opts.engine })));
}

export const ENGINE_FLAG = [
  "--engine <url>",
  "engine address (unix://, tcp://, ssh://); default: DOCKER_HOST, docker context, /var/run/docker.sock",
] as const;
