import { startExtraEngine } from "../../test/support/extra-engine.ts";
import { removeContainers, startContainers, waitConverged } from "../../test/support/faults.ts";
import { SseClient } from "../../test/support/sse.ts";
import { rssMb, spawnServe } from "../serve-process.ts";
import { median } from "../stats.ts";
import type { StressSection } from "./section.ts";

/** `--minutes N` (default 20): how long the churn runs. */
function minutes(): number {
  const at = process.argv.indexOf("--minutes");
  if (at < 0) return 20;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--minutes: "${process.argv[at + 1] ?? ""}" is not a positive number of minutes`);
    process.exit(2);
  }
  return value;
}

const BATCH = 10;
const SAMPLE_MS = 5_000;

/**
 * A bounded churn soak on a disposable engine: reachgraph serves it live to one SSE client while batches of
 * containers are started, connected to a second network and removed, for `--minutes`. The server is its own
 * process (`reachgraph serve`); its RSS is sampled and the drift between the second and the last fifth of the
 * samples (the first fifth is warm-up) is the figure: flat within 10 %.
 */
export async function run(): Promise<StressSection> {
  const duration = minutes() * 60_000;
  const engine = await startExtraEngine();
  const server = await spawnServe(["--engine", engine.url, "--port", "0"]);
  const sse = await SseClient.open(`${server.url}/api/events`);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(server.pid)), SAMPLE_MS);
  let cycles = 0;
  try {
    await engine.docker("network", "create", "soak-a");
    await engine.docker("network", "create", "soak-b");
    const end = Date.now() + duration;
    while (Date.now() < end) {
      const ids = await startContainers(engine, `soak-${cycles}-`, BATCH, "soak-a", 4);
      for (const id of ids.slice(0, BATCH / 2)) await engine.docker("network", "connect", "soak-b", id);
      await fetch(`${server.url}/api/topology`).then((r) => r.arrayBuffer());
      await removeContainers(engine, ids, 4);
      // The SSE client keeps every event; a soak must not measure its own backlog.
      sse.events.length = 0;
      cycles++;
    }
    const left = await waitConverged(server.url, engine);
    clearInterval(sampler);
    const fifth = Math.max(1, Math.floor(samples.length / 5));
    const first = median(samples.slice(fifth, 2 * fifth));
    const last = median(samples.slice(-fifth));
    const drift = (last - first) / first;
    const mb = (value: number) => `${value.toFixed(1)} MB`;
    return {
      title: "soak",
      figures: [
        { name: "soak: minutes of churn", value: minutes(), ok: true },
        { name: "soak: containers started and removed", value: cycles * BATCH, ok: cycles > 0 },
        { name: "soak: RSS after warm-up → at the end", value: `${mb(first)} → ${mb(last)}`, ok: true },
        {
          name: "soak: RSS drift",
          value: `${(drift * 100).toFixed(1)} %`,
          target: "within ±10 %",
          ok: Math.abs(drift) <= 0.1,
        },
        {
          name: "soak: stale objects after the churn",
          value: left.length,
          target: "0",
          ok: left.length === 0,
        },
      ],
    };
  } finally {
    clearInterval(sampler);
    await sse.close();
    await server.stop();
    await engine.stop();
  }
}
