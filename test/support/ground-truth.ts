import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProbeEngine } from "../../server/engine/probe-client.ts";
import {
  compareWithPrediction,
  formatDisagreements,
  partitionDisagreements,
} from "../../server/model/probe-compare.ts";
import type { Disagreement, PairObservation, ProbeEnd, ProbeReport } from "../../server/model/probe-types.ts";
import { explainPair } from "../../server/model/reachability/explain-pair.ts";
import { indexTopology } from "../../server/model/reachability/topology-index.ts";
import type { PairExplanation } from "../../server/model/reachability/types.ts";
import type { Topology } from "../../server/model/topology.ts";
import type { ProbeOptions } from "../../server/probe/run-probes.ts";
import { runProbes } from "../../server/probe/run-probes.ts";

export interface GroundTruth {
  report: ProbeReport;
  /** The model's explanation of a probed pair. */
  predict(from: ProbeEnd, to: ProbeEnd): PairExplanation;
  /** Disagreements that stayed when their pair was probed again after the networks settled. */
  disagreements: Disagreement[];
  /** Disagreements that went away when their pair was probed again after the networks settled. */
  transients: Disagreement[];
  /** Re-probes' run ID, for checking that their helpers were removed too. */
  rerunId: string;
}

export interface GroundTruthOptions {
  /** The matrix run's ID; re-probes run under `<runId>r`. */
  runId: string;
  /** Resolves once no engine involved has changed a network for a while. */
  settled(): Promise<void>;
  /** For the console lines and the report file: `ground-truth`, `ground-truth-fleet`. */
  label: string;
  probe: Pick<ProbeOptions, "image" | "extraPorts" | "concurrency" | "parallelChecks">;
}

/**
 * Probes the whole matrix of `topology` and compares it with the model. Docker re-inserts its isolation rules
 * (DOCKER-ISOLATION-STAGE-1/2) whenever a network is created or removed, and a probe sent during that window
 * can cross between bridges (UB-8): a pair the probes contradicted is probed once more after the networks
 * have been quiet (one helper per source), and only a disagreement that stays is real. The report is kept in the temp directory for investigation.
 */
export async function probeGroundTruth(
  engines: ProbeEngine | readonly ProbeEngine[],
  topology: Topology,
  options: GroundTruthOptions,
): Promise<GroundTruth> {
  const rerunId = `${options.runId}r`;
  const report = await runProbes(engines, topology, { ...options.probe, runId: options.runId });
  const index = indexTopology(topology);
  const predict = (from: ProbeEnd, to: ProbeEnd) => explainPair(index, from.id, to.id);
  const first = compareWithPrediction(predict, report);
  // Only what the probes contradicted is probed again; a pair they could not check stays unchecked.
  const pairKey = (d: { from: ProbeEnd; to: ProbeEnd }) => `${d.from.id} ${d.to.id}`;
  const doubtful = new Map(partitionDisagreements(first).disagreements.map((d) => [pairKey(d), d]));
  const targetsBySource = new Map<string, string[]>();
  for (const d of doubtful.values())
    targetsBySource.set(d.from.id, [...(targetsBySource.get(d.from.id) ?? []), d.to.id]);
  const again: PairObservation[] = [];
  for (const [from, to] of targetsBySource) {
    await options.settled();
    const rerun = await runProbes(engines, topology, { ...options.probe, from: [from], to, runId: rerunId });
    again.push(...rerun.pairs.filter((p) => doubtful.has(pairKey(p))));
  }
  const disagreements = [
    ...first.filter((d) => !doubtful.has(pairKey(d))),
    ...compareWithPrediction(predict, again),
  ];
  const key = (d: Disagreement) => `${d.from.id} ${d.to.id} ${d.aspect} ${d.name ?? ""}`;
  const real = new Set(disagreements.map(key));
  const transients = first.filter((d) => !real.has(key(d)));
  if (transients.length)
    console.info(
      `${options.label}: ${transients.length} transient disagreement(s), gone after the networks settled ` +
        `(Docker re-inserting isolation rules while networks change):\n${formatDisagreements(transients)}`,
    );
  // Kept for investigating a disagreement: every check of every pair, and the topology it was planned from.
  const file = join(tmpdir(), `reachgraph-${options.label}-${options.runId}.json`);
  writeFileSync(file, JSON.stringify({ topology, report, disagreements, transients }, null, 1));
  console.info(`${options.label}: probe report in ${file}`);
  return { report, predict, disagreements, transients, rerunId };
}
