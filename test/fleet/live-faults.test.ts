import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { ServerEvent, Topology } from "../../server/model/topology.ts";
import { run } from "../support/docker-cli.ts";
import { ENGINE_URL, requireEngine } from "../support/engine.ts";
import type { ExtraEngine } from "../support/extra-engine.ts";
import { startExtraEngine } from "../support/extra-engine.ts";
import { engineFacts, servedFacts, staleFacts } from "../support/faults.ts";
import { TEST_IMAGE } from "../support/scenario.ts";
import { SseClient } from "../support/sse.ts";

/**
 * A live fleet (the manager and a node of this test's own, joined as a worker) through a node's engine killed
 * and brought back, and through the node drained and made active again. node2/node3 are never touched.
 */
const manager = (...args: string[]) => run("/usr/bin/docker", ["--host", ENGINE_URL, ...args]);

let node: ExtraEngine | undefined;
let nodeId = "";
let prefix = "";
let server: RunningServer | undefined;
let sse: SseClient | undefined;

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Joins the node to the main engine's swarm as a worker (it advertises its address on the node bridge). */
async function join(engine: ExtraEngine): Promise<string> {
  const k = (await readFile(`/run/reachgraph-nodes/${engine.name}`, "utf8")).trim();
  const token = (await manager("swarm", "join-token", "-q", "worker")).trim();
  await engine.docker(
    "swarm",
    "join",
    "--advertise-addr",
    `10.232.0.${k}`,
    "--token",
    token,
    "10.232.0.1:2377",
  );
  return (await engine.docker("info", "--format", "{{.Swarm.NodeID}}")).trim();
}

const nodeState = async (id: string) =>
  (await manager("node", "inspect", id, "--format", "{{.Status.State}}")).trim();

/** The running task of a service: its node and container. */
async function runningTask(service: string): Promise<{ node: string; container: string } | undefined> {
  const ids = (await manager("service", "ps", service, "-q", "--filter", "desired-state=running"))
    .split("\n")
    .filter(Boolean);
  for (const id of ids) {
    const [state, taskNode, container] = (
      await manager(
        "inspect",
        id,
        "--format",
        "{{.Status.State}} {{.NodeID}} {{if .Status.ContainerStatus}}{{.Status.ContainerStatus.ContainerID}}{{end}}",
      )
    )
      .trim()
      .split(" ");
    if (state === "running" && container) return { node: taskNode, container };
  }
  return undefined;
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
async function converged(engine: ExtraEngine, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const served = (await (await fetch(`${(server as RunningServer).url}/api/topology`)).json()) as Topology;
    const swarmScoped = new Map(served.networks.filter((n) => n.scope === "swarm").map((n) => [n.id, n]));
    const facts = await engineFacts(engine);
    const local = facts.filter((l) => !(l.startsWith("network ") && swarmScoped.has(l.split(" ")[1])));
    const spans = facts
      .filter(
        (l) => l.startsWith("network ") && !swarmScoped.get(l.split(" ")[1])?.nodes?.includes(engine.name),
      )
      .filter((l) => swarmScoped.has(l.split(" ")[1]))
      .map((l) => `swarm network not spanning ${engine.name}: ${l}`);
    const stale = [...staleFacts(factsOf(served, engine.name), local), ...spans];
    if (stale.length === 0 || Date.now() > deadline) return stale;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const health = (e: ServerEvent) =>
  e.type === "status" ? e.status : e.type === "snapshot" ? e.status : undefined;
const nodeIn = (e: ServerEvent) =>
  e.type === "delta" ? e.delta.swarm?.nodes.find((n) => n.id === nodeId) : undefined;

beforeAll(async () => {
  await requireEngine();
  node = await startExtraEngine();
  prefix = `${node.name}-`;
  nodeId = await join(node);
  await manager(
    ...["service", "create", "--detach", "--name", `${prefix}pinned`, "--constraint", `node.id==${nodeId}`],
    ...[TEST_IMAGE, "sleep", "3600"],
  );
  await node.docker("run", "-d", "--name", `${prefix}plain`, TEST_IMAGE, "sleep", "3600");
  // Workers spend 20-30 s in Preparing (the registry pull times out) before the task runs from the local image.
  await until("the pinned task running", () => runningTask(`${prefix}pinned`), 150_000);
  server = await startServer({
    port: 0,
    engines: [resolveEngine({ engine: ENGINE_URL }), resolveEngine({ engine: node.url })],
  });
  sse = await SseClient.open(`${server.url}/api/events`);
}, 300_000);

afterAll(async () => {
  await sse?.close();
  await server?.close();
  for (const service of [`${prefix}pinned`, `${prefix}moving`])
    await manager("service", "rm", service).catch(() => undefined);
  await manager("node", "update", "--label-rm", `${prefix}here`, "vm").catch(() => undefined);
  await node?.docker("swarm", "leave", "--force").catch(() => undefined);
  if (nodeId) {
    await until(
      "the node down",
      async () => ((await nodeState(nodeId)) === "down" ? true : undefined),
      60_000,
    ).catch(() => undefined);
    await manager("node", "rm", "--force", nodeId).catch(() => undefined);
  }
  await node?.stop();
}, 180_000);

describe("a node's engine killed mid-session", () => {
  it("shows the node down, keeps its containers marked stale, and resyncs with nothing stale left", async () => {
    const e = node as ExtraEngine;
    const c = sse as SseClient;
    const snapshot = await c.next((ev) => ev.type === "snapshot");
    if (snapshot.type !== "snapshot") return;
    const task = (await runningTask(`${prefix}pinned`)) as { container: string };
    const mine = snapshot.topology.containers.filter((x) => x.engine === e.name).map((x) => x.id);
    expect(mine).toContain(task.container);
    expect(snapshot.topology.swarm?.nodes.find((n) => n.id === nodeId)).toMatchObject({
      state: "ready",
      engine: e.name,
    });
    expect(snapshot.status.engines?.map((h) => h.key)).toContain(e.name);

    const from = c.events.length;
    await e.kill();
    // From the lost connection: the engine unreachable and stale, at once.
    await c.next(
      (ev) => health(ev)?.engines?.some((h) => h.key === e.name && !h.reachable && h.stale) === true,
      15_000,
      from,
    );
    // From the manager: the node down, once its heartbeats are missed.
    await c.next((ev) => nodeIn(ev)?.state === "down", 90_000, from);
    const during = (await (await fetch(`${(server as RunningServer).url}/api/topology`)).json()) as Topology;
    // Its containers are kept (stale, as its health says), not replaced by the manager's task-only placeholders.
    for (const id of mine) expect(during.containers.find((x) => x.id === id)?.engine).toBe(e.name);
    expect(during.containers.filter((x) => x.swarm?.nodeId === nodeId && x.engine === undefined)).toEqual([]);
    const h = (await (await fetch(`${(server as RunningServer).url}/api/health`)).json()) as {
      engine: { stale: boolean; engines: { key: string; reachable: boolean; stale: boolean }[] };
    };
    expect(h.engine.stale).toBe(true);
    expect(h.engine.engines.find((x) => x.key === e.name)).toMatchObject({ reachable: false, stale: true });
    expect(h.engine.engines.find((x) => x.key !== e.name)).toMatchObject({ reachable: true, stale: false });

    const back = c.events.length;
    await e.restart();
    // A restarted worker reconnects to its swarm on its own data (same node ID).
    await c.next((ev) => nodeIn(ev)?.state === "ready", 120_000, back);
    await c.next((ev) => health(ev)?.engines?.every((x) => x.reachable && !x.stale) === true, 60_000, back);
    await until("the pinned task running again", () => runningTask(`${prefix}pinned`), 150_000);
    expect((await converged(e)).join("\n")).toBe("");
    expect(c.events.filter((ev) => ev.type === "snapshot")).toHaveLength(1);
  }, 400_000);
});

describe("a node drained and made active again", () => {
  it("moves its tasks and the graph follows live", async () => {
    const e = node as ExtraEngine;
    const c = sse as SseClient;
    // A service that may run on this node or on the manager (labelled for it), started here first.
    await manager("node", "update", "--label-add", `${prefix}here=1`, nodeId);
    await manager(
      ...[
        "service",
        "create",
        "--detach",
        "--name",
        `${prefix}moving`,
        "--constraint",
        `node.labels.${prefix}here==1`,
      ],
      ...[TEST_IMAGE, "sleep", "3600"],
    );
    const first = await until(
      "the moving task running on the node",
      async () => {
        const t = await runningTask(`${prefix}moving`);
        return t?.node === nodeId ? t : undefined;
      },
      150_000,
    );
    await c.next(
      (ev) =>
        ev.type === "delta" &&
        ev.delta.upsertContainers.some((x) => x.id === first.container && x.engine === e.name),
      30_000,
    );
    await manager("node", "update", "--label-add", `${prefix}here=1`, "vm");

    const from = c.events.length;
    await manager("node", "update", "--availability", "drain", nodeId);
    await c.next((ev) => nodeIn(ev)?.availability === "drain", 30_000, from);
    const moved = await until(
      "the moving task running on the manager",
      async () => {
        const t = await runningTask(`${prefix}moving`);
        return t && t.node !== nodeId ? t : undefined;
      },
      120_000,
    );
    // The graph follows: the new task's container appears (on the manager), the old one goes from the node.
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
    await manager("node", "update", "--availability", "active", nodeId);
    await c.next((ev) => nodeIn(ev)?.availability === "active", 30_000, back);
    expect((await converged(e)).join("\n")).toBe("");
  }, 400_000);
});
