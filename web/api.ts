import type { HealthResponse } from "../server/http/app.ts";
import type { ProbeOutcome } from "../server/probe/probe-service.ts";
import type { ProbeCapability } from "./store.ts";

/** What `GET /api/health` says about probes; null when the server predates them or cannot be asked. */
export async function fetchProbeCapability(): Promise<ProbeCapability | null> {
  try {
    const res = await fetch("/api/health");
    if (!res.ok) return null;
    // An older server may answer without `probes`.
    const body = (await res.json()) as Partial<HealthResponse>;
    const p = body.probes;
    if (!p || typeof p.enabled !== "boolean") return null;
    return { enabled: p.enabled, image: typeof p.image === "string" ? p.image : "" };
  } catch {
    return null;
  }
}

/** `POST /api/probes`'s answer: the server's own type. */
export type ProbeAnswer = ProbeOutcome;

/** `POST /api/probes` for one pair (names or `@host`); throws with the server's message on failure. */
export async function postProbe(from: string, to: string, signal: AbortSignal): Promise<ProbeAnswer> {
  const res = await fetch("/api/probes", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ from, to }),
    signal,
  });
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // A body that is not JSON is reported by status below.
  }
  const obj = (body ?? {}) as Partial<ProbeAnswer> & { error?: unknown };
  if (!res.ok || !obj.report) {
    const why = typeof obj.error === "string" ? obj.error : `HTTP ${res.status}`;
    throw new Error(`probe ${from} → ${to} failed: ${why}`);
  }
  return { report: obj.report, disagreements: obj.disagreements ?? [], unchecked: obj.unchecked ?? [] };
}
