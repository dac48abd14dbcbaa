import type { ApiNetwork, ApiNode, ApiService, ApiTask } from "../engine-api.ts";
import type { Topology } from "../topology.ts";
import type { FleetPart } from "./merge.ts";
import { normalizeSwarm } from "./swarm.ts";

/** A manager's three swarm lists, as the engine returned them. */
export interface SwarmLists {
  nodes: ApiNode[];
  services: ApiService[];
  tasks: ApiTask[];
}

/**
 * One engine's part of a fleet: its topology, the swarm when it is a manager, and its swarm-scope networks'
 * verbose inspects (`details`: network ID to the inspect the collector keeps).
 */
export function fleetPart(
  key: string,
  url: string | null,
  topology: Topology,
  lists: SwarmLists | undefined,
  details: (id: string) => ApiNetwork | undefined,
): FleetPart {
  const clusterId = topology.engines[0]?.swarmNode?.clusterId ?? "";
  const verboseNetworks = topology.networks
    .filter((n) => n.scope === "swarm")
    .map((n) => details(n.id))
    .filter((d): d is ApiNetwork => d !== undefined);
  return {
    key,
    url,
    topology,
    ...(lists ? { swarm: normalizeSwarm(key, clusterId, lists.nodes, lists.services, lists.tasks) } : {}),
    verboseNetworks,
  };
}
