/**
 * Records fleet scenarios from the real three-node swarm (scripts/provision-swarm.sh) for the replay tests:
 *   npx tsx scripts/record-fleet.ts [swarm|down…]
 * Each scenario is built under the test prefix (`rgt-<scenario>-`), recorded as one FleetRecording into
 * test/fixtures/fleet/<scenario>.json (engines keyed by node hostname) with a manifest beside it
 * (<scenario>.manifest.json: which object plays which role, the requests, every edit), and removed again,
 * even on failure. It also records a worker's answer to the manager-only lists (not-a-manager.json).
 *   swarm: an attachable overlay over vm, node2 and node3; a VIP service (3 replicas, one per node, a network
 *          alias); a dnsrr service (2 replicas, node2 and node3); an ingress-published and a host-mode-published
 *          service; a standalone container on the overlay on node2; a container of the same name on a local
 *          bridge of vm and of node2; a plain published port on a standalone container of node3.
 *   down:  an own extra node joined as a worker, running a task of a service that also runs on vm, then killed:
 *          the manager shows it Down and its task is known only from the manager's /tasks (vm alone recorded).
 *   rules: for the cross-machine rules (SW-*): an attachable overlay; a VIP service with an ingress port and an
 *          alias on node2; a dnsrr service with a host-mode port on vm and node3; on vm a container on docker0
 *          and one on an internal network, on node2 one publishing a port and one in the host's namespace, on
 *          node3 one on the overlay.
 */
import { randomInt } from "node:crypto";
import { join } from "node:path";
import type { ApiNetwork, FleetRecording } from "../server/model/engine-api.ts";
import { collectFleet } from "../server/collector/fleet.ts";
import { createEngineClient } from "../server/engine/client.ts";
import { resolveEngine } from "../server/engine/connection.ts";
import { consistencyFindings } from "../server/model/fleet/consistency.ts";
import { API_VERSION, engineRequest } from "../test/support/engine.ts";
import type { Fleet, FleetNode } from "../test/support/fleet.ts";
import { FleetRun, ownNode, requireFleet, waitFor, waitNodeState } from "../test/support/fleet.ts";
import { cutNode } from "../test/support/node-cut.ts";
import type { RecordedAnswer } from "../test/support/recording.ts";
import { FLEET_DIR } from "../test/support/recording.ts";
import { SLEEP } from "../test/support/scenario.ts";
import { get, writeJson } from "./record-shared.ts";

import { newRecorder, recordEngine, recordNodeEngines, socketOf } from "./fleet-recorder.ts";
import type { Recorder } from "./fleet-recorder.ts";
async function save(r: Recorder, recording: FleetRecording): Promise<void> {
  r.manifest.recordedAt = recording.recordedAt ?? "";
  await writeJson(join(FLEET_DIR, `${r.manifest.scenario}.json`), recording);
  await writeJson(join(FLEET_DIR, `${r.manifest.scenario}.manifest.json`), r.manifest);
  const counts = recording.engines.map((e) => `${e.key}: ${e.recording.containers.length} containers`);
  console.log(
    `${r.manifest.scenario}: ${counts.join(", ")}; ${recording.engines[0].recording.tasks?.length} tasks`,
  );
}

/** The manifest's roles of the scenario's services. */
function noteServices(r: Recorder, services: Record<string, { id: string; name: string }>): void {
  for (const [role, s] of Object.entries(services)) r.manifest.services[role] = { id: s.id, name: s.name };
}

/** Makes a container and notes which role it plays, on which engine. */
function placer(r: Recorder) {
  return async (role: string, node: FleetNode, made: Promise<{ id: string; name: string }>) => {
    const c = await made;
    r.manifest.containers[role] = { engine: node.hostname, id: c.id, name: c.name };
  };
}

/** Records every node's engine (the manager's with the services' swarm lists) and saves the scenario. */
async function recordNodes(
  r: Recorder,
  nodes: FleetNode[],
  manager: FleetNode,
  services: { id: string }[],
): Promise<void> {
  await save(r, {
    recordedAt: new Date().toISOString(),
    engines: await recordNodeEngines(r, nodes, manager, services),
  });
}

async function recordSwarm(fleet: Fleet): Promise<void> {
  await using run = await FleetRun.create(fleet, { runId: "fleet" });
  const r = newRecorder("swarm", run.prefix);
  const [vm, node2, node3] = [fleet.manager, fleet.node("node2"), fleet.node("node3")];
  const hosts = fleet.nodes.map((n) => n.hostname);
  const mesh = await run.manager.network("mesh", { driver: "overlay", attachable: true });
  r.manifest.networks.mesh = { engine: vm.hostname, id: mesh.id, name: mesh.name };
  const meshNet = [{ name: mesh.name }];
  const services = {
    web: await run.service("web", {
      replicas: 3,
      networks: [{ name: mesh.name, aliases: ["web-alias"] }],
      onNodes: hosts,
      maxPerNode: 1,
    }),
    dns: await run.service("dns", {
      replicas: 2,
      endpointMode: "dnsrr",
      networks: meshNet,
      onNodes: [node2.hostname, node3.hostname],
      maxPerNode: 1,
    }),
    ingress: await run.service("ingress-web", { publish: ["target=80"], onNodes: [vm.hostname] }),
    hostport: await run.service("host-web", { publish: ["mode=host,target=80"], onNodes: [node3.hostname] }),
  };
  noteServices(r, services);

  const on2 = await run.on(node2);
  const on3 = await run.on(node3);
  const place = placer(r);
  await place("solo", node2, on2.container("solo", { network: mesh.name }));
  const vmLocal = await run.manager.network("local");
  const n2Local = await on2.network("local");
  r.manifest.networks["local@vm"] = { engine: vm.hostname, id: vmLocal.id, name: vmLocal.name };
  r.manifest.networks["local@node2"] = { engine: node2.hostname, id: n2Local.id, name: n2Local.name };
  await place("twin@vm", vm, run.manager.container("twin", { network: vmLocal.name }));
  await place("twin@node2", node2, on2.container("twin", { network: n2Local.name, command: SLEEP }));
  await place("published", node3, on3.container("published", { publish: ["80"] }));

  await run.waitRunning(services.web, 3, hosts);
  await run.waitRunning(services.dns, 2, [node2.hostname, node3.hostname]);
  await run.waitRunning(services.ingress, 1, [vm.hostname]);
  await run.waitRunning(services.hostport, 1, [node3.hostname]);

  await recordNodes(r, fleet.nodes, vm, Object.values(services));
}

/**
 * Legacy links to names that collide across machines: twin and utwin run on vm and on node2 (so both are
 * qualified `name@node`); on node2, linker links to twin on the default bridge (DB-3) and ulinker to utwin on a
 * user network (UB-7). Links are resolved by the linker's own engine: to its own machine's container.
 */
async function recordLinks(fleet: Fleet): Promise<void> {
  await using run = await FleetRun.create(fleet, { runId: "fleetln" });
  const r = newRecorder("links", run.prefix);
  const [vm, node2] = [fleet.manager, fleet.node("node2")];
  const on2 = await run.on(node2);
  const place = placer(r);
  const n2Local = await on2.network("local");
  r.manifest.networks["local@node2"] = { engine: node2.hostname, id: n2Local.id, name: n2Local.name };
  await place("twin@vm", vm, run.manager.container("twin", { command: SLEEP }));
  await place("twin@node2", node2, on2.container("twin", { command: SLEEP }));
  await place("utwin@vm", vm, run.manager.container("utwin", { command: SLEEP }));
  await place("utwin@node2", node2, on2.container("utwin", { network: n2Local.name, command: SLEEP }));
  await place(
    "linker",
    node2,
    on2.container("linker", { links: [`${run.prefix}twin:twin-alias`], command: SLEEP }),
  );
  await place(
    "ulinker",
    node2,
    on2.container("ulinker", {
      network: n2Local.name,
      links: [`${run.prefix}utwin:utwin-alias`],
      command: SLEEP,
    }),
  );
  r.manifest.edits.push("no swarm lists: the scenario has no services; links are each engine's own");
  const addresses = new Set([vm.address, node2.address]);
  const engines = [];
  for (const node of [vm, node2])
    engines.push({ key: node.hostname, recording: await recordEngine(r, node, addresses) });
  await save(r, { recordedAt: new Date().toISOString(), engines });
}

async function recordDown(fleet: Fleet): Promise<void> {
  await using own = await ownNode("down1");
  await using run = await FleetRun.create(fleet, { runId: "fleetdn" });
  const r = newRecorder("down", run.prefix);
  const vm = fleet.manager;
  const mesh = await run.manager.network("mesh", { driver: "overlay", attachable: true });
  r.manifest.networks.mesh = { engine: vm.hostname, id: mesh.id, name: mesh.name };
  const spread = await run.service("spread", {
    replicas: 2,
    endpointMode: "dnsrr",
    networks: [{ name: mesh.name }],
    onNodes: [vm.hostname, own.hostname],
    maxPerNode: 1,
  });
  r.manifest.services.spread = { id: spread.id, name: spread.name };
  await run.waitRunning(spread, 2, [vm.hostname, own.hostname]);
  await own.engine.kill();
  await waitNodeState(own.nodeId, "down");
  r.nodeIds.add(vm.nodeId).add(own.nodeId);
  const recording = await recordEngine(r, vm, new Set([vm.address, own.address]), {
    serviceIds: [spread.id],
  });
  r.manifest.edits.push(
    `${own.hostname}: its engine was killed (SIGKILL) before recording; only vm is recorded`,
  );
  await save(r, { recordedAt: new Date().toISOString(), engines: [{ key: vm.hostname, recording }] });
}

async function recordRules(fleet: Fleet): Promise<void> {
  await using run = await FleetRun.create(fleet, { runId: "swr" });
  const r = newRecorder("rules", run.prefix);
  const [vm, node2, node3] = [fleet.manager, fleet.node("node2"), fleet.node("node3")];
  const ovl = await run.manager.network("ovl", { driver: "overlay", attachable: true });
  r.manifest.networks.ovl = { engine: vm.hostname, id: ovl.id, name: ovl.name };
  const services = {
    web: await run.service("web", {
      networks: [{ name: ovl.name, aliases: [`${run.prefix}web-alias`] }],
      publish: ["target=80"],
      onNodes: [node2.hostname],
    }),
    db: await run.service("db", {
      replicas: 2,
      endpointMode: "dnsrr",
      networks: [{ name: ovl.name }],
      // A fixed port: a task known only from /tasks shows the spec's port, not the one an engine picked (SW-12).
      publish: [`mode=host,target=80,published=${randomInt(28_000, 29_000)}`],
      onNodes: [vm.hostname, node3.hostname],
      maxPerNode: 1,
    }),
  };
  noteServices(r, services);
  const on2 = await run.on(node2);
  const on3 = await run.on(node3);
  const place = placer(r);
  const internal = await run.manager.network("int", { internal: true });
  r.manifest.networks.int = { engine: vm.hostname, id: internal.id, name: internal.name };
  await place("a1", vm, run.manager.container("a1", { command: SLEEP }));
  await place("i1", vm, run.manager.container("i1", { network: internal.name, command: SLEEP }));
  await place("b2", node2, on2.container("b2", { publish: ["80"] }));
  await place("h2", node2, on2.container("h2", { network: "host", command: SLEEP }));
  await place("o3", node3, on3.container("o3", { network: ovl.name, command: SLEEP }));
  await run.waitRunning(services.web, 1, [node2.hostname]);
  await run.waitRunning(services.db, 2, [vm.hostname, node3.hostname]);

  await recordNodes(r, [vm, node2, node3], vm, Object.values(services));
}

/**
 * The consistency findings' moments (CS-1..CS-7), on an own worker with a container and a service task on an
 * overlay beside a container on vm: its control port (2377) cut until the manager calls it down while gossip
 * still flows (consistency-control), its gossip port (7946) cut while the manager keeps it ready
 * (consistency-gossip), and a bridge on it with a second overlay's subnet (consistency-clash).
 */
async function recordConsistency(fleet: Fleet): Promise<void> {
  await using own = await ownNode("cons1");
  await using run = await FleetRun.create(fleet, { runId: "fleetcs" });
  const vm = fleet.manager;
  const mesh = await run.manager.network("mesh", { driver: "overlay", attachable: true });
  const spare = await run.manager.network("spare", { driver: "overlay", attachable: true });
  // On spare too: the recorder keeps the networks its containers use.
  const a = await run.manager.container("a", {
    network: mesh.name,
    connect: [{ network: spare.name }],
    command: SLEEP,
  });
  const b = await (await run.on(own)).container("b", { network: mesh.name, command: SLEEP });
  const svc = await run.service("svc", {
    networks: [{ name: mesh.name }],
    onNodes: [own.hostname],
    command: SLEEP,
  });
  await run.waitRunning(svc, 1, [own.hostname]);
  const moment = async (scenario: string, edit: string) => {
    const r = newRecorder(scenario, run.prefix);
    r.manifest.networks.mesh = { engine: vm.hostname, id: mesh.id, name: mesh.name };
    r.manifest.networks.spare = { engine: vm.hostname, id: spare.id, name: spare.name };
    r.manifest.containers.a = { engine: vm.hostname, id: a.id, name: a.name };
    r.manifest.containers.b = { engine: own.hostname, id: b.id, name: b.name };
    r.manifest.services.svc = { id: svc.id, name: svc.name };
    r.manifest.edits.push(edit);
    r.nodeIds.add(vm.nodeId).add(own.nodeId);
    const addresses = new Set([vm.address, own.address]);
    const engines = [
      { key: vm.hostname, recording: await recordEngine(r, vm, addresses, { serviceIds: [svc.id] }) },
      { key: own.hostname, recording: await recordEngine(r, own, addresses) },
    ];
    await save(r, { recordedAt: new Date().toISOString(), engines });
  };
  // Between moments the swarm settles: every view agrees again with what runs (the replaced task's backend gone).
  const settled = () =>
    waitFor(
      "the views to agree again",
      async () => {
        const topology = await collectFleet(
          [vm, own].map((n) => ({ client: createEngineClient(resolveEngine({ engine: n.url })) })),
        );
        const ours = new Set([mesh.id, spare.id]);
        return consistencyFindings(topology).some((f) => ours.has(f.network.id)) ? undefined : true;
      },
      { timeoutMs: 120_000 },
    );
  const peersOf = async (node: FleetNode) =>
    (
      (
        JSON.parse(
          await get(`/${API_VERSION}/networks/${mesh.id}?verbose=true`, socketOf(node)),
        ) as ApiNetwork
      ).Peers ?? []
    ).map((p) => p.IP);
  try {
    await cutNode(own, "control", "cut");
    await waitNodeState(own.nodeId, "down");
    await moment(
      "consistency-control",
      `${own.hostname}: 2377/tcp dropped in its netns until the manager reported it down`,
    );
  } finally {
    await cutNode(own, "control", "heal");
  }
  await waitNodeState(own.nodeId, "ready");
  await settled();
  try {
    await cutNode(own, "gossip", "cut");
    await waitFor("vm's view to drop the own node", async () =>
      (await peersOf(vm)).includes(own.address) ? undefined : true,
    );
    await moment(
      "consistency-gossip",
      `${own.hostname}: 7946/tcp+udp dropped in its netns until vm's view dropped it`,
    );
  } finally {
    await cutNode(own, "gossip", "heal");
  }
  await settled();
  const clash = run.manager.name("clash");
  await own.docker("network", "create", "--subnet", spare.subnet, clash);
  try {
    await moment(
      "consistency-clash",
      `${own.hostname}: the bridge ${clash} made with ${spare.name}'s subnet ${spare.subnet}`,
    );
  } finally {
    await own.docker("network", "rm", clash);
  }
}

/** node2's answer to the manager-only lists, which a replay engine without swarm lists gives (503). */
async function recordNotAManager(fleet: Fleet): Promise<void> {
  const path = `/${API_VERSION}/nodes`;
  const res = await engineRequest("GET", path, undefined, socketOf(fleet.node("node2")));
  const answer: RecordedAnswer = {
    request: `GET ${path} on node2 (a worker)`,
    status: res.statusCode,
    body: res.body,
  };
  if (answer.status !== 503)
    throw new Error(`node2 answered GET ${path} with ${answer.status}: ${res.body.trim()}`);
  await writeJson(join(FLEET_DIR, "not-a-manager.json"), answer);
}

const SCENARIOS: Record<string, (fleet: Fleet) => Promise<void>> = {
  swarm: recordSwarm,
  down: recordDown,
  rules: recordRules,
  consistency: recordConsistency,
  links: recordLinks,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !Object.hasOwn(SCENARIOS, w));
  if (unknown.length)
    throw new Error(
      `unknown fleet scenario ${unknown.join(", ")}: expected ${Object.keys(SCENARIOS).join(", ")}`,
    );
  const fleet = await requireFleet();
  await recordNotAManager(fleet);
  for (const [name, record] of Object.entries(SCENARIOS))
    if (wanted.length === 0 || wanted.includes(name)) await record(fleet);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
