import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectTopology } from "../../server/collector/collect.ts";
import { loadComposeProject } from "../../server/compose/index.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { explainPair, HOST, indexTopology } from "../../server/model/reachability/index.ts";
import type { Container, Network, Topology } from "../../server/model/topology.ts";
import {
  ownedContainers,
  ownedNetworks,
  removeContainers,
  removeNetwork,
  sweepStale,
  TEST_PREFIX,
} from "../support/cleanup.ts";
import { diffTopologies, formatDrift } from "../../server/model/drift.ts";
import { docker } from "../support/docker-cli.ts";
import { ENGINE_URL, requireEngine } from "../support/engine.ts";
import { isOverlapError, pickSubnet, usedSubnets } from "../support/subnets.ts";

/**
 * Compose prediction against the real thing: each fixture project is brought up with Debian's
 * docker-compose 1.29 on the real engine, and the prediction must match what the engine then shows, by
 * project and service, and give the same reachability verdict for every pair.
 */

const FIXTURES = resolve(import.meta.dirname, "../fixtures/compose");
const DOCKER_COMPOSE = "/usr/bin/docker-compose";
const RUN = randomBytes(3).toString("hex");
const PREFIX = `${TEST_PREFIX}${RUN}-`;
const SHARED_NET = `${PREFIX}shared`;

interface ProjectRun {
  /** Fixture directory. */
  dir: string;
  project: string;
  /** `-f` files inside `dir`; default: the directory's own discovery. */
  files?: string[];
  profiles?: string[];
  /** Extra environment (e.g. COMPOSE_PROFILES). */
  env?: Record<string, string>;
}

const upProjects: { run: ProjectRun; env: NodeJS.ProcessEnv }[] = [];
let subnetEnv: Record<string, string> = {};

function compose(run: ProjectRun, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const fileArgs = (run.files ?? []).flatMap((f) => ["-f", f]);
  const profileArgs = (run.profiles ?? []).flatMap((p) => ["--profile", p]);
  const argv = ["-p", run.project, ...fileArgs, ...profileArgs, ...args];
  return new Promise((resolveRun, reject) => {
    execFile(
      DOCKER_COMPOSE,
      argv,
      { cwd: join(FIXTURES, run.dir), env, timeout: 180_000 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            Object.assign(new Error(`docker-compose ${argv.join(" ")} failed: ${stderr.trim()}`), {
              stderr,
              cause: error,
            }),
          );
        else resolveRun(stdout);
      },
    );
  });
}

function envFor(run: ProjectRun): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DOCKER_HOST: ENGINE_URL,
    COMPOSE_PROJECT_NAME: "",
    COMPOSE_PROFILES: "",
    RGT_SHARED_NET: SHARED_NET,
    ...subnetEnv,
    ...run.env,
  };
}

/** Fresh /24s of 10.213.0.0/16 for the fixtures' `${RGT_SUBNET_n}`. */
async function pickSubnets(): Promise<Record<string, string>> {
  const taken = await usedSubnets();
  const env: Record<string, string> = {};
  for (const n of [1, 2, 3]) {
    const subnet = pickSubnet(taken);
    taken.push(subnet);
    env[`RGT_SUBNET_${n}`] = subnet;
  }
  return env;
}

/** `up -d` every project of a case; on a subnet clash with a parallel run, tears down and retries. */
async function up(runs: ProjectRun[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    subnetEnv = await pickSubnets();
    try {
      for (const run of runs) {
        const env = envFor(run);
        upProjects.push({ run, env });
        await compose(run, env, "up", "-d");
      }
      return;
    } catch (error) {
      await down(runs);
      if (!isOverlapError(error) || attempt >= 5) throw error;
    }
  }
}

async function down(runs: ProjectRun[]): Promise<void> {
  for (const run of [...runs].reverse()) {
    const entry = upProjects.find((u) => u.run === run);
    if (!entry) continue;
    await compose(run, entry.env, "down", "-v", "--remove-orphans", "--timeout", "0").catch(() => undefined);
  }
}

async function predict(run: ProjectRun): Promise<Topology> {
  return loadComposeProject({
    paths: run.files ?? [],
    projectName: run.project,
    profiles: run.profiles ?? [],
    env: envFor(run),
    cwd: join(FIXTURES, run.dir),
  });
}

/** Several projects' predictions as one engine would hold them: networks by name, non-external first. */
function combine(topologies: Topology[]): Topology {
  const networks = new Map<string, Network>();
  for (const n of topologies.flatMap((t) => t.networks)) {
    const known = networks.get(n.name);
    if (!known || (!known.compose && n.compose)) networks.set(n.name, n);
  }
  return {
    ...topologies[0],
    networks: [...networks.values()],
    containers: topologies.flatMap((t) => t.containers),
  };
}

const keyOf = (c: Container) => `${c.compose?.project}/${c.compose?.service}/${c.compose?.number}`;

function ours(topology: Topology, projects: string[]): Map<string, Container> {
  return new Map(
    topology.containers
      .filter((c) => c.compose && projects.includes(c.compose.project))
      .map((c) => [keyOf(c), c]),
  );
}

/** The facts compose decides, in a form both engines' views share (1.29 names differ from v2's). */
function facts(c: Container, all: Topology): Record<string, unknown> {
  const byId = new Map(all.containers.map((x) => [x.id, x]));
  const joined = c.sharesNamespaceWith ? byId.get(c.sharesNamespaceWith.id) : undefined;
  return {
    mode: c.networkMode.startsWith("container:")
      ? `container:${joined ? keyOf(joined) : "?"}`
      : c.networkMode,
    state: c.state,
    networks: c.interfaces.map((i) => i.network).sort(),
    ports: c.ports
      .map(
        (p) => `${p.privatePort}/${p.protocol} ${p.publicPort === undefined ? "exposed" : `on ${p.hostIp}`}`,
      )
      .sort(),
    labels: Object.fromEntries(
      [
        "com.docker.compose.project",
        "com.docker.compose.service",
        "com.docker.compose.container-number",
        "com.docker.compose.oneoff",
      ].map((k) => [k, c.labels[k]]),
    ),
    hostname: c.hostname && !/^[0-9a-f]{12}$/.test(c.hostname) ? c.hostname : null,
  };
}

function networkFacts(n: Network): Record<string, unknown> {
  // 1.29 labels a network that has `name:` with that name; v2 (and the prediction) with its key.
  const named = n.compose && n.name !== `${n.compose.project}_${n.compose.network}`;
  const compose = named ? { ...n.compose, network: "(named)" } : n.compose;
  return {
    driver: n.driver,
    internal: n.internal,
    icc: n.icc,
    subnets: n.subnets.map((s) => s.subnet),
    compose: compose ?? null,
    userLabels: Object.fromEntries(
      Object.entries(n.labels).filter(([k]) => !k.startsWith("com.docker.compose.")),
    ),
  };
}

/** Asserts the prediction matches the engine by project and service, then verdict for verdict. */
function compareWithEngine(predicted: Topology, real: Topology, projects: string[]): void {
  const want = ours(predicted, projects);
  const got = ours(real, projects);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, p] of want) {
    const r = got.get(key) as Container;
    expect({ key, ...facts(r, real) }).toEqual({ key, ...facts(p, predicted) });
    // 1.29 sets [service, aliases…]; v2 adds the container name. Engine 20.10 itself adds the short ID and an
    // explicit hostname (UB-2). Every alias compose set must be predicted.
    for (const iface of r.interfaces) {
      const predictedIface = p.interfaces.find((i) => i.network === iface.network);
      const engineAdded = [r.id.slice(0, 12), r.hostname];
      const realAliases = (iface.aliases ?? []).filter((a) => !engineAdded.includes(a));
      expect({
        key,
        network: iface.network,
        aliases: realAliases.filter((a) => !predictedIface?.aliases?.includes(a)),
      }).toEqual({
        key,
        network: iface.network,
        aliases: [],
      });
    }
  }
  const realNets = new Map(real.networks.map((n) => [n.name, n]));
  for (const n of predicted.networks.filter((x) => !x.builtIn)) {
    const r = realNets.get(n.name);
    expect(r, `network ${n.name} on the engine`).toBeDefined();
    expect({ name: n.name, ...networkFacts(r as Network) }).toEqual({ name: n.name, ...networkFacts(n) });
  }
  expect(verdictMismatches(predicted, real, want, got)).toEqual([]);
}

/** Every ordered pair (and @host both ways) that the same pure model judges differently on the two views. */
function verdictMismatches(
  predicted: Topology,
  real: Topology,
  want: Map<string, Container>,
  got: Map<string, Container>,
): string[] {
  const pi = indexTopology(predicted);
  const ri = indexTopology(real);
  const keys = [...want.keys()].sort();
  const ends = [HOST, ...keys];
  const ref = (key: string, side: Map<string, Container>) =>
    key === HOST ? HOST : (side.get(key) as Container).id;
  const out: string[] = [];
  for (const from of ends)
    for (const to of ends) {
      if (from === to) continue;
      const p = explainPair(pi, ref(from, want), ref(to, want)).verdict;
      const r = explainPair(ri, ref(from, got), ref(to, got)).verdict;
      if (p !== r) out.push(`${from} -> ${to}: predicted ${p}, engine ${r}`);
    }
  return out;
}

async function engineTopology(): Promise<Topology> {
  return collectTopology(createEngineClient(resolveEngine({ engine: ENGINE_URL })));
}

async function check(runs: ProjectRun[]): Promise<{ predicted: Topology; real: Topology }> {
  await up(runs);
  const predicted = combine(await Promise.all(runs.map(predict)));
  const real = await engineTopology();
  compareWithEngine(
    predicted,
    real,
    runs.map((r) => r.project),
  );
  return { predicted, real };
}

describe("compose prediction vs docker-compose up on the real engine", () => {
  beforeAll(async () => {
    await requireEngine();
    if (!existsSync(DOCKER_COMPOSE))
      throw new Error(`${DOCKER_COMPOSE} is missing — run \`bash scripts/provision-engine.sh\` as root`);
    await sweepStale();
  });

  afterAll(async () => {
    for (const { run, env } of [...upProjects].reverse())
      await compose(run, env, "down", "-v", "--remove-orphans", "--timeout", "0").catch(() => undefined);
    const containers = await ownedContainers(PREFIX);
    if (containers.length) await removeContainers(containers);
    for (const id of await ownedNetworks(PREFIX)) await removeNetwork(id);
  });

  const project = (short: string) => `${PREFIX}${short}`;

  it("(1) frontend/backend split with an internal database network", async () => {
    const { predicted } = await check([{ dir: "frontend-backend", project: project("fb") }]);
    const index = indexTopology(predicted);
    const [proxy, db] = ["proxy", "db"].map((s) => `${project("fb")}-${s}-1`);
    expect(explainPair(index, proxy, db).verdict).toBe("blocked");
  });

  it("(2) a VPN-style network_mode service: sidecar", async () => {
    const { predicted } = await check([{ dir: "vpn-sidecar", project: project("vpn") }]);
    const app = predicted.containers.find((c) => c.compose?.service === "app") as Container;
    expect(app.sharesNamespaceWith?.name).toBe(`${project("vpn")}-vpn-1`);
  });

  it("(3) an external network shared between two projects", async () => {
    await check([
      { dir: "shared-a", project: project("sa") },
      { dir: "shared-b", project: project("sb") },
    ]);
  });

  it("(4) aliases, replicas sharing an alias, links and hostname", async () => {
    await check([{ dir: "aliases", project: project("al") }]);
  });

  it("(5) icc off through driver_opts", async () => {
    await check([{ dir: "icc-off", project: project("icc") }]);
  });

  it("(6) profiles: --profile and COMPOSE_PROFILES", async () => {
    const { predicted } = await check([{ dir: "profiles", project: project("pr"), profiles: ["debug"] }]);
    expect(predicted.containers.map((c) => c.compose?.service).sort()).toEqual(["debug", "web"]);
    await check([{ dir: "profiles", project: project("pe"), env: { COMPOSE_PROFILES: "monitoring" } }]);
  });

  it("(7) several -f files merged in order", async () => {
    await check([
      { dir: "multi-file", project: project("mf"), files: ["compose.yaml", "compose.prod.yaml"] },
    ]);
  });

  it("(8) reachgraph diff: no drift right after up, then every change made on the engine", async () => {
    const run = { dir: "frontend-backend", project: project("dr") };
    await up([run]);
    const predicted = await predict(run);
    expect(diffTopologies(predicted, await engineTopology()).items).toEqual([]);
    const api = (await engineTopology()).containers.find(
      (c) => c.compose?.project === run.project && c.compose.service === "api",
    );
    expect(api).toBeDefined();
    const detached = api?.interfaces[0]?.network as string;
    await docker("network", "disconnect", detached, api?.name as string);
    await docker("stop", "--time", "0", `${run.project}_proxy_1`);
    await docker(
      "network",
      "create",
      "--label",
      `com.docker.compose.project=${run.project}`,
      `${run.project}_stray`,
    );
    const drift = diffTopologies(predicted, await engineTopology());
    expect(
      drift.items.map((i) => [i.kind, i.subject, i.kind === "missing-attachment" ? i.expected : ""]),
    ).toEqual(
      expect.arrayContaining([
        ["missing-attachment", `${run.project}/api/1`, detached],
        ["not-running", `${run.project}/proxy/1`, ""],
        ["extra-network", `${run.project}_stray`, ""],
      ]),
    );
    const text = formatDrift(drift);
    expect(text).toContain(`missing-attachment ${run.project}/api/1: expected ${detached}`);
  });
});
