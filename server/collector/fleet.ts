import type { EngineClient } from "../engine/client.ts";
import { EngineError } from "../engine/engine-error.ts";
import { fleetKeys, mergeFleet } from "../model/fleet/merge.ts";
import type { SwarmLists } from "../model/fleet/part.ts";
import { fleetPart } from "../model/fleet/part.ts";
import type { Topology, TopologySource } from "../model/topology.ts";
import { Collector, liveSource } from "./collect.ts";

/** An engine to read, with the key the user gave it (a context name, a label), if any. */
export interface FleetEngine {
  key?: string;
  /** The docker context it was read through, if any (fix commands address it by `--context`). */
  context?: string;
  client: EngineClient;
}

/**
 * Reads several engines at once into one topology: every engine's lists and inspects in parallel and, from
 * each, `/nodes`, `/services` and `/tasks` (only a manager answers them), then merges (server/model/fleet).
 */
export async function collectFleet(engines: FleetEngine[]): Promise<Topology> {
  const read = await Promise.all(
    engines.map(async ({ key, client }) => {
      const collector = new Collector(client);
      const [, lists] = await Promise.all([collector.fullSync(), readSwarmLists(client)]);
      return { given: key, client, collector, lists, topology: collector.topology() };
    }),
  );
  sameEngineTwice(read.map((r) => ({ url: r.client.url, id: identity(r.topology) })));
  const keys = fleetKeys(
    read.map((r) => ({
      given: r.given,
      hostname: r.topology.engine.name,
      swarmMember: r.topology.engine.swarm,
    })),
  );
  const parts = read.map((r, i) => ({
    ...fleetPart(keys[i], r.client.url, r.topology, r.lists, (id) => r.collector.mirror.rawNetworkDetail(id)),
    ...(engines[i].context ? { context: engines[i].context } : {}),
  }));
  return mergeFleet(parts, fleetSource(engines.map((e) => e.client.url)));
}

/**
 * What tells engines apart: the swarm node ID when in a swarm, else `/info` ID and Name. The ID alone is not
 * enough: dockerds sharing /etc/docker (several engines on one machine) report the same one.
 */
export function identity(topology: Topology): string {
  const entry = topology.engines[0];
  return (
    entry?.swarmNode?.nodeId ?? (topology.engine.id ? `${topology.engine.id} ${topology.engine.name}` : "")
  );
}

/** Two addresses of one engine (a socket and a TCP port, two contexts) would show every container twice. */
export function sameEngineTwice(engines: { url: string; id: string }[]): void {
  const seen = new Map<string, string>();
  for (const { url, id } of engines) {
    const first = id ? seen.get(id) : undefined;
    if (first) throw new Error(`${first} and ${url} are the same engine (${id}); give each engine once`);
    if (id) seen.set(id, url);
  }
}

/** A fleet's source: its engines' URLs. */
export function fleetSource(urls: string[]): TopologySource {
  return liveSource(urls.join(", "));
}

/**
 * A manager's swarm lists; undefined on an engine that is no manager (a worker or outside any swarm, which the
 * engine answers with 503 "This node is not a swarm manager").
 */
export async function readSwarmLists(client: EngineClient): Promise<SwarmLists | undefined> {
  try {
    const [nodes, services, tasks] = await Promise.all([
      client.listNodes(),
      client.listServices(),
      client.listTasks(),
    ]);
    return { nodes, services, tasks };
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 503) return undefined;
    throw error;
  }
}
