import { randomBytes } from "node:crypto";
import type { ProbeEngine } from "../engine/probe-client.ts";
import type { PairObservation, ProbeReport, SourceOutcome } from "../model/probe-types.ts";
import { PROBE_SCHEMA_VERSION } from "../model/probe-types.ts";
import type { Topology } from "../model/topology.ts";
import { runHelper } from "./helper.ts";
import type { HelperSigner } from "./ownership.ts";
import { loadSigner } from "./ownership.ts";
import { sweepProbeHelpers } from "./sweep.ts";
import { observePairs } from "./observe.ts";
import type { SourcePlan } from "./plan.ts";
import { planProbes } from "./plan.ts";
import { DEFAULT_PROBE_IMAGE } from "./probe-image.ts";
import { keyProbeEngines, sourceEngine } from "./source-engine.ts";
import { CHECK_TIMEOUTS, parseOutput, renderScript } from "./script.ts";

export const DEFAULT_PROBE_CONCURRENCY = 4;
/** Checks a helper runs at once (background jobs in its script). */
export const DEFAULT_PARALLEL_CHECKS = 24;

export interface ProbeOptions {
  /** Sources: names, IDs or `@host`; default every container and the host (the whole matrix). */
  from?: string[];
  /** Targets, as `from`; default every container and the host. */
  to?: string[];
  /** Helper image (`--probe-image`); needs busybox's sh, ping, nc, nslookup, timeout, awk, sed. */
  image?: string;
  signal?: AbortSignal;
  /** Helpers running at once; default 4. */
  concurrency?: number;
  /** Per-helper bound; default from the number of checks. */
  timeoutMs?: number;
  /** Ports tried on every target besides the known `ports[].privatePort`. */
  extraPorts?: number[];
  parallelChecks?: number;
  /** Labels this run's helpers (`reachgraph.probe.run`); default random. */
  runId?: string;
  /** Signs helpers' labels; default the key in the user's state directory ({@link loadSigner}). */
  signer?: HelperSigner;
}

/** The probe image is not on the engine. */
export class ProbeImageError extends Error {
  constructor(image: string, url: string) {
    super(
      `probe image ${image} not found on the engine: ${url} has no such image; load or tag one, ` +
        `or pass --probe-image <an image with busybox sh, ping, nc and nslookup>`,
    );
    this.name = "ProbeImageError";
  }
}

/** The run was aborted; every helper it started has been removed. */
export class ProbeAbortedError extends Error {
  constructor(runId: string, cause: unknown) {
    super(`probe run ${runId} aborted; its helpers were removed`, { cause });
    this.name = "ProbeAbortedError";
  }
}

/**
 * Probes reachability from real namespaces: one helper container per source (`container:<id>`, or `host` for
 * `@host`) runs ICMP, TCP and name checks against every target, at most `concurrency` helpers at once. With
 * several engines, each helper runs on the engine that reported its source (the topology's `engine`); a
 * source no connected engine runs is reported `no-engine`, its pairs not checked. Every helper is removed,
 * whatever happens. Rejects with an `EngineWriteRefusedError` when an engine refuses writes,
 * {@link ProbeImageError} when one lacks the image and {@link ProbeAbortedError} when `signal` aborts.
 */
export async function runProbes(
  engines: ProbeEngine | readonly ProbeEngine[],
  topology: Topology,
  options: ProbeOptions = {},
): Promise<ProbeReport> {
  const image = options.image ?? DEFAULT_PROBE_IMAGE;
  const runId = options.runId ?? randomBytes(4).toString("hex");
  const startedAt = new Date().toISOString();
  options.signal?.throwIfAborted();
  const plans = planProbes(topology, options);
  const byKey = keyProbeEngines(topology, Array.isArray(engines) ? engines : [engines as ProbeEngine]);
  const placed = plans.map((plan) => sourceEngine(plan, byKey));
  const signer = options.signer ?? loadSigner();
  const used = [...new Set(placed.flatMap((p) => (p.key === null ? [] : [p.engine])))];
  await Promise.all(
    used.map(async (engine) => {
      if (!(await engine.imageExists(image))) throw new ProbeImageError(image, engine.url);
      // Behind a GET-only socket proxy every helper would fail; say so once, before the first one.
      await engine.checkWriteAccess();
      // Leftovers of earlier runs (expired, or of a process that was killed) go before new helpers start.
      await sweepProbeHelpers(engine, signer);
    }),
  );
  const outcomes: SourceOutcome[] = new Array(plans.length);
  const pairs: PairObservation[][] = new Array(plans.length);
  const failures: unknown[] = [];
  await settleAll(plans, options.concurrency ?? DEFAULT_PROBE_CONCURRENCY, async (plan, i) => {
    if (options.signal?.aborted) return;
    const where = placed[i];
    if (where.key === null) {
      outcomes[i] = {
        source: plan.source,
        status: "no-engine",
        helper: "",
        checks: 0,
        message: where.reason,
      };
      pairs[i] = observePairs(plan, parseOutput(""), outcomes[i]);
      return;
    }
    try {
      [outcomes[i], pairs[i]] = await probeSource(
        where.engine,
        plan,
        { ...options, image, runId, signer },
        i,
      );
      outcomes[i].engine = where.key;
    } catch (error) {
      failures.push(error);
    }
  });
  if (failures.length) throw new AggregateError(failures, `probe run ${runId} left helpers behind`);
  if (options.signal?.aborted) throw new ProbeAbortedError(runId, options.signal.reason);
  return {
    schemaVersion: PROBE_SCHEMA_VERSION,
    runId,
    image,
    startedAt,
    finishedAt: new Date().toISOString(),
    sources: outcomes,
    pairs: pairs.flat(),
  };
}

async function probeSource(
  engine: ProbeEngine,
  plan: SourcePlan,
  options: ProbeOptions & { image: string; runId: string; signer: HelperSigner },
  index: number,
): Promise<[SourceOutcome, PairObservation[]]> {
  const parallel = options.parallelChecks ?? DEFAULT_PARALLEL_CHECKS;
  const name = `reachgraph-probe-${options.runId}-${index}`;
  const run = await runHelper(engine, {
    name,
    image: options.image,
    networkMode: plan.networkMode,
    script: renderScript(plan.checks, parallel),
    runId: options.runId,
    source: plan.source.id,
    timeoutMs: options.timeoutMs ?? estimateTimeoutMs(plan.checks.length, parallel),
    signer: options.signer,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const parsed = parseOutput(run.stdout);
  const outcome: SourceOutcome = {
    source: plan.source,
    status: run.status,
    helper: name,
    checks: plan.checks.length,
  };
  if (run.message) outcome.message = run.message;
  if (parsed.missingTools.length) {
    outcome.status = "error";
    outcome.message = `probe image ${options.image} lacks ${parsed.missingTools.join(", ")}; use a busybox image`;
  } else if (run.status === "ok" && !parsed.ended) {
    outcome.status = "error";
    outcome.message = `the helper stopped early (exit ${run.exitCode}): ${run.stderr.trim().slice(0, 300)}`;
  }
  return [outcome, observePairs(plan, parsed, outcome)];
}

/** Batches of checks run one after another; each batch lasts at most the slowest check's bound. */
export function estimateTimeoutMs(checks: number, parallel: number): number {
  const slowest = Math.max(CHECK_TIMEOUTS.icmp, CHECK_TIMEOUTS.tcp, CHECK_TIMEOUTS.name) + 1;
  return 15_000 + Math.ceil(checks / parallel) * slowest * 1000;
}

/** Runs `fn` over `items`, `limit` at a time, and resolves only when every started call has settled. */
async function settleAll<T>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
