import { EngineError } from "../engine/client.ts";
import type { ProbeEngine } from "../engine/probe-client.ts";
import {
  PROBE_DEADLINE_LABEL,
  PROBE_LABEL,
  PROBE_RUN_LABEL,
  PROBE_SOURCE_LABEL,
} from "../engine/probe-client.ts";
import type { SourceStatus } from "../model/probe-types.ts";

export interface HelperRequest {
  /** Container name; removal goes by name, so a create that failed half-way is still cleaned up. */
  name: string;
  image: string;
  /** `container:<source id>` or `host`. */
  networkMode: string;
  script: string;
  runId: string;
  source: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HelperRun {
  status: SourceStatus;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  message?: string;
}

/** How long past its deadline a helper may linger before a sweep from another run removes it. */
const SWEEP_GRACE_MS = 60_000;

/**
 * Runs one helper container to completion, its timeout or `signal`'s abort, and removes it in every case
 * (create-then-fail included, which `AutoRemove` would not cover). Engine refusals become a status; only a
 * failed removal throws, because then a helper is left behind.
 */
export async function runHelper(engine: ProbeEngine, req: HelperRequest): Promise<HelperRun> {
  const run: HelperRun = { status: "ok", stdout: "", stderr: "", exitCode: null };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort("timeout"), req.timeoutMs);
  const onAbort = () => stop.abort("aborted");
  req.signal?.addEventListener("abort", onAbort, { once: true });
  let attempted = false;
  try {
    if (req.signal?.aborted) return { ...run, status: "aborted", message: "aborted before start" };
    attempted = true;
    const id = await engine.createHelper({
      name: req.name,
      image: req.image,
      networkMode: req.networkMode,
      command: ["sh", "-c", req.script],
      labels: {
        [PROBE_LABEL]: "1",
        [PROBE_RUN_LABEL]: req.runId,
        [PROBE_SOURCE_LABEL]: req.source,
        [PROBE_DEADLINE_LABEL]: String(Date.now() + req.timeoutMs),
      },
    });
    if (stop.signal.aborted) return stopped(run, stop.signal, req.timeoutMs);
    try {
      await engine.startHelper(id);
    } catch (error) {
      return { ...run, ...startFailure(error) };
    }
    try {
      run.exitCode = await engine.waitHelper(id, stop.signal);
    } catch (error) {
      if (!stop.signal.aborted) throw error;
      stopped(run, stop.signal, req.timeoutMs);
      // A timed-out helper still tells what it finished; an aborted run wants none of it.
      if (run.status === "aborted") return run;
    }
    const logs = await engine.helperLogs(id);
    run.stdout = logs.stdout;
    run.stderr = logs.stderr;
    return run;
  } catch (error) {
    return { ...run, status: "error", message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onAbort);
    if (attempted) await removeWithRetry(engine, req.name);
  }
}

function stopped(run: HelperRun, signal: AbortSignal, timeoutMs: number): HelperRun {
  if (signal.reason === "timeout") {
    run.status = "timeout";
    run.message = `the helper did not finish within ${timeoutMs} ms`;
  } else {
    run.status = "aborted";
    run.message = "aborted";
  }
  return run;
}

function startFailure(error: unknown): Pick<HelperRun, "status" | "message"> {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof EngineError ? error.statusCode : undefined;
  // 409 "cannot join network of a non running container"; 404 "No such container" (the source is gone).
  const reason = (error as { cause?: { json?: { message?: string } } }).cause?.json?.message ?? message;
  if (code === 409) return { status: "not-running", message: `the source is not running: ${reason}` };
  if (code === 404) return { status: "missing", message: `the source does not exist: ${reason}` };
  return { status: "error", message };
}

async function removeWithRetry(engine: ProbeEngine, ref: string): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await engine.removeHelper(ref);
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
    }
  }
  throw new Error(`probe helper ${ref} could not be removed; remove it with: docker rm -f ${ref}`, {
    cause: last,
  });
}

/**
 * Removes leftover helpers (label `reachgraph.probe=1`), e.g. of a crashed process. By default only helpers
 * past their deadline, so concurrent runs keep theirs; `all: true` removes every helper (at server start).
 * Resolves with the names removed.
 */
export async function sweepProbeHelpers(
  engine: ProbeEngine,
  options: { all?: boolean; runId?: string; now?: number } = {},
): Promise<string[]> {
  const now = options.now ?? Date.now();
  const helpers = await engine.listHelpers();
  const stale = helpers.filter((h) => {
    if (options.runId !== undefined) return h.labels[PROBE_RUN_LABEL] === options.runId;
    if (options.all) return true;
    const deadline = Number(h.labels[PROBE_DEADLINE_LABEL]);
    return !Number.isFinite(deadline) || deadline + SWEEP_GRACE_MS < now;
  });
  for (const h of stale) await engine.removeHelper(h.id);
  return stale.map((h) => h.name);
}
