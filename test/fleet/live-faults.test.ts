import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { ServerEvent, Topology } from "../../server/model/topology.ts";
import { docker } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import type { ExtraEngine } from "../support/extra-engine.ts";
import { engineFacts, servedFacts, staleFacts } from "../support/faults.ts";
import type { Fleet, FleetService, OwnNode } from "../support/fleet.ts";
import { FleetRun, ownNode, requireFleet, serviceTasks, waitFor } from "../support/fleet.ts";
import { SLEEP, TEST_IMAGE } from "../support/scenario.ts";
import { SseClient } from "../support/sse.ts";

/**
 * A live fleet (the manager and a node of this test's own, joined as a worker) through a node's engine killed
 * and brought back, and through the node drained and made active again. node2/node3 are never touched.
 */
let node: OwnNode | undefined;
let run: FleetRun | undefined;
let server: RunningServer | undefined;
let sse: SseClient | undefined;

/** The running task of a service: its node and container. */
async function runningTask(service: FleetService): Promise<{ node: string; container: string } | undefined> {
  const task = (await serviceTasks(service.id)).find(
    (t) =>
      t.DesiredState === "running" && t.Status?.State === "running" && t.Status.ContainerStatus?.ContainerID,
  );
  return task && { node: task.NodeID ?? "", container: task.Status?.ContainerStatus?.ContainerID ?? "" };
}

/** What the served fleet says about one engine: its containers and its local networks. */
function factsOf(topology: Topology, key: string): string[] {
  return servedFacts({
    ...topology,
    containers: topology.containers
      .filter((c) => c.engine === key)
      .map((c) => ({ ...c, name: c.bareName ?? c.name })),
    networks: topology.networks.filter((n) => n.node === key),
  });
}

/**
 * Waits until what is served for the node is what its engine holds (`docker inspect`): its containers, its
 * local networks, and each swarm-scope network it has spanning it. Returns the differences left.
 */
async function converged(engine: ExtraEngine, key: string, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const served = (await (await fetch(`${(server as RunningServer).url}/api/topology`)).json()) as Topology;
    const swarmScoped = new Map(served.networks.filter((n) => n.scope === "swarm").map((n) => [n.id, n]));
    const facts = await engineFacts(engine);
    const local = facts.filter((l) => !(l.startsWith("network ") && swarmScoped.has(l.split(" ")[1])));
    const spans = facts
      .filter((l) => l.startsWith("network ") && !swarmScoped.get(l.split(" ")[1])?.nodes?.includes(key))
      .filter((l) => swarmScoped.has(l.split(" ")[1]))
      .map((l) => `swarm network not spanning ${key}: ${l}`);
    const stale = [...staleFacts(factsOf(served, key), local), ...spans];
    if (stale.length === 0 || Date.now() > deadline) return stale;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const health = (e: ServerEvent) =>
  e.type === "status" ? e.status : e.type === "snapshot" ? e.status : undefined;
const nodeIn = (e: ServerEvent) =>
  e.type === "delta" ? e.delta.swarm?.nodes.find((n) => n.id === node?.nodeId) : undefined;

let pinned: FleetService;
let fleet: Fleet | undefined;

beforeAll(async () => {
  fleet = await requireFleet();
  node = await ownNode("flkill");
  run = await FleetRun.create(fleet);
  pinned = await run.service("pinned", { onNodes: [node.hostname], command: SLEEP });
  await (await run.on(node)).container("plain", { command: SLEEP });
  await run.waitRunning(pinned, 1, [node.hostname]);
  server = await startServer({
    port: 0,
    engines: [resolveEngine({ engine: ENGINE_URL }), resolveEngine({ engine: node.url })],
  });
  sse = await SseClient.open(`${server.url}/api/events`);
}, 400_000);

afterAll(async () => {
  await sse?.close();
  await server?.close();
  await run?.cleanup();
  // The label this test put on the manager's node for the drained task to move to.
  if (run && fleet)
    await docker("node", "update", "--label-rm", `${run.prefix}here`, fleet.manager.nodeId).catch(
      () => undefined,
    );
  await node?.remove();
}, 400_000);

describe("a node's engine killed mid-session", () => {
  it("shows the node down, keeps its containers marked stale, and resyncs with nothing stale left", async () => {
    const own = node as OwnNode;
    const e = own.engine;
    const c = sse as SseClient;
    const snapshot = await c.next((ev) => ev.type === "snapshot");
    if (snapshot.type !== "snapshot") return;
    const task = (await runningTask(pinned)) as { container: string };
    const mine = snapshot.topology.containers.filter((x) => x.engine === own.hostname).map((x) => x.id);
    expect(mine).toContain(task.container);
    expect(snapshot.topology.swarm?.nodes.find((n) => n.id === own.nodeId)).toMatchObject({
      state: "ready",
      engine: own.hostname,
    });
    expect(snapshot.status.engines?.map((h) => h.key)).toContain(own.hostname);

    const from = c.events.length;
    await e.kill();
    // From the lost connection: the engine unreachable and stale, at once.
    await c.next(
      (ev) => health(ev)?.engines?.some((h) => h.key === own.hostname && !h.reachable && h.stale) === true,
      15_000,
      from,
    );
    // From the manager: the node down, once its heartbeats are missed.
    await c.next((ev) => nodeIn(ev)?.state === "down", 90_000, from);
    const url = (server as RunningServer).url;
    const during = (await (await fetch(`${url}/api/topology`)).json()) as Topology;
    // Its containers are kept (stale, as its health says), not replaced by the manager's task-only placeholders.
    for (const id of mine) expect(during.containers.find((x) => x.id === id)?.engine).toBe(own.hostname);
    expect(during.containers.filter((x) => x.swarm?.nodeId === own.nodeId && x.engine === undefined)).toEqual(
      [],
    );
    const h = (await (await fetch(`${url}/api/health`)).json()) as {
      engine: { stale: boolean; engines: { key: string; reachable: boolean; stale: boolean }[] };
    };
    expect(h.engine.stale).toBe(true);
    expect(h.engine.engines.find((x) => x.key === own.hostname)).toMatchObject({
      reachable: false,
      stale: true,
    });
    expect(h.engine.engines.find((x) => x.key !== own.hostname)).toMatchObject({
      reachable: true,
      stale: false,
    });

    const back = c.events.length;
    await e.restart();
    // A restarted worker reconnects to its swarm on its own data (same node ID).
    await c.next((ev) => nodeIn(ev)?.state === "ready", 120_000, back);
    await c.next((ev) => health(ev)?.engines?.every((x) => x.reachable && !x.stale) === true, 60_000, back);
    await (run as FleetRun).waitRunning(pinned, 1, [own.hostname]);
    expect((await converged(e, own.hostname)).join("\n")).toBe("");
    expect(c.events.filter((ev) => ev.type === "snapshot")).toHaveLength(1);
  }, 400_000);
});

describe("a node drained and made active again", () => {
  it("moves its tasks and the graph follows live", async () => {
    const own = node as OwnNode;
    const r = run as FleetRun;
    const c = sse as SseClient;
    // A service for the nodes labelled for it: this node first, then the manager's too.
    const label = `${r.prefix}here`;
    await docker("node", "update", "--label-add", `${label}=1`, own.nodeId);
    const moving = { name: `${r.prefix}moving`, id: "" };
    moving.id = (
      await docker(
        ...["service", "create", "--detach", "--no-resolve-image", "--name", moving.name],
        ...["--constraint", `node.labels.${label}==1`, TEST_IMAGE, ...SLEEP],
      )
    ).trim();
    const first = await waitFor("the moving task running on the node", async () => {
      const t = await runningTask(moving);
      return t?.node === own.nodeId ? t : undefined;
    });
    await c.next(
      (ev) =>
        ev.type === "delta" &&
        ev.delta.upsertContainers.some((x) => x.id === first.container && x.engine === own.hostname),
      60_000,
    );
    await docker("node", "update", "--label-add", `${label}=1`, (fleet as Fleet).manager.nodeId);

    const from = c.events.length;
    await docker("node", "update", "--availability", "drain", own.nodeId);
    await c.next((ev) => nodeIn(ev)?.availability === "drain", 30_000, from);
    const moved = await waitFor("the moving task running elsewhere", async () => {
      const t = await runningTask(moving);
      return t && t.node !== own.nodeId ? t : undefined;
    });
    // The graph follows: the new task's container appears, the old one goes from the node.
    await c.next(
      (ev) => ev.type === "delta" && ev.delta.upsertContainers.some((x) => x.id === moved.container),
      30_000,
      from,
    );
    await c.next(
      (ev) =>
        ev.type === "delta" &&
        (ev.delta.removeContainers.includes(first.container) ||
          ev.delta.upsertContainers.some((x) => x.id === first.container && x.state !== "running")),
      30_000,
      from,
    );

    const back = c.events.length;
    await docker("node", "update", "--availability", "active", own.nodeId);
    await c.next((ev) => nodeIn(ev)?.availability === "active", 30_000, back);
    expect((await converged(own.engine, own.hostname)).join("\n")).toBe("");
  }, 400_000);
});
