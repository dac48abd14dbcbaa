/**
 * Fleet topologies for the cross-machine rules (SW-*): the FleetRecordings made on the real three-node swarm
 * (test/fixtures/fleet/), merged the way a live fleet is (server/example/fleet.ts `fleetTopology`).
 */
import { readFileSync } from "node:fs";
import { fleetTopology } from "../../../server/example/fleet.ts";
import type { FleetRecording } from "../../../server/model/engine-api.ts";
import { indexTopology } from "../../../server/model/reachability/index.ts";
import type { DaemonConfig, TopologyIndex } from "../../../server/model/reachability/index.ts";
import type { Container, Topology } from "../../../server/model/topology.ts";

const DIR = new URL("../../fixtures/fleet/", import.meta.url);
const SOURCE = { kind: "snapshot" as const, label: "fleet", capturedAt: "2026-12-01T13:00:00Z" };

/** A recorded fleet; `engines` keeps only the engines whose keys pass (e.g. the manager alone, SW-12). */
export function fleetRecording(scenario: string): FleetRecording {
  return JSON.parse(readFileSync(new URL(`${scenario}.json`, DIR), "utf8")) as FleetRecording;
}

/** A change to the merged topology: one documented field (each use says why). */
export interface FleetVariant {
  engines?: (key: string) => boolean;
  topology?: (topology: Topology) => void;
  config?: DaemonConfig;
}

export function fleet(scenario: string, variant: FleetVariant = {}): TopologyIndex {
  const recording = fleetRecording(scenario);
  if (variant.engines) recording.engines = recording.engines.filter((e) => variant.engines!(e.key));
  const topology = fleetTopology(recording, SOURCE);
  variant.topology?.(topology);
  return indexTopology(topology, variant.config);
}

export function live(index: TopologyIndex): Container[] {
  return index.containers.filter((c) => c.state === "running");
}
