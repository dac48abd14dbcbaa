import { startReplayEngine } from "../test/support/replay-engine.ts";
import { SseClient } from "../test/support/sse.ts";
import { syntheticRecording } from "../test/support/synthetic.ts";
import { rssMb, spawnServe } from "./serve-process.ts";
import { median, ms, printTable, quantile, target } from "./stats.ts";
import type { Row } from "./stats.ts";

const EVENTS = 25;
/** RSS goals of the server, by containers replayed. */
const RSS_GOALS: Record<number, number> = { 5_000: 150, 10_000: 200 };
/** A smaller young generation (the default grows to 2 × 16 MB and stays): `NODE_OPTIONS` for a long-lived server. */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=4"];

/**
 * The server at scale, on a replay engine serving generated API JSON: its RSS once synced, the time from an
 * engine event to the SSE delta (work proportional to the change, not to the engine), and delta sizes.
 */
export async function benchServerScale(sizes: number[], nodeFlags: string[] = []): Promise<void> {
  const rows: Row[] = [];
  const flags = nodeFlags.length ? ` with ${nodeFlags.join(" ")}` : "";
  for (const containers of sizes) {
    const recording = syntheticRecording({ containers, networks: Math.max(10, Math.round(containers / 10)) });
    const engine = await startReplayEngine(recording);
    const server = await spawnServe(["--engine", engine.url, "--port", "0"], nodeFlags);
    try {
      const url = server.url;
      const sse = await SseClient.open(`${url}/api/events`);
      const snapshot = await sse.next((e) => e.type === "snapshot", 120_000);
      const snapshotBytes = JSON.stringify(snapshot).length;
      const rssAfterSnapshot = rssMb(server.pid);
      const latencies: number[] = [];
      const deltaBytes: number[] = [];
      for (let i = 0; i < EVENTS; i++) {
        const victim = recording.containers[(i * 7919) % recording.containers.length];
        victim.Status = `Up ${i + 2} minutes`;
        victim.State = victim.State === "running" ? "paused" : "running";
        const from = sse.events.length;
        const sent = performance.now();
        engine.emit({
          Type: "container",
          Action: victim.State === "paused" ? "pause" : "unpause",
          Actor: { ID: victim.Id },
        });
        const delta = await sse.next(
          (e) => e.type === "delta" && e.delta.upsertContainers.some((c) => c.id === victim.Id),
          10_000,
          from,
        );
        latencies.push(performance.now() - sent);
        deltaBytes.push(JSON.stringify(delta).length);
      }
      await sse.close();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const rss = rssMb(server.pid);
      rows.push({
        containers,
        "RSS after snapshot": `${rssAfterSnapshot.toFixed(0)} MB`,
        "RSS steady": `${rss.toFixed(0)} MB`,
        "snapshot event": `${(snapshotBytes / 1024 / 1024).toFixed(1)} MB`,
        "event→delta p50": ms(median(latencies)),
        "event→delta p95": ms(quantile(latencies, 0.95)),
        "delta size p50": `${(median(deltaBytes) / 1024).toFixed(1)} KB`,
        source: `replayed (synthetic)${flags}`,
      });
      const goal = RSS_GOALS[containers];
      if (goal)
        target(
          `server RSS (steady) at ${containers} containers${flags}`,
          `${rss.toFixed(0)} MB`,
          `< ${goal} MB`,
          rss < goal,
        );
    } finally {
      await server.stop();
      await engine.close();
    }
  }
  printTable(
    `Server at scale${flags} (replay engine; event→delta includes the 25 ms debounce, ${EVENTS} events)`,
    rows,
  );
}
