import type { ProbeEngine } from "../engine/probe-client.ts";
import { compareWithPrediction, partitionDisagreements } from "../model/probe-compare.ts";
import type { Disagreement, ProbeReport } from "../model/probe-types.ts";
import { explainPair, indexTopology, resolveEnd } from "../model/reachability/index.ts";
import type { Topology } from "../model/topology.ts";
import { DEFAULT_PROBE_IMAGE, runProbes } from "./run-probes.ts";

export interface ProbeRequest {
  from?: string[];
  to?: string[];
  signal?: AbortSignal;
}

export interface ProbeOutcome {
  report: ProbeReport;
  /** Every pair or name where the probes observed something other than the model; empty when they agree. */
  disagreements: Disagreement[];
  /** Pairs and names the probes could not check (skipped addresses, helpers that never ran, not covered). */
  unchecked: Disagreement[];
}

/** Probes (opt-in: `--allow-probes`) and their comparison with the model's prediction. */
export interface ProbeService {
  readonly image: string;
  probe(topology: Topology, request: ProbeRequest): Promise<ProbeOutcome>;
}

/** Wires the probe engine to the model: names are checked against the topology before any helper starts. */
export function createProbeService(engine: ProbeEngine, image = DEFAULT_PROBE_IMAGE): ProbeService {
  return {
    image,
    async probe(topology, { from, to, signal }) {
      const index = indexTopology(topology);
      // Unknown names fail here, with the model's message, before a helper container exists.
      for (const ref of [...(from ?? []), ...(to ?? [])]) resolveEnd(index, ref);
      const report = await runProbes(engine, topology, {
        image,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(signal ? { signal } : {}),
      });
      const compared = compareWithPrediction((a, b) => explainPair(index, a.id, b.id), report);
      return { report, ...partitionDisagreements(compared) };
    },
  };
}
