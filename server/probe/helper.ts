import { EngineError } from "../engine/engine-error.ts";
import type { ProbeEngine } from "../engine/probe-client.ts";
import { quoteShell } from "../model/escape/shell.ts";
import type { SourceStatus } from "../model/probe-types.ts";
import type { HelperSigner } from "./ownership.ts";
import { helperLabels } from "./sweep.ts";

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
  /** Signs the helper's labels, so only reachgraph's own sweeps remove it. */
  signer: HelperSigner;
  signal?: AbortSignal;
}

export interface HelperRun {
  status: SourceStatus;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  message?: string;
}

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
      labels: helperLabels(req.signer, {
        name: req.name,
        runId: req.runId,
        source: req.source,
        deadline: Date.now() + req.timeoutMs,
        owner: req.signer.owner,
      }),
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
  throw new Error(
    `probe helper ${ref} could not be removed; remove it with: docker rm -f ${quoteShell(ref)}`,
    {
      cause: last,
    },
  );
}
