import Docker from "dockerode";
import { Collector, collectTopology } from "../server/collector/collect.ts";
import { mapLimit } from "../server/collector/map-limit.ts";
import { createEngineClient } from "../server/engine/client.ts";
import { resolveEngine } from "../server/engine/connection.ts";
import { startServer } from "../server/http/server.ts";
import type { Topology } from "../server/model/topology.ts";
import { buildPage, interfaceEdge, launchBrowser } from "../test/web/browser.ts";
import type { ScenarioNetwork } from "../test/support/scenario.ts";
import { Scenario, SLEEP } from "../test/support/scenario.ts";
import { median, ms, printTable, quantile, target, timeRuns } from "./stats.ts";
import type { Row } from "./stats.ts";

const RUNS = 15;
const LATENCY_SAMPLES = 30;
const docker = new Docker({ socketPath: "/var/run/docker.sock" });

/**
 * The real-engine benchmarks, on one scenario grown through `sizes` (containers are the slow part: the engine
 * starts a few a second): snapshot collection against the two raw list calls and against inspecting every
 * container, then event-to-screen latency in headless Chromium at the largest size.
 */
export async function benchRealEngine(sizes: number[]): Promise<void> {
  const scenario = await Scenario.create();
  const rows: Row[] = [];
  try {
    const networks: ScenarioNetwork[] = [];
    for (let i = 0; i < 8; i++) networks.push(await scenario.network(`n${i}`));
    let made = 0;
    for (const size of sizes) {
      const existing = (await docker.listContainers({ all: true })).length;
      const toMake = Math.max(0, size - existing);
      const started = performance.now();
      await mapLimit([...Array(toMake).keys()], 6, (i) =>
        scenario.container(`c${made + i}`, {
          network: networks[(made + i) % networks.length].name,
          command: SLEEP,
        }),
      );
      made += toMake;
      console.error(
        `bench: started ${toMake} containers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      rows.push(await measureSnapshot());
    }
    printTable(`Snapshot collection (real engine, medians of ${RUNS} interleaved runs)`, rows);
    await measureEventToScreen(scenario, networks);
  } catch (error) {
    // Report what went wrong before cleanup, whose own failures would otherwise hide it.
    console.error("bench: real-engine benchmark failed:", error);
    throw error;
  } finally {
    // Engine 20.10 can keep a phantom endpoint on a network after rapid connect/disconnect cycles ("has active
    // endpoints"); only a daemon restart clears it. Say so rather than fail a benchmark that has reported.
    await scenario.cleanup().catch((error: unknown) => {
      console.error(
        `bench: cleanup left objects behind (restart dockerd to clear phantom endpoints): ${String(error)}`,
      );
    });
  }
}

async function measureSnapshot(): Promise<Row> {
  const client = createEngineClient(resolveEngine());
  const rawLists = () => Promise.all([docker.listContainers({ all: true }), docker.listNetworks()]);
  const naive = async () => {
    const [containers] = await rawLists();
    await mapLimit(containers, 8, (c) => docker.getContainer(c.Id).inspect());
  };
  const warm = new Collector(client);
  await warm.fullSync();
  // Interleaved, so drift on a noisy machine hits every contender alike.
  const times = { raw: [] as number[], warm: [] as number[], cold: [] as number[], naive: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.raw.push(...(await timeRuns(1, rawLists)));
    times.warm.push(...(await timeRuns(1, async () => (await warm.fullSync(), warm.topology()))));
    times.cold.push(...(await timeRuns(1, () => collectTopology(client))));
    times.naive.push(...(await timeRuns(1, naive)));
  }
  const count = (await docker.listContainers({ all: true })).length;
  const [raw, hot, cold, naiveMs] = [times.raw, times.warm, times.cold, times.naive].map(median);
  target(
    `snapshot at ${count} containers vs raw lists`,
    `${(hot / raw).toFixed(2)}×`,
    "≤ 1.25×",
    hot / raw <= 1.25,
  );
  return {
    containers: count,
    "raw 2 lists": ms(raw),
    "reachgraph (warm)": ms(hot),
    "warm/raw": `${(hot / raw).toFixed(2)}×`,
    "reachgraph (cold)": ms(cold),
    "naive inspect-all": ms(naiveMs),
    "naive/warm": `${(naiveMs / hot).toFixed(1)}×`,
    source: "real engine",
  };
}

/** From the `network connect` API call returning to the page's graph showing the new edge. */
async function measureEventToScreen(scenario: Scenario, networks: ScenarioNetwork[]): Promise<void> {
  const page = await buildPage();
  const server = await startServer({ port: 0, webRoot: page.dir });
  const browser = await launchBrowser();
  try {
    if (process.env.BENCH_DEBUG) {
      server.feed.subscribe((e) =>
        console.error(
          `bench: ${new Date().toISOString()} ${e.type}`,
          e.type === "delta"
            ? e.delta.upsertContainers.map((c) => `${c.name}:${c.interfaces.map((i) => i.network)}`)
            : e.type === "status"
              ? e.status
              : "",
        ),
      );
    }
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await tab.goto(server.url);
    const probe = await scenario.container("latency", { network: networks[0].name, command: SLEEP });
    const containerId = probe.id;
    await tab.waitForSelector(`g[data-kind="container"][data-id="${containerId}"]`, { timeout: 60_000 });
    const count = (await docker.listContainers({ all: true })).length;
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const net = networks[1 + (i % (networks.length - 1))];
      const selector = interfaceEdge(containerId, net.id);
      // The page records when the edge appears (its own clock is this machine's clock).
      await tab.evaluate((sel) => {
        const w = window as unknown as { __seen?: number };
        w.__seen = undefined;
        const observer = new MutationObserver(() => {
          if (document.querySelector(sel)) {
            w.__seen = performance.timeOrigin + performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      }, selector);
      if (process.env.BENCH_DEBUG) console.error(`bench: ${new Date().toISOString()} connect ${net.name}`);
      await docker.getNetwork(net.id).connect({ Container: containerId });
      const returned = performance.timeOrigin + performance.now();
      await tab
        .waitForFunction(() => (window as unknown as { __seen?: number }).__seen !== undefined, null, {
          timeout: 10_000,
          polling: 20,
        })
        .catch(async (error: unknown) => {
          const edges = await tab.evaluate(
            (id) =>
              [...document.querySelectorAll(`[data-container="${id}"]`)].map((e) =>
                e.getAttribute("data-network"),
              ),
            containerId,
          );
          const topology = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
          const known = topology.containers
            .find((c) => c.id === containerId)
            ?.interfaces.map((i) => i.network);
          throw new Error(
            `the edge to ${net.name} (${net.id}) did not appear; page edges: ${edges.join(", ")}; server: ${known?.join(", ")}`,
            { cause: error },
          );
        });
      const seen = await tab.evaluate(() => (window as unknown as { __seen: number }).__seen);
      samples.push(seen - returned);
      await docker.getNetwork(net.id).disconnect({ Container: containerId });
      await tab.waitForSelector(selector, { state: "detached", timeout: 10_000 });
    }
    const p50 = quantile(samples, 0.5);
    const p95 = quantile(samples, 0.95);
    printTable("Event to screen (real engine, headless Chromium)", [
      {
        containers: count,
        samples: samples.length,
        p50: ms(p50),
        p95: ms(p95),
        max: ms(Math.max(...samples)),
        source: "real engine",
      },
    ]);
    target(`event-to-screen p50 at ${count} containers`, ms(p50), "< 100 ms", p50 < 100);
    target(`event-to-screen p95 at ${count} containers`, ms(p95), "< 250 ms", p95 < 250);
  } finally {
    await browser.close();
    await server.close();
    await page.remove();
  }
}
