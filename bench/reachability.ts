import { recordingState } from "../server/example/example.ts";
import { normalizeTopology } from "../server/model/normalize.ts";
import {
  computeReachability,
  explainPair,
  forEachPair,
  indexTopology,
} from "../server/model/reachability/index.ts";
import { syntheticRecording } from "../test/support/synthetic.ts";
import { median, ms, printTable, quantile, target, timeRuns } from "./stats.ts";
import type { Row } from "./stats.ts";

/** Full matrix and one-pair explanation on synthetic topologies replayed from recorded shapes. */
export async function benchReachability(sizes: { containers: number; networks: number }[]): Promise<void> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const topology = normalizeTopology(recordingState(syntheticRecording(size)), {
      kind: "live",
      label: "synthetic",
      capturedAt: new Date().toISOString(),
    });
    const memberships = topology.containers.reduce((sum, c) => sum + c.interfaces.length, 0);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let reach = computeReachability(indexTopology(topology));
    const heapAfter = process.memoryUsage().heapUsed;
    const indexing = await timeRuns(7, () => indexTopology(topology));
    const index = indexTopology(topology);
    const matrix = await timeRuns(7, () => {
      reach = computeReachability(index);
    });
    const full = indexing.map((t, i) => t + matrix[i]);
    let reachable = 0;
    const stream = await timeRuns(3, () => {
      reachable = 0;
      forEachPair(reach, (_f, _t, verdict) => {
        if (verdict === "reachable") reachable++;
      });
    });
    const names = topology.containers.map((c) => c.name);
    let k = 0;
    const one = await timeRuns(200, () => {
      explainPair(index, names[k % names.length], names[(k * 7919 + 13) % names.length]);
      k++;
    });
    rows.push({
      containers: size.containers,
      networks: size.networks,
      memberships,
      index: ms(median(indexing)),
      matrix: ms(median(matrix)),
      "index + matrix": ms(median(full)),
      "stream all pairs": ms(median(stream)),
      "reachable pairs": reachable,
      "one pair p50": ms(median(one)),
      "one pair p95": ms(quantile(one, 0.95)),
      "matrix heap": `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MB`,
      source: "replayed (synthetic)",
    });
    if (size.containers >= 10_000) {
      target(
        `full matrix at ${size.containers} containers`,
        ms(median(full)),
        "< 200 ms",
        median(full) < 200,
      );
    }
    target(
      `one pair at ${size.containers} containers (p95)`,
      ms(quantile(one, 0.95)),
      "< 1 ms",
      quantile(one, 0.95) < 1,
    );
  }
  printTable("Reachability (pure model, medians)", rows);
}
