/**
 * Records the bundled teaching examples (scripts/example-specs.ts) from the real engine:
 *   npx tsx scripts/record-examples.ts [slug…]
 * Each scenario is built under the test prefix (`rgt-ex<n>-`, so a crashed run is swept like any test run),
 * recorded as one EngineRecording into server/example/examples/<slug>.json with env and secret-looking labels
 * removed and the prefix stripped from every name, and removed again. The fleet examples are built on the real
 * three-node swarm and recorded from every node's engine as one FleetRecording. The index (index.json) is
 * rewritten.
 */
import { join } from "node:path";
import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiNetwork,
  EngineRecording,
  FleetRecording,
} from "../server/model/engine-api.ts";
import { API_VERSION, engineRequest } from "../test/support/engine.ts";
import { Scenario } from "../test/support/scenario.ts";
import { FleetRun, requireFleet } from "../test/support/fleet.ts";
import type { ExampleSpec, FleetExampleSpec } from "./example-specs.ts";
import { EXAMPLE_SPECS, FLEET_EXAMPLE_SPECS } from "./example-specs.ts";
import { newRecorder, recordNodeEngines } from "./fleet-recorder.ts";
import { neededNetworks, withoutSecrets, writeJson } from "./record-shared.ts";

const DIR = new URL("../server/example/examples/", import.meta.url).pathname;

async function get<T>(path: string): Promise<T> {
  const res = await engineRequest("GET", path);
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${res.body.trim()}`);
  return JSON.parse(res.body) as T;
}

async function recordScenario(s: Scenario): Promise<EngineRecording> {
  const ours = s.created();
  const containerIds = new Set(ours.containers.map((c) => c.id).filter(Boolean));
  const byId = (ids: Iterable<string>) => encodeURIComponent(JSON.stringify({ id: [...ids] }));
  const containers = await get<ApiContainerSummary[]>(
    `/${API_VERSION}/containers/json?all=1&filters=${byId(containerIds)}`,
  );
  const all = await get<ApiNetwork[]>(`/${API_VERSION}/networks`);
  const used = neededNetworks(
    all,
    ours.networks.map((n) => n.id),
    containers,
  );
  const networks = await get<ApiNetwork[]>(`/${API_VERSION}/networks?filters=${byId(used)}`);
  const containerInspects: Record<string, ApiContainerInspect> = {};
  for (const id of containerIds) {
    const inspect = await get<ApiContainerInspect & { Config?: { Env?: unknown } }>(
      `/${API_VERSION}/containers/${id}/json`,
    );
    // Environment variables never leave the engine.
    delete inspect.Config?.Env;
    containerInspects[id] = inspect;
  }
  const networkInspects: Record<string, ApiNetwork> = {};
  for (const n of networks) {
    const net = await get<ApiNetwork>(`/${API_VERSION}/networks/${n.Id}`);
    // Other runs share the engine's system networks: keep only this scenario's endpoints.
    for (const key of Object.keys(net.Containers ?? {}))
      if (/^[0-9a-f]{64}$/.test(key) && !containerIds.has(key)) delete net.Containers?.[key];
    networkInspects[n.Id] = net;
  }
  for (const c of containers) c.Labels = withoutSecrets(c.Labels);
  for (const c of Object.values(containerInspects))
    if (c.Config) c.Config.Labels = withoutSecrets(c.Config.Labels);
  return {
    recordedAt: new Date().toISOString(),
    info: await get(`/${API_VERSION}/info`),
    version: await get(`/${API_VERSION}/version`),
    containers,
    networks,
    containerInspects,
    networkInspects,
    events: [],
  };
}

/** Strips the test prefix (and names the veth parents plainly), consistently across the whole recording. */
function renamed<T>(recording: T, s: Scenario): T {
  const text = JSON.stringify(recording).split(s.prefix).join("").split(`rgt${s.runId}`).join("veth-lan");
  return JSON.parse(text) as T;
}

async function recordExample(spec: ExampleSpec, n: number): Promise<void> {
  const s = await Scenario.create({ runId: `ex${n}` });
  await s.cleanup();
  try {
    await spec.build(s);
    const recording = renamed(await recordScenario(s), s);
    await writeJson(join(DIR, `${spec.slug}.json`), recording);
    console.log(
      `${spec.slug}: ${recording.containers.length} containers, ${recording.networks.length} networks`,
    );
  } finally {
    await s.cleanup();
  }
}

/** A fleet example: built on the real swarm, every node's engine recorded (FleetRecording), removed again. */
async function recordFleetExample(spec: FleetExampleSpec, n: number): Promise<void> {
  const fleet = await requireFleet();
  await using run = await FleetRun.create(fleet, { runId: `ex${n}` });
  const services = await spec.build(run, fleet);
  const engines = await recordNodeEngines(
    newRecorder(spec.slug, run.prefix),
    fleet.nodes,
    fleet.manager,
    services,
  );
  const recording: FleetRecording = renamed({ recordedAt: new Date().toISOString(), engines }, run.manager);
  await writeJson(join(DIR, `${spec.slug}.json`), recording);
  const counts = recording.engines.map((e) => `${e.key} ${e.recording.containers.length}`);
  console.log(
    `${spec.slug}: containers ${counts.join(", ")}; ${recording.engines[0].recording.tasks?.length} tasks`,
  );
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const specs = [...EXAMPLE_SPECS, ...FLEET_EXAMPLE_SPECS];
  const unknown = wanted.filter((w) => !specs.some((s) => s.slug === w));
  if (unknown.length)
    throw new Error(`unknown example ${unknown.join(", ")}: expected ${specs.map((s) => s.slug).join(", ")}`);
  for (const [n, spec] of EXAMPLE_SPECS.entries())
    if (wanted.length === 0 || wanted.includes(spec.slug)) await recordExample(spec, n);
  for (const [n, spec] of FLEET_EXAMPLE_SPECS.entries())
    if (wanted.length === 0 || wanted.includes(spec.slug))
      await recordFleetExample(spec, EXAMPLE_SPECS.length + n);
  await writeJson(
    join(DIR, "index.json"),
    specs.map(({ slug, title, description, rules }) => ({ slug, title, description, rules })),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
