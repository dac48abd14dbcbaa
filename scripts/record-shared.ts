/**
 * What the recorders (record-fixtures.ts, record-examples.ts, record-fleet.ts) share: raw GETs of an engine,
 * the edits a recording may make to the engine's bytes (env removed, other runs' objects scrubbed, secret-looking
 * labels dropped) and writing files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { format, resolveConfig } from "prettier";
import type { ApiContainerSummary, ApiNetwork } from "../server/model/engine-api.ts";
import { isSecretKey } from "../server/model/redact.ts";
import { ENGINE_SOCKET, engineRequest } from "../test/support/engine.ts";

/** `GET path` on the engine at `socket`, the body as the engine sent it; throws unless 200. */
export async function get(path: string, socket = ENGINE_SOCKET): Promise<string> {
  const res = await engineRequest("GET", path, undefined, socket);
  if (res.statusCode !== 200)
    throw new Error(`GET ${path} on unix://${socket} answered ${res.statusCode}: ${res.body.trim()}`);
  return res.body;
}

/** Drops `Config.Env` from an inspect body, keeping every other byte the engine sent (verified by re-parsing). */
export function withoutEnv(body: string): string {
  const expected = JSON.parse(body) as { Config?: { Env?: unknown } };
  delete expected.Config?.Env;
  const cut = body.replace(/"Env":\[(?:"(?:[^"\\]|\\.)*",?)*\],?/, "").replace(/,}/g, "}");
  if (JSON.stringify(JSON.parse(cut)) === JSON.stringify(expected)) return cut;
  return `${JSON.stringify(expected)}\n`;
}

/** Removes endpoints of containers that are not the scenario's (other runs share the engine's system networks). */
export function withoutForeignEndpoints(body: string, ours: Set<string>): { body: string; scrubbed: number } {
  const net = JSON.parse(body) as ApiNetwork;
  const foreign = Object.keys(net.Containers ?? {}).filter((k) => /^[0-9a-f]{64}$/.test(k) && !ours.has(k));
  if (foreign.length === 0) return { body, scrubbed: 0 };
  for (const key of foreign) delete net.Containers?.[key];
  return { body: `${JSON.stringify(net)}\n`, scrubbed: foreign.length };
}

/**
 * The networks a recording needs, by ID: the scenario's own, those its containers are attached to, and
 * docker_gwbridge when an overlay is among them (overlay members are attached to it without naming it, OV-2).
 */
export function neededNetworks(
  all: ApiNetwork[],
  own: Iterable<string>,
  containers: ApiContainerSummary[],
): Set<string> {
  const used = new Set(own);
  for (const c of containers)
    for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {}))
      used.add(ep.NetworkID || (all.find((n) => n.Name === name)?.Id ?? ""));
  if (all.some((n) => used.has(n.Id) && n.Driver === "overlay"))
    used.add(all.find((n) => n.Name === "docker_gwbridge")?.Id ?? "");
  used.delete("");
  return used;
}

/** Secret-looking labels are dropped from a recording entirely, not just redacted. */
export function withoutSecrets(
  labels: Record<string, string> | null | undefined,
): Record<string, string> | null {
  if (!labels) return labels ?? null;
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !isSecretKey(key)));
}

export function write(file: string, body: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** Writes `value` as JSON formatted the way the repository's prettier config formats it. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  write(file, await format(JSON.stringify(value), { ...options, filepath: file }));
}
