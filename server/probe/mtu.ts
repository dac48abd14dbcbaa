import { randomBytes } from "node:crypto";
import type { ProbeEngine } from "../engine/probe-client.ts";
import type { MtuObservation, MtuPlan } from "../model/fleet/mtu.ts";
import { parseMtuOutput, renderMtuScript } from "../model/fleet/mtu.ts";
import { runHelper } from "./helper.ts";
import type { HelperSigner } from "./ownership.ts";
import { loadSigner } from "./ownership.ts";
import { DEFAULT_PROBE_IMAGE } from "./probe-image.ts";
import { ProbeImageError } from "./run-probes.ts";

/** Small pings, two big ones and ~11 bisection pings of at most 2 s each, and the helper's start. */
export const MTU_CHECK_TIMEOUT_MS = 60_000;

export interface MtuCheckOptions {
  image?: string;
  signer?: HelperSigner;
  signal?: AbortSignal;
  runId?: string;
}

/**
 * Runs each planned MTU check (CS-8) in a helper in the source's namespace, on the source's own engine
 * (`engineOf` its map key), one after another: a bisection's pings must not compete with each other. Rejects
 * with {@link ProbeImageError} when an engine lacks the image, an `EngineWriteRefusedError` when it refuses writes.
 */
export async function runMtuChecks(
  engineOf: (engineKey: string) => ProbeEngine,
  plans: MtuPlan[],
  options: MtuCheckOptions = {},
): Promise<MtuObservation[]> {
  const image = options.image ?? DEFAULT_PROBE_IMAGE;
  const runId = options.runId ?? randomBytes(4).toString("hex");
  const signer = options.signer ?? loadSigner();
  // As for probes: a missing image or a read-only proxy is said once per engine, before any helper starts.
  for (const key of new Set(plans.map((p) => p.source.engine))) {
    const engine = engineOf(key);
    if (!(await engine.imageExists(image))) throw new ProbeImageError(image, engine.url);
    await engine.checkWriteAccess();
  }
  const out: MtuObservation[] = [];
  for (const [i, plan] of plans.entries()) {
    options.signal?.throwIfAborted();
    const run = await runHelper(engineOf(plan.source.engine), {
      name: `reachgraph-mtu-${runId}-${i}`,
      image,
      networkMode: `container:${plan.source.id}`,
      script: renderMtuScript(plan),
      runId,
      source: plan.source.id,
      timeoutMs: MTU_CHECK_TIMEOUT_MS,
      signer,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const obs = parseMtuOutput(plan, run.stdout);
    if (run.status !== "ok") obs.error = run.message ?? run.status;
    out.push(obs);
  }
  return out;
}
