import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../server/http/server.ts";
import { startServer } from "../../../server/http/server.ts";
import { jsonError, send } from "../../support/http.ts";
import type { ReplayEngine } from "../../support/replay-engine.ts";
import { startReplayEngine, togglePaused } from "../../support/replay-engine.ts";
import { openStalledStream, SseTally } from "../../support/sse.ts";
import { syntheticRecording } from "../../support/synthetic.ts";

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanups.reverse()) await step();
  cleanups = [];
});
async function serve(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer({ port: 0, ...options });
  cleanups.push(() => server.close());
  return server;
}
async function open(url: string, localAddress?: string): Promise<SseTally> {
  const tally = await SseTally.open(url, localAddress);
  cleanups.push(() => tally.close());
  return tally;
}
const health = async (server: RunningServer) =>
  JSON.parse((await send(`${server.url}/api/health`)).body) as { events: { open: number; dropped: number } };

async function stalled(server: RunningServer, localAddress: string): Promise<Socket> {
  const socket = await openStalledStream(`${server.url}/api/events`, localAddress);
  cleanups.push(() => socket.destroy());
  return socket;
}

describe("event stream limits", () => {
  it("refuses streams over the per-client and the total limit with a 503 that says which", async () => {
    const server = await serve({ demo: true, limits: { eventStreamsPerClient: 2, eventStreams: 3 } });
    const url = `${server.url}/api/events`;
    await open(url, "127.0.0.2");
    await open(url, "127.0.0.2");
    const third = await send(url, { localAddress: "127.0.0.2" });
    expect(third.status).toBe(503);
    expect(third.headers["retry-after"]).toBe("30");
    expect(jsonError(third)).toBe(
      "127.0.0.2 holds its limit of 2 event streams; close other reachgraph tabs",
    );
    // Another client still gets in, until the server's own limit.
    await open(url, "127.0.0.3");
    const full = await send(url, { localAddress: "127.0.0.4" });
    expect(full.status).toBe(503);
    expect(jsonError(full)).toBe("the server holds its limit of 3 event streams; try again later");
    expect((await health(server)).events).toMatchObject({ open: 3, dropped: 0 });
  });

  it("frees a slot when a stream closes", async () => {
    const server = await serve({ demo: true, limits: { eventStreamsPerClient: 1 } });
    const url = `${server.url}/api/events`;
    const first = await open(url, "127.0.0.5");
    first.close();
    await expect.poll(async () => (await health(server)).events.open).toBe(0);
    await open(url, "127.0.0.5");
  });

  it("drops a client that never reads, and 200 readers get every delta meanwhile", async () => {
    const recording = syntheticRecording({ containers: 200, networks: 20 });
    const engine: ReplayEngine = await startReplayEngine(recording);
    cleanups.push(() => engine.close());
    const server = await serve({ engine: engine.url, limits: { eventBacklogBytes: 64 * 1024 } });
    const url = `${server.url}/api/events`;
    const stuck = await stalled(server, "127.0.1.1");
    // One reader per loopback address, as 200 browsers would be.
    const readers = await Promise.all(Array.from({ length: 200 }, (_, i) => open(url, `127.0.0.${i + 2}`)));
    await Promise.all(readers.map((r) => r.reach(0)));
    const start = readers[0].last;
    // Bursts of state changes, each a delta of every container, until the stuck stream falls behind the
    // kernel's socket buffers (up to tcp_wmem's 4 MiB) and the backlog allowed.
    let bursts = 0;
    while ((await health(server)).events.dropped === 0) {
      expect(bursts, "bursts before the stuck client was dropped").toBeLessThan(60);
      const target = readers[0].last + 1;
      for (const container of recording.containers) togglePaused(engine, container);
      await Promise.all(readers.map((r) => r.reach(target)));
      bursts++;
    }
    const end = Math.max(...readers.map((r) => r.last));
    await Promise.all(readers.map((r) => r.reach(end)));
    for (const reader of readers) {
      expect(reader.closed).toBe(false);
      // Every delta, in order, none missing: the stuck client held no one up.
      expect(reader.seqs).toEqual(Array.from({ length: end - start + 1 }, (_, i) => start + i));
    }
    expect((await health(server)).events).toEqual({ open: 200, dropped: 1, limit: 256 });
    // The stuck client's stream was ended by the server: reading now finds its end.
    const ended = new Promise((resolve) => stuck.once("close", resolve));
    stuck.resume();
    await ended;
  });
});
