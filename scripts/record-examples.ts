/**
 * Records the bundled teaching examples (scripts/example-specs.ts) from the real engine:
 *   npx tsx scripts/record-examples.ts [slug…]
 * Each scenario is built under the test prefix (`rgt-ex<n>-`, so a crashed run is swept like any test run),
 * recorded as one EngineRecording into server/example/examples/<slug>.json with env and secret-looking labels
 * removed and the prefix stripped from every name, and removed again. The index (index.json) is rewritten.
 */
import { join } from "node:path";
import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiNetwork,
  EngineRecording,
} from "../server/model/engine-api.ts";
import { API_VERSION, engineRequest } from "../test/support/engine.ts";
import { Scenario } from "../test/support/scenario.ts";
import type { ExampleSpec } from "./example-specs.ts";
import { EXAMPLE_SPECS } from "./example-specs.ts";
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
function renamed(recording: EngineRecording, s: Scenario): EngineRecording {
  const text = JSON.stringify(recording).split(s.prefix).join("").split(`rgt${s.runId}`).join("veth-lan");
  return JSON.parse(text) as EngineRecording;
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

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !EXAMPLE_SPECS.some((s) => s.slug === w));
  if (unknown.length)
    throw new Error(
      `unknown example ${unknown.join(", ")}: expected ${EXAMPLE_SPECS.map((s) => s.slug).join(", ")}`,
    );
  for (const [n, spec] of EXAMPLE_SPECS.entries())
    if (wanted.length === 0 || wanted.includes(spec.slug)) await recordExample(spec, n);
  await writeJson(
    join(DIR, "index.json"),
    EXAMPLE_SPECS.map(({ slug, title, description, rules }) => ({ slug, title, description, rules })),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
