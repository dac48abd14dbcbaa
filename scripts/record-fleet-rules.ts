/**
 * Records the fleet the cross-machine rules' tests replay (test/model/reachability/fleet-rules.test.ts):
 *   npx tsx scripts/record-fleet-rules.ts
 * On the real swarm (this engine the manager, node2 and node3 workers; scripts/provision-swarm.sh) it builds a
 * small scenario of its own (prefix rgt-swr-): an attachable overlay, a VIP service with an ingress port and an
 * alias on node2, a dnsrr service with a host-mode port here and on node3, standalone containers on each node's bridge
 * (one publishing a port on node2, one in node2's host namespace, one on an internal network here) and one on
 * the overlay on node3. It writes every engine's answers (only this scenario's containers and the networks
 * they use; Config.Env dropped) to test/fixtures/fleet/rules.json as a FleetRecording, then removes it all.
 */
import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiNetwork,
  ApiService,
  ApiTask,
  EngineRecording,
  FleetRecording,
} from "../server/model/engine-api.ts";
import { run } from "../test/support/docker-cli.ts";
import { API_VERSION, ENGINE_SOCKET, engineRequest } from "../test/support/engine.ts";
import { TEST_IMAGE } from "../test/support/scenario.ts";
import { pickSubnet, usedSubnets } from "../test/support/subnets.ts";

const OUT = new URL("../test/fixtures/fleet/rules.json", import.meta.url).pathname;
const PREFIX = "rgt-swr-";
const SOCKETS: Record<string, string> = {
  vm: ENGINE_SOCKET,
  node2: "/run/docker-node2.sock",
  node3: "/run/docker-node3.sock",
};
const SYSTEM = ["bridge", "host", "none", "ingress", "docker_gwbridge"];

const cli = (node: string, ...args: string[]) =>
  run("/usr/bin/docker", ["--host", `unix://${SOCKETS[node]}`, ...args]);

async function get<T>(node: string, path: string): Promise<T> {
  const res = await engineRequest("GET", `/${API_VERSION}${path}`, undefined, SOCKETS[node]);
  if (res.statusCode !== 200)
    throw new Error(`GET ${path} on ${node} answered ${res.statusCode}: ${res.body}`);
  return JSON.parse(res.body) as T;
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function cleanup(): Promise<void> {
  const services = (await cli("vm", "service", "ls", "-q", "--filter", `name=${PREFIX}`))
    .split("\n")
    .filter(Boolean);
  if (services.length) await cli("vm", "service", "rm", ...services).catch(() => "");
  for (const node of Object.keys(SOCKETS)) {
    const ids = (await cli(node, "ps", "-aq", "--filter", `name=${PREFIX}`)).split("\n").filter(Boolean);
    if (ids.length) await cli(node, "rm", "-f", ...ids).catch(() => "");
  }
  // The overlay goes once every node has let go of the tasks' endpoints.
  await until(
    "the scenario's networks removed",
    async () => {
      const left = (await cli("vm", "network", "ls", "-q", "--filter", `name=${PREFIX}`))
        .split("\n")
        .filter(Boolean);
      for (const id of left) await cli("vm", "network", "rm", id).catch(() => "");
      return left.length === 0;
    },
    120_000,
  );
}

/** One engine's answers for this scenario's objects. */
async function recordEngine(node: string, manager: boolean): Promise<EngineRecording> {
  const containers = (await get<ApiContainerSummary[]>(node, "/containers/json?all=1")).filter((c) =>
    c.Names.some((n) => n.startsWith(`/${PREFIX}`)),
  );
  const ours = new Set(containers.map((c) => c.Id));
  const networks = (await get<ApiNetwork[]>(node, "/networks")).filter(
    (n) => n.Name.startsWith(PREFIX) || SYSTEM.includes(n.Name),
  );
  const containerInspects: Record<string, ApiContainerInspect> = {};
  for (const c of containers) {
    const inspect = await get<ApiContainerInspect>(node, `/containers/${c.Id}/json`);
    delete (inspect.Config as { Env?: unknown } | undefined)?.Env;
    containerInspects[c.Id] = inspect;
  }
  const networkInspects: Record<string, ApiNetwork> = {};
  const verboseNetworkInspects: Record<string, ApiNetwork> = {};
  for (const n of networks) {
    const inspect = await get<ApiNetwork>(node, `/networks/${n.Id}`);
    // Other runs share the system networks: keep only this scenario's endpoints (and the engine's pseudo ones).
    for (const key of Object.keys(inspect.Containers ?? {}))
      if (/^[0-9a-f]{64}$/.test(key) && !ours.has(key)) delete inspect.Containers?.[key];
    networkInspects[n.Id] = inspect;
    if (n.Scope === "swarm")
      verboseNetworkInspects[n.Id] = await get<ApiNetwork>(node, `/networks/${n.Id}?verbose=true`);
  }
  const recording: EngineRecording = {
    recordedAt: new Date().toISOString(),
    info: await get(node, "/info"),
    version: await get(node, "/version"),
    containers,
    networks,
    containerInspects,
    networkInspects,
    events: [],
    verboseNetworkInspects,
  };
  if (manager) {
    const services = (await get<ApiService[]>(node, "/services")).filter((s) =>
      s.Spec?.Name?.startsWith(PREFIX),
    );
    const ids = new Set(services.map((s) => s.ID));
    recording.nodes = await get(node, "/nodes");
    recording.services = services;
    recording.tasks = (await get<ApiTask[]>(node, "/tasks")).filter((t) => ids.has(t.ServiceID));
  }
  return recording;
}

async function main(): Promise<void> {
  await cleanup();
  try {
    const taken = await usedSubnets();
    const overlay = pickSubnet(taken);
    const internal = pickSubnet([...taken, overlay]);
    const ingressPort = String(randomInt(28_000, 28_500));
    const hostPort = String(randomInt(28_500, 29_000));
    const bridgePort = String(randomInt(29_000, 29_500));
    const ovl = `${PREFIX}ovl`;
    await cli("vm", "network", "create", "-d", "overlay", "--attachable", "--subnet", overlay, ovl);
    await cli("vm", "network", "create", "--internal", "--subnet", internal, `${PREFIX}int`);
    const service = (name: string, node: string, ...extra: string[]) =>
      cli(
        "vm",
        ...[
          "service",
          "create",
          "--detach",
          "--name",
          `${PREFIX}${name}`,
          "--constraint",
          `node.hostname==${node}`,
        ],
        ...extra,
        TEST_IMAGE,
        "httpd",
        "-f",
        "-p",
        "80",
      );
    await service(
      "web",
      "node2",
      "--network",
      `name=${ovl},alias=${PREFIX}web-alias`,
      "-p",
      `${ingressPort}:80`,
    );
    // Two host-mode tasks cannot share a node's port: one here, one on node3.
    await cli(
      "vm",
      ...["service", "create", "--detach", "--name", `${PREFIX}db`, "--constraint", "node.hostname!=node2"],
      ...["--replicas", "2", "--replicas-max-per-node", "1", "--endpoint-mode", "dnsrr", "--network", ovl],
      ...["--publish", `published=${hostPort},target=80,mode=host`, TEST_IMAGE, "httpd", "-f", "-p", "80"],
    );
    const sleep = [TEST_IMAGE, "sleep", "3600"];
    await cli("vm", "run", "-d", "--name", `${PREFIX}a1`, ...sleep);
    await cli("vm", "run", "-d", "--name", `${PREFIX}i1`, "--network", `${PREFIX}int`, ...sleep);
    await cli(
      "node2",
      "run",
      "-d",
      "--name",
      `${PREFIX}b2`,
      "-p",
      `${bridgePort}:80`,
      TEST_IMAGE,
      "httpd",
      "-f",
      "-p",
      "80",
    );
    await cli("node2", "run", "-d", "--name", `${PREFIX}h2`, "--network", "host", ...sleep);
    await cli("node3", "run", "-d", "--name", `${PREFIX}o3`, "--network", ovl, ...sleep);
    await until("the tasks running", async () => {
      const states = await cli(
        "vm",
        "service",
        "ps",
        `${PREFIX}web`,
        `${PREFIX}db`,
        "--filter",
        "desired-state=running",
        "--format",
        "{{.CurrentState}}",
      );
      return states.split("\n").filter((s) => s.startsWith("Running")).length === 3;
    });
    const recording: FleetRecording = {
      recordedAt: new Date().toISOString(),
      engines: [],
    };
    for (const node of Object.keys(SOCKETS))
      recording.engines.push({ key: node, recording: await recordEngine(node, node === "vm") });
    writeFileSync(OUT, `${JSON.stringify(recording, null, 1)}\n`);
    console.log(
      `recorded ${recording.engines.map((e) => `${e.key}: ${e.recording.containers.length}`).join(", ")} to ${OUT}`,
    );
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
