/**
 * Records real Engine API responses for the replay tests and the bundled example.
 *   npx tsx scripts/record-fixtures.ts
 * Builds the full scenario (test/support/scenarios.ts) on the engine at unix:///var/run/docker.sock, records the
 * raw bytes of every endpoint reachgraph reads into test/fixtures/recorded/full/, writes the same data as one
 * plain object to server/example/recorded-engine.json (env and secret-looking labels removed), and cleans up.
 */
import { rmSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { ApiContainerInspect, ApiEvent, ApiNetwork } from "../server/model/engine-api.ts";
import { API_VERSION, ENGINE_SOCKET } from "../test/support/engine.ts";
import type { EngineRecording, RecordingManifest } from "../test/support/recording.ts";
import { RECORDED_DIR } from "../test/support/recording.ts";
import { Scenario } from "../test/support/scenario.ts";
import { buildFullScenario } from "../test/support/scenarios.ts";
import {
  get,
  withoutEnv,
  withoutForeignEndpoints,
  withoutSecrets,
  write,
  writeJson,
} from "./record-shared.ts";

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

function keepEvent(line: string, containerIds: Set<string>, networkIds: Set<string>): boolean {
  const event = JSON.parse(line) as ApiEvent;
  const attached = event.Actor.Attributes?.container;
  if (event.Type === "container") return containerIds.has(event.Actor.ID);
  if (attached) return containerIds.has(attached);
  return networkIds.has(event.Actor.ID);
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
  await writeJson(EXAMPLE, example);
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
