/**
 * Records real Engine API responses for the replay tests and the bundled example.
 *   npx tsx scripts/record-fixtures.ts
 * Builds the full scenario (test/support/scenarios.ts) on the engine at unix:///var/run/docker.sock, records the
 * raw bytes of every endpoint reachgraph reads into test/fixtures/recorded/full/, writes the same data as one
 * plain object to server/example/recorded-engine.json (env and secret-looking labels removed), and cleans up.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { format, resolveConfig } from "prettier";
import type { ApiContainerInspect, ApiEvent, ApiNetwork } from "../server/model/engine-api.ts";
import { isSecretKey } from "../server/model/redact.ts";
import { API_VERSION, ENGINE_SOCKET, engineRequest } from "../test/support/engine.ts";
import type { EngineRecording, RecordingManifest } from "../test/support/recording.ts";
import { RECORDED_DIR } from "../test/support/recording.ts";
import { Scenario } from "../test/support/scenario.ts";
import { buildFullScenario } from "../test/support/scenarios.ts";

const SCENARIO = "full";
const OUT = join(RECORDED_DIR, SCENARIO);
const EXAMPLE = new URL("../server/example/recorded-engine.json", import.meta.url).pathname;
/** Engine-owned networks that the scenario's containers use or that overlays bring along. */
const SYSTEM_NETWORKS = ["bridge", "host", "none", "ingress", "docker_gwbridge"];

/** A live `GET /events` subscription whose raw lines are kept until {@link stop}. */
function captureEvents(): { stop: () => Promise<string[]> } {
  let raw = "";
  const filters = encodeURIComponent(JSON.stringify({ type: ["container", "network"] }));
  const req = request(
    { socketPath: ENGINE_SOCKET, path: `/${API_VERSION}/events?filters=${filters}` },
    (res) => {
      res.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    },
  );
  req.on("error", () => undefined);
  req.end();
  let stopped: Promise<string[]> | undefined;
  const stop = async () => {
    // Events trail the CLI calls slightly; give the last ones time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    req.destroy();
    return raw.split("\n").filter((l) => l.trim());
  };
  return { stop: () => (stopped ??= stop()) };
}

async function get(path: string): Promise<string> {
  const res = await engineRequest("GET", path);
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${res.body.trim()}`);
  return res.body;
}

/** Drops `Config.Env` from an inspect body, keeping every other byte the engine sent (verified by re-parsing). */
function withoutEnv(body: string): string {
  const expected = JSON.parse(body) as { Config?: { Env?: unknown } };
  delete expected.Config?.Env;
  const cut = body.replace(/"Env":\[(?:"(?:[^"\\]|\\.)*",?)*\],?/, "").replace(/,}/g, "}");
  if (JSON.stringify(JSON.parse(cut)) === JSON.stringify(expected)) return cut;
  return `${JSON.stringify(expected)}\n`;
}

/** Removes endpoints of containers that are not the scenario's (other runs share the engine's system networks). */
function withoutForeignEndpoints(body: string, ours: Set<string>): { body: string; scrubbed: number } {
  const net = JSON.parse(body) as ApiNetwork;
  const foreign = Object.keys(net.Containers ?? {}).filter((k) => /^[0-9a-f]{64}$/.test(k) && !ours.has(k));
  if (foreign.length === 0) return { body, scrubbed: 0 };
  for (const key of foreign) delete net.Containers?.[key];
  return { body: `${JSON.stringify(net)}\n`, scrubbed: foreign.length };
}

function keepEvent(line: string, containerIds: Set<string>, networkIds: Set<string>): boolean {
  const event = JSON.parse(line) as ApiEvent;
  const attached = event.Actor.Attributes?.container;
  if (event.Type === "container") return containerIds.has(event.Actor.ID);
  if (attached) return containerIds.has(attached);
  return networkIds.has(event.Actor.ID);
}

function write(file: string, body: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** Secret-looking labels are dropped from the example entirely, not just redacted. */
function withoutSecrets(labels: Record<string, string> | null | undefined): Record<string, string> | null {
  if (!labels) return labels ?? null;
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !isSecretKey(key)));
}

async function writeExample(recording: EngineRecording): Promise<void> {
  const example = structuredClone(recording);
  for (const c of example.containers) c.Labels = withoutSecrets(c.Labels);
  for (const c of Object.values(example.containerInspects)) {
    if (c.Config) c.Config.Labels = withoutSecrets(c.Config.Labels);
    delete (c.Config as { Env?: unknown } | undefined)?.Env;
  }
  for (const e of example.events)
    if (e.Actor.Attributes) e.Actor.Attributes = withoutSecrets(e.Actor.Attributes) ?? {};
  const text = JSON.stringify(example);
  const options = (await resolveConfig(EXAMPLE)) ?? {};
  write(EXAMPLE, await format(text, { ...options, filepath: EXAMPLE }));
}

async function main(): Promise<void> {
  const scenario = await Scenario.create({ runId: "demo" });
  // A crashed earlier recording may have left rgt-demo-* objects behind.
  await scenario.cleanup();
  const events = captureEvents();
  try {
    const full = await buildFullScenario(scenario);
    const eventLines = await events.stop();
    const recordedAt = new Date().toISOString();
    const manifest: RecordingManifest = {
      scenario: SCENARIO,
      recordedAt,
      prefix: scenario.prefix,
      engine: { version: "", apiVersion: "" },
      containers: Object.fromEntries(Object.entries(full.containers).map(([role, c]) => [role, { ...c }])),
      networks: Object.fromEntries(
        Object.entries(full.networks).map(([role, n]) => [
          role,
          { id: n.id, name: n.name, subnet: n.subnet },
        ]),
      ),
      requests: {},
      edits: [],
      dupStartError: full.dupStartError,
    };
    const system = JSON.parse(await get(`/${API_VERSION}/networks`)) as ApiNetwork[];
    for (const name of SYSTEM_NETWORKS) {
      const net = system.find((n) => n.Name === name);
      if (net) manifest.networks[name] = { id: net.Id, name: net.Name };
    }
    const containerIds = new Set(Object.values(full.containers).map((c) => c.id));
    const networkIds = new Set(Object.values(manifest.networks).map((n) => n.id));

    rmSync(OUT, { recursive: true, force: true });
    const record = async (file: string, path: string, edit: (body: string) => string = (b) => b) => {
      const body = edit(await get(path));
      manifest.requests[file] = `GET ${decodeURIComponent(path)}`;
      write(join(OUT, file), body);
      return body;
    };
    await record("_ping.txt", "/_ping");
    const version = JSON.parse(
      await record("version.json", `/${API_VERSION}/version`),
    ) as EngineRecording["version"];
    manifest.engine = { version: version.Version ?? "", apiVersion: version.ApiVersion ?? "" };
    const info = JSON.parse(await record("info.json", `/${API_VERSION}/info`)) as EngineRecording["info"];
    // Other runs share this engine: ask the engine itself for only our objects, so the bytes stay its own.
    const byId = (ids: Set<string>) => encodeURIComponent(JSON.stringify({ id: [...ids] }));
    const containers = JSON.parse(
      await record(
        "containers-list-all.json",
        `/${API_VERSION}/containers/json?all=1&filters=${byId(containerIds)}`,
      ),
    ) as EngineRecording["containers"];
    const networks = JSON.parse(
      await record("networks-list.json", `/${API_VERSION}/networks?filters=${byId(networkIds)}`),
    ) as EngineRecording["networks"];

    const containerInspects: Record<string, ApiContainerInspect> = {};
    for (const [role, c] of Object.entries(full.containers)) {
      const body = await record(
        `container-inspect/${role}.json`,
        `/${API_VERSION}/containers/${c.id}/json`,
        withoutEnv,
      );
      containerInspects[c.id] = JSON.parse(body) as ApiContainerInspect;
    }
    manifest.edits.push(
      "container-inspect/*.json: Config.Env removed (environment variables never leave the engine)",
    );
    const networkInspects: Record<string, ApiNetwork> = {};
    for (const [role, n] of Object.entries(manifest.networks)) {
      const body = await record(`network-inspect/${role}.json`, `/${API_VERSION}/networks/${n.id}`, (raw) => {
        const { body: kept, scrubbed } = withoutForeignEndpoints(raw, containerIds);
        if (scrubbed > 0)
          manifest.edits.push(`network-inspect/${role}.json: ${scrubbed} other runs' endpoints removed`);
        return kept;
      });
      networkInspects[n.id] = JSON.parse(body) as ApiNetwork;
    }
    const kept = eventLines.filter((line) => keepEvent(line, containerIds, networkIds));
    write(join(OUT, "events.jsonl"), kept.map((l) => `${l}\n`).join(""));
    manifest.requests["events.jsonl"] =
      `GET /${API_VERSION}/events?filters={"type":["container","network"]} while building; lines of other runs dropped`;
    write(join(OUT, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

    await writeExample({
      recordedAt,
      info,
      version,
      containers,
      networks,
      containerInspects,
      networkInspects,
      events: kept.map((l) => JSON.parse(l) as ApiEvent),
    });
    console.log(
      `recorded ${containers.length} containers, ${networks.length} networks, ${kept.length} events to ${OUT}`,
    );
  } finally {
    await events.stop().catch(() => undefined);
    await scenario.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
