/**
 * Fleet topologies for the projection and export tests, merged the way the collector merges them (mergeFleet)
 * from two real recordings of two different engines: the bundled example's engine as `alpha` and the
 * api-samples engine (Engine 20.10) as `beta`. Both have their own bridge, host, none and docker_gwbridge, and
 * overlays of their own swarms.
 */
import { exampleTopology } from "../../server/example/example.ts";
import { mergeFleet } from "../../server/model/fleet/merge.ts";
import type { Topology } from "../../server/model/topology.ts";
import { recordedState, topologyOf } from "../model/reachability/fixture.ts";

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
