import type { ProbeEngine } from "../engine/probe-client.ts";
import { compareWithPrediction, partitionDisagreements } from "../model/probe-compare.ts";
import type { Disagreement, ProbeReport } from "../model/probe-types.ts";
import { explainPair, indexTopology, resolveEnd } from "../model/reachability/index.ts";
import type { Topology } from "../model/topology.ts";
import type { HelperSigner } from "./ownership.ts";
import { loadSigner } from "./ownership.ts";
import { DEFAULT_PROBE_IMAGE } from "./probe-image.ts";
import { runProbes } from "./run-probes.ts";
import { sweepPeriodically } from "./sweep.ts";

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
  /**
   * Aborts every run in flight with `reason` and resolves once all their helpers are removed (a signal
   * handler awaits this before exit); stops the periodic sweep. Later probes are refused.
   */
  close(reason?: unknown): Promise<void>;
}

export interface ProbeServiceOptions {
  image?: string;
  signer?: HelperSigner;
  /** Sweep leftovers now and every this many ms (a long-running server); default: only when a run starts. */
  sweepEveryMs?: number;
  /** Where a failed periodic sweep is reported. */
  onSweepError?: (error: unknown) => void;
}

/**
 * Wires the probe engines (one per connected engine of a fleet) to the model: names are checked against the
 * topology before any helper starts; each source is probed from its own engine.
 */
export function createProbeService(
  engines: ProbeEngine | readonly ProbeEngine[],
  options: ProbeServiceOptions = {},
): ProbeService {
  const all: readonly ProbeEngine[] = Array.isArray(engines) ? engines : [engines as ProbeEngine];
  const image = options.image ?? DEFAULT_PROBE_IMAGE;
  const signer = options.signer ?? loadSigner();
  const runs = new Map<AbortController, Promise<unknown>>();
  let closed: unknown = undefined;
  const onSweepError = options.onSweepError ?? (() => undefined);
  // Every connected engine is swept, each on its own: a dead one never holds up the others' sweeps.
  const sweeping =
    options.sweepEveryMs === undefined
      ? []
      : all.map((engine) => sweepPeriodically(engine, signer, onSweepError, options.sweepEveryMs));
  return {
    image,
    async probe(topology, { from, to, signal }) {
      if (closed !== undefined)
        throw new Error("reachgraph is shutting down: no new probe runs", { cause: closed });
      const index = indexTopology(topology);
      // Unknown names fail here, with the model's message, before a helper container exists.
      for (const ref of [...(from ?? []), ...(to ?? [])]) resolveEnd(index, ref);
      const abort = new AbortController();
      const forward = () => abort.abort(signal?.reason);
      signal?.addEventListener("abort", forward, { once: true });
      if (signal?.aborted) forward();
      const run = runProbes(all, topology, {
        image,
        signer,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        signal: abort.signal,
      });
      runs.set(
        abort,
        run.catch(() => undefined),
      );
      try {
        const report = await run;
        const compared = compareWithPrediction((a, b) => explainPair(index, a.id, b.id), report);
        return { report, ...partitionDisagreements(compared) };
      } finally {
        runs.delete(abort);
        signal?.removeEventListener("abort", forward);
      }
    },
    async close(reason = new Error("reachgraph is shutting down")) {
      closed = reason;
      for (const abort of runs.keys()) abort.abort(reason);
      await Promise.all([...runs.values(), ...sweeping.map((s) => s.stop())]);
    },
  };
}
