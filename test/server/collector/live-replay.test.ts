import type { AddressInfo, Server, Socket } from "node:net";
import { connect, createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Collector } from "../../../server/collector/collect.ts";
import { LiveTopology } from "../../../server/collector/live.ts";
import { createEngineClient } from "../../../server/engine/client.ts";
import { resolveEngine } from "../../../server/engine/connection.ts";
import type { ServerEvent } from "../../../server/model/topology.ts";
import { loadRecording } from "../../support/recording.ts";
import type { ReplayEngine } from "../../support/replay-engine.ts";
import { startReplayEngine } from "../../support/replay-engine.ts";

const { recording, manifest } = loadRecording("full");
const fresh = () => structuredClone(recording);
const client = (engine: ReplayEngine) => createEngineClient(resolveEngine({ engine: engine.url }), 2_000);
const paths = (engine: ReplayEngine) => engine.requests.map((r) => r.replace(/^GET \/(v[\d.]+\/)?/, "GET /"));

let engines: ReplayEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
});
async function replay(): Promise<ReplayEngine> {
  const engine = await startReplayEngine(fresh());
  engines.push(engine);
  return engine;
}

describe("collector against recorded engine responses (real dockerode)", () => {
  it("costs two list calls, /info and /version, plus inspects only where the list lacks names", async () => {
    const engine = await replay();
    const collector = new Collector(client(engine));
    await collector.fullSync();
    const requests = paths(engine);
    const inspected = requests.filter((r) => r.startsWith("GET /containers/") && r.endsWith("/json"));
    // Only containers on networks with embedded DNS (UB-2), or never started (IV-1), need an inspect.
    const needing = recording.containers.filter(
      (c) =>
        c.State === "created" ||
        Object.keys(c.NetworkSettings?.Networks ?? {}).some((n) => !["bridge", "host", "none"].includes(n)),
    );
    expect(inspected).toHaveLength(needing.length);
    expect(needing.length).toBeLessThan(recording.containers.length);
    expect(
      requests.filter((r) => /^GET \/(info|version|networks|containers\/json)(\?|$)/.test(r)).length,
    ).toBe(4);

    engine.requests.length = 0;
    await collector.fullSync();
    // Warm: nothing changed, so no inspect at all and no daemon calls.
    expect(
      paths(engine).every(
        (r) => /^GET \/(containers\/json|networks)\?/.test(r) || /^GET \/networks$/.test(r),
      ),
    ).toBe(true);
  });

  it("re-reads only the container an event names", async () => {
    const engine = await replay();
    const live = new LiveTopology(client(engine), { debounceMs: 5, maxWaitMs: 20 });
    const seen: ServerEvent[] = [];
    live.subscribe((e) => seen.push(e));
    await live.start();
    expect(seen[0]?.type).toBe("snapshot");
    const api = manifest.containers.api;
    const summary = engine.data.containers.find((c) => c.Id === api.id);
    expect(summary).toBeDefined();
    if (!summary) return;
    // The engine's own change: the container stops (state and endpoint emptied as the engine does, §5).
    summary.State = "exited";
    for (const ep of Object.values(summary.NetworkSettings?.Networks ?? {})) {
      Object.assign(ep, { IPAddress: "", EndpointID: "", Gateway: "", MacAddress: "", IPPrefixLen: 0 });
    }
    engine.requests.length = 0;
    engine.emit({ Type: "container", Action: "die", Actor: { ID: api.id, Attributes: { name: api.name } } });
    await expect.poll(() => seen.some((e) => e.type === "delta")).toBe(true);
    const delta = seen.find((e) => e.type === "delta");
    expect(delta?.type === "delta" && delta.delta.upsertContainers.map((c) => [c.id, c.state])).toEqual([
      [api.id, "exited"],
    ]);
    const requests = paths(engine);
    expect(requests.some((r) => r.includes("filters=") && decodeURIComponent(r).includes(api.id))).toBe(true);
    expect(
      requests.some((r) => /containers\/json\?all=1$/.test(r) || /containers\/json\?all=true$/.test(r)),
    ).toBe(false);
    await live.close();
  });

  it("keeps the last topology, marked stale, when the engine dies", async () => {
    const engine = await replay();
    const live = new LiveTopology(client(engine), { retryMinMs: 20, retryMaxMs: 50 });
    await live.start();
    const before = live.current().topology.containers.length;
    await engine.close();
    await expect.poll(() => live.current().status.stale, { timeout: 5_000 }).toBe(true);
    expect(live.current().status.reachable).toBe(false);
    expect(live.current().status.error).toMatch(/events stream|failed/);
    expect(live.current().topology.containers).toHaveLength(before);
    await live.close();
  });

  it("reconnects with backoff after the stream breaks, and resyncs what changed meanwhile", async () => {
    const engine = await replay();
    const link = await startLink(engine.socketPath);
    const live = new LiveTopology(createEngineClient(resolveEngine({ engine: link.url }), 2_000), {
      retryMinMs: 20,
      retryMaxMs: 100,
    });
    const seen: ServerEvent[] = [];
    live.subscribe((e) => seen.push(e));
    await live.start();
    await link.down();
    await expect.poll(() => live.current().status.stale, { timeout: 5_000 }).toBe(true);
    // While the link is down, a container disappears: no event can tell us, only the resync can.
    const gone = engine.data.containers.pop();
    await link.up();
    await expect.poll(() => live.current().status.reachable, { timeout: 5_000 }).toBe(true);
    expect(live.current().status.stale).toBe(false);
    expect(seen.some((e) => e.type === "delta" && e.delta.removeContainers.includes(gone?.Id ?? ""))).toBe(
      true,
    );
    expect(seen.filter((e) => e.type === "snapshot")).toHaveLength(1);
    await live.close();
    await link.down();
  });
});

it("keeps an idle events stream open longer than the request timeout", async () => {
  const engine = await replay();
  const live = new LiveTopology(createEngineClient(resolveEngine({ engine: engine.url }), 200));
  const seen: ServerEvent[] = [];
  live.subscribe((e) => seen.push(e));
  await live.start();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(live.current().status).toMatchObject({ reachable: true, stale: false, error: null });
  expect(engine.requests.filter((r) => r.includes("/events")).length).toBe(1);
  expect(seen.map((e) => e.type)).toEqual(["snapshot"]);
  await live.close();
});

it("reads a container again when the list lags behind its network connect event", async () => {
  const engine = await replay();
  const live = new LiveTopology(client(engine), { debounceMs: 5, maxWaitMs: 20 });
  const seen: ServerEvent[] = [];
  live.subscribe((e) => seen.push(e));
  await live.start();
  const api = engine.data.containers.find((c) => c.Id === manifest.containers.api.id);
  const extra = engine.data.networks.find((n) => n.Id === manifest.networks.internal.id);
  expect(api && extra).toBeTruthy();
  if (!api || !extra) return;
  // The event first; the list shows the new endpoint only 60 ms later.
  engine.emit({
    Type: "network",
    Action: "connect",
    Actor: { ID: extra.Id, Attributes: { container: api.Id, name: extra.Name, type: "bridge" } },
  });
  setTimeout(() => {
    const networks = api.NetworkSettings?.Networks ?? {};
    networks[extra.Name] = {
      ...Object.values(networks)[0],
      NetworkID: extra.Id,
      EndpointID: "e".repeat(64),
      IPAddress: "10.213.13.9",
    };
  }, 60);
  await expect
    .poll(() =>
      seen.some(
        (e) =>
          e.type === "delta" &&
          e.delta.upsertContainers.some(
            (c) => c.id === api.Id && c.interfaces.some((i) => i.network === extra.Name),
          ),
      ),
    )
    .toBe(true);
  await live.close();
});

/** A TCP port in front of the replay engine's socket that can be taken down and brought back on the same port. */
async function startLink(socketPath: string) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((client) => {
      const upstream = connect(socketPath);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };
  const down = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  };
  await up();
  return { url: `tcp://127.0.0.1:${port}`, up, down };
}
