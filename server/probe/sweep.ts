import type { HelperInfo, ProbeEngine } from "../engine/probe-client.ts";
import {
  PROBE_DEADLINE_LABEL,
  PROBE_LABEL,
  PROBE_MAC_LABEL,
  PROBE_OWNER_LABEL,
  PROBE_RUN_LABEL,
  PROBE_SOURCE_LABEL,
} from "../model/probe-labels.ts";
import type { HelperClaim, HelperSigner } from "./ownership.ts";
import { ownerIsGone } from "./ownership.ts";

/** How long past its deadline a helper may linger before a sweep from another run removes it. */
export const SWEEP_GRACE_MS = 60_000;
/** How often `serve --allow-probes` sweeps. */
export const SWEEP_INTERVAL_MS = 60_000;

/** A helper's labels: the claim, and its MAC under this user's key. */
export function helperLabels(signer: HelperSigner, claim: HelperClaim): Record<string, string> {
  return {
    [PROBE_LABEL]: "1",
    [PROBE_RUN_LABEL]: claim.runId,
    [PROBE_SOURCE_LABEL]: claim.source,
    [PROBE_DEADLINE_LABEL]: String(claim.deadline),
    [PROBE_OWNER_LABEL]: claim.owner,
    [PROBE_MAC_LABEL]: signer.sign(claim),
  };
}

/** The helper's claim when its MAC proves this user's reachgraph made it; null for anyone else's container. */
function provenClaim(signer: HelperSigner, h: HelperInfo): HelperClaim | null {
  const claim: HelperClaim = {
    name: h.name,
    runId: h.labels[PROBE_RUN_LABEL] ?? "",
    source: h.labels[PROBE_SOURCE_LABEL] ?? "",
    deadline: Number(h.labels[PROBE_DEADLINE_LABEL]),
    owner: h.labels[PROBE_OWNER_LABEL] ?? "",
  };
  return signer.verify(claim, h.labels[PROBE_MAC_LABEL] ?? "") ? claim : null;
}

/**
 * Removes leftover helpers of this user's reachgraph: past their deadline, or made by a process on this
 * host that no longer exists (a SIGKILLed run). A container merely labelled `reachgraph.probe=1` is left
 * alone: only a valid MAC proves reachgraph created it. Volumes are never removed. `runId` removes that
 * run's helpers whatever their age. Resolves with the names removed.
 */
export async function sweepProbeHelpers(
  engine: ProbeEngine,
  signer: HelperSigner,
  options: { runId?: string; now?: number } = {},
): Promise<string[]> {
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  for (const h of await engine.listHelpers()) {
    const claim = provenClaim(signer, h);
    if (!claim) continue;
    const stale =
      options.runId !== undefined
        ? claim.runId === options.runId
        : claim.deadline + SWEEP_GRACE_MS < now || ownerIsGone(claim.owner, signer.owner);
    if (!stale) continue;
    await engine.removeHelper(h.id);
    removed.push(h.name);
  }
  return removed;
}

/** Sweeps now and then every `intervalMs` until stopped; a failed sweep is reported and retried next time. */
export function sweepPeriodically(
  engine: ProbeEngine,
  signer: HelperSigner,
  onError: (error: unknown) => void,
  intervalMs = SWEEP_INTERVAL_MS,
): { stop(): Promise<void> } {
  const sweep = () => sweepProbeHelpers(engine, signer).then(() => undefined, onError);
  let running = sweep();
  const timer = setInterval(() => (running = running.then(sweep)), intervalMs);
  // The timer alone never keeps the process alive.
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
