import { startReplayEngine, togglePaused } from "../../test/support/replay-engine.ts";
import { openStalledStream, SseTally } from "../../test/support/sse.ts";
import { syntheticRecording } from "../../test/support/synthetic.ts";
import { rssMb, spawnServe } from "../serve-process.ts";
import { quantile } from "../stats.ts";
import type { StressSection } from "./section.ts";

const READERS = 200;
const CONTAINERS = 200;
/** Bursts before the stalled client must have been dropped (each ~260 KB of delta per stream). */
const MAX_BURSTS = 60;
/** Bursts after the drop, to show the readers keep up. */
const AFTER_DROP = 10;

interface Health {
  events: { open: number; dropped: number };
}

/**
 * 200 event streams that read, one that never does, and bursts of container changes on a replay engine for a
 * bounded time: the stalled stream must be dropped (and only it), the server's memory stay bounded, and every
 * reader get every delta. Loopback only: each client connects from its own 127.0.0.N address.
 */
export async function run(): Promise<StressSection> {
  const recording = syntheticRecording({ containers: CONTAINERS, networks: 20 });
  const engine = await startReplayEngine(recording);
  const server = await spawnServe(["--engine", engine.url, "--port", "0"]);
  const readers: SseTally[] = [];
  const health = async () => (await (await fetch(`${server.url}/api/health`)).json()) as Health;
  try {
    const events = `${server.url}/api/events`;
    const stalled = await openStalledStream(events, "127.0.1.1");
    for (let i = 0; i < READERS; i++) readers.push(await SseTally.open(events, `127.0.0.${i + 2}`));
    await Promise.all(readers.map((r) => r.reach(0, 120_000)));
    const rssBefore = rssMb(server.pid);
    const latencies: number[] = [];
    let bursts = 0;
    let droppedAt = -1;
    while (bursts < MAX_BURSTS && (droppedAt < 0 || bursts < droppedAt + AFTER_DROP)) {
      const target = Math.max(...readers.map((r) => r.last)) + 1;
      const sent = performance.now();
      for (const container of recording.containers) togglePaused(engine, container);
      await Promise.all(readers.map((r) => r.reach(target, 60_000)));
      for (const r of readers) latencies.push(r.arrivals[r.seqs.findIndex((s) => s >= target)] - sent);
      bursts++;
      if (droppedAt < 0 && (await health()).events.dropped > 0) droppedAt = bursts;
    }
    const rssAfter = rssMb(server.pid);
    const { events: streams } = await health();
    const closed = new Promise<boolean>((resolve) => {
      stalled.once("close", () => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    stalled.resume();
    const stalledClosed = await closed;
    stalled.destroy();
    const intact = readers.filter(
      (r) => !r.closed && r.seqs.every((s, i) => i === 0 || s === r.seqs[i - 1] + 1),
    ).length;
    const p95 = quantile(latencies, 0.95);
    return {
      title: `Event streams: ${READERS} readers and one that never reads (${bursts} bursts of ${CONTAINERS} changes)`,
      figures: [
        { name: "SSE clients held", value: streams.open, target: `${READERS}`, ok: streams.open === READERS },
        {
          name: "readers with every delta, in order",
          value: intact,
          target: `${READERS}`,
          ok: intact === READERS,
        },
        {
          name: "SSE clients dropped",
          value: streams.dropped,
          target: "1 (the one that never reads)",
          ok: streams.dropped === 1 && stalledClosed,
        },
        { name: "bursts until the stalled client was dropped", value: droppedAt, ok: droppedAt > 0 },
        { name: "server RSS before (MB)", value: Math.round(rssBefore), ok: true },
        {
          name: "server RSS after (MB)",
          value: Math.round(rssAfter),
          target: "< before + 64 MB",
          ok: rssAfter < rssBefore + 64,
        },
        {
          name: "p95 delivery to the readers (ms, engine event to SSE delta)",
          value: Math.round(p95),
          target: "< 2000 ms",
          ok: p95 < 2000,
        },
      ],
    };
  } finally {
    for (const r of readers) r.close();
    await server.stop();
    await engine.close();
  }
}
