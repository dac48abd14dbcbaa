import type { FleetRecording } from "../model/engine-api.ts";
import { fleetKeys, mergeFleet } from "../model/fleet/merge.ts";
import { fleetPart } from "../model/fleet/part.ts";
import { normalizeTopology } from "../model/normalize.ts";
import type { Topology, TopologySource } from "../model/topology.ts";
import { recordingState } from "./example.ts";

/**
 * The merged topology of a recorded fleet, made the way a live one is (server/collector/fleet.ts): each engine
 * normalised on its own, its swarm lists and verbose overlay inspects as recorded, then merged.
 */
export function fleetTopology(recording: FleetRecording, source: TopologySource): Topology {
  const topologies = recording.engines.map(({ recording: r }) =>
    normalizeTopology(recordingState(r), source),
  );
  const keys = fleetKeys(
    recording.engines.map(({ key }, i) => ({
      given: key,
      hostname: topologies[i].engine.name,
      swarmMember: topologies[i].engine.swarm,
    })),
  );
  const parts = recording.engines.map(({ recording: r }, i) =>
    fleetPart(
      keys[i],
      null,
      topologies[i],
      r.nodes && r.services && r.tasks ? { nodes: r.nodes, services: r.services, tasks: r.tasks } : undefined,
      (id) => r.verboseNetworkInspects?.[id],
    ),
  );
  return mergeFleet(parts, source);
}
