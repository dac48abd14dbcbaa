/**
 * Fleet topologies for the projection and export tests, merged the way the collector merges them:
 * - `recordedFleet`: the real three-node swarm as test/fixtures/fleet recorded it (scripts/record-fleet.ts),
 *   through `fleetTopology` (mergeFleet);
 * - `twoEngineFleet`: two standalone engines from two real recordings, the bundled example's engine as
 *   `alpha` and the api-samples engine (Engine 20.10) as `beta`, each with its own bridge, host and overlays.
 */
import { exampleTopology } from "../../server/example/example.ts";
import { fleetTopology } from "../../server/example/fleet.ts";
import { mergeFleet } from "../../server/model/fleet/merge.ts";
import type { Topology } from "../../server/model/topology.ts";
import { recordedState, topologyOf } from "../model/reachability/fixture.ts";
import { loadFleetRecording } from "./recording.ts";

/** `swarm`: vm (manager), node2, node3 all connected; `down`: the manager alone, a killed worker known from /tasks. */
export function recordedFleet(scenario: "swarm" | "down"): Topology {
  const { recording } = loadFleetRecording(scenario);
  return fleetTopology(recording, {
    kind: "snapshot",
    label: `fleet ${scenario}`,
    capturedAt: recording.recordedAt ?? "",
  });
}

/** Two standalone engines on one map, as `--context alpha --context beta` reads them. */
export function twoEngineFleet(): Topology {
  const alpha = exampleTopology();
  return mergeFleet(
    [
      { key: "alpha", url: null, topology: alpha },
      { key: "beta", url: null, topology: topologyOf(recordedState()) },
    ],
    alpha.source,
  );
}
