import type { Browser, Page } from "playwright-core";
import { fleetTopology } from "../server/example/fleet.ts";
import { staticFeed } from "../server/feed/feed.ts";
import { startServer } from "../server/http/server.ts";
import type { FleetRecording } from "../server/model/engine-api.ts";
import { startReplayEngine } from "../test/support/replay-engine.ts";
import { syntheticRecording } from "../test/support/synthetic.ts";
import { buildPage, launchBrowser } from "../test/web/browser.ts";
import { printTable, target } from "./stats.ts";
import type { Row } from "./stats.ts";

const FPS_MS = 3_000;
const LOAD = { timeout: 180_000 } as const;

interface Measured {
  containers: number;
  nodes: number;
  mode: string;
  firstDrawMs: number;
  settleMs: number;
  fpsLayout: number;
  fpsPan: number;
  heapMb: number;
  searchMs: number;
}

/** Frames per second over `FPS_MS` (see `window.__reachgraph.fps`); `pan` redraws every frame. */
function fps(page: Page, pan: boolean): Promise<number> {
  return page.evaluate(
    ({ ms, pan }) => (window.__reachgraph as NonNullable<Window["__reachgraph"]>).fps(ms, pan),
    {
      ms: FPS_MS,
      pan,
    },
  );
}

/** Time from typing a name into the search box to the frame after its results are in the list. */
function searchAnswer(page: Page, name: string): Promise<number> {
  return page.evaluate(async (query) => {
    const input = document.getElementById("search") as HTMLInputElement;
    input.focus();
    const start = performance.now();
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const found = document.querySelector("#search-results li") !== null;
    const elapsed = performance.now() - start;
    input.value = "";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.blur();
    return found ? elapsed : Number.NaN;
  }, name);
}

/** A page to measure: a server on it, the name of a container to search for, and how to stop both. */
interface Served {
  url: string;
  containers: number;
  searchFor: string;
  close(): Promise<void>;
}

/** One replayed synthetic engine, served live. */
async function serveEngine(webRoot: string, containers: number): Promise<Served> {
  const recording = syntheticRecording({ containers, networks: Math.max(10, Math.round(containers / 10)) });
  const engine = await startReplayEngine(recording);
  const server = await startServer({ host: "127.0.0.1", port: 0, engine: engine.url, webRoot });
  return {
    url: server.url,
    containers,
    searchFor: recording.containers[Math.floor(containers / 2)].Names[0].slice(1),
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}

/**
 * A fleet of `machines` synthetic engines (each its own seed), merged as the collector merges a fleet
 * (fleetTopology), served as a snapshot: the page lays each machine out in its own tile.
 */
async function serveFleet(webRoot: string, machines: number, containers: number): Promise<Served> {
  const each = Math.round(containers / machines);
  const recording: FleetRecording = {
    engines: Array.from({ length: machines }, (_, i) => ({
      key: `node${i + 1}`,
      recording: syntheticRecording({
        containers: each,
        networks: Math.max(5, Math.round(each / 10)),
        seed: i + 1,
      }),
    })),
  };
  const source = {
    kind: "snapshot" as const,
    label: `synthetic fleet of ${machines}`,
    capturedAt: new Date().toISOString(),
  };
  const topology = fleetTopology(recording, source);
  const server = await startServer({ host: "127.0.0.1", port: 0, feed: staticFeed(topology), webRoot });
  return {
    url: server.url,
    containers: topology.containers.length,
    searchFor: topology.containers[Math.floor(topology.containers.length / 2)].name,
    close: () => server.close(),
  };
}

async function measure(browser: Browser, served: Served): Promise<Measured> {
  const { containers } = served;
  const server = served;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const start = performance.now();
    await page.goto(server.url);
    await page.waitForFunction(() => (window.__reachgraph?.nodeCount() ?? 0) > 0, null, LOAD);
    const firstDrawMs = performance.now() - start;
    // Small graphs are laid out before their first paint; heat them up again to draw while the layout runs.
    await page.waitForFunction(() => !window.__reachgraph?.layoutPending(), null, LOAD);
    const running = await page.evaluate(() => !window.__reachgraph?.layoutSettled());
    if (!running) await page.evaluate(() => window.__reachgraph?.reheat(1));
    const fpsLayout = await fps(page, false);
    await page.waitForFunction(() => window.__reachgraph?.layoutSettled(), null, { ...LOAD, polling: 100 });
    const settleMs = running ? performance.now() - start - firstDrawMs : Number.NaN;
    const fpsPan = await fps(page, true);
    const name = served.searchFor;
    const searches = [];
    for (let i = 0; i < 5; i++) searches.push(await searchAnswer(page, name));
    const { metrics } = (await cdp.send("Performance.getMetrics")) as {
      metrics: Array<{ name: string; value: number }>;
    };
    const heap = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? Number.NaN;
    const [mode, nodes] = await page.evaluate(() => [
      window.__reachgraph?.mode() ?? "",
      window.__reachgraph?.nodeCount() ?? 0,
    ]);
    return {
      containers,
      nodes: Number(nodes),
      mode: String(mode),
      firstDrawMs,
      settleMs,
      fpsLayout,
      fpsPan,
      heapMb: heap / 1024 / 1024,
      searchMs: searches.sort((a, b) => a - b)[2],
    };
  } finally {
    await page.close();
    await served.close();
  }
}

/**
 * The page at scale in headless Chromium (no GPU: canvas is rasterised on the CPU), on replayed synthetic
 * engines: frame rate while the layout runs and while panning a settled graph, time to settle, JS heap, and
 * the search's answer time.
 */
export async function benchRender(sizes: number[]): Promise<void> {
  const web = await buildPage();
  const browser = await launchBrowser();
  const results: Measured[] = [];
  try {
    for (const containers of sizes)
      results.push(await measure(browser, await serveEngine(web.dir, containers)));
  } finally {
    await browser.close();
    await web.remove();
  }
  const rows: Row[] = results.map((r) => ({
    containers: r.containers,
    nodes: r.nodes,
    renderer: r.mode,
    "first draw": `${(r.firstDrawMs / 1000).toFixed(1)} s`,
    "fps layout running": r.fpsLayout.toFixed(1),
    "layout settles in": Number.isNaN(r.settleMs)
      ? "before first paint"
      : `${(r.settleMs / 1000).toFixed(1)} s`,
    "fps settled (panning)": r.fpsPan.toFixed(1),
    "JS heap": `${r.heapMb.toFixed(0)} MB`,
    "search answer": `${r.searchMs.toFixed(1)} ms`,
    source: "replayed (synthetic)",
  }));
  printTable("Page rendering at scale (headless Chromium, --disable-gpu, replayed engine)", rows);
  for (const r of results) {
    const goal = r.containers <= 1_000 ? 55 : r.containers <= 5_000 ? 45 : null;
    if (goal !== null)
      target(
        `render fps at ${r.containers} containers (layout running, replayed)`,
        `${r.fpsLayout.toFixed(1)} fps`,
        `≥ ${goal} fps`,
        r.fpsLayout >= goal,
      );
    if (r.containers >= 10_000) {
      target(
        `first draw at ${r.containers} containers (replayed)`,
        `${(r.firstDrawMs / 1000).toFixed(1)} s`,
        "< 2 s",
        r.firstDrawMs < 2_000,
      );
      target(
        `search answer at ${r.containers} containers (replayed)`,
        `${r.searchMs.toFixed(1)} ms`,
        "≤ 100 ms",
        r.searchMs <= 100,
      );
      target(
        `pan frame at ${r.containers} containers (settled, replayed)`,
        `${(1000 / r.fpsPan).toFixed(0)} ms`,
        "≤ 100 ms",
        1000 / r.fpsPan <= 100,
      );
    }
  }
}

/**
 * A fleet's page (machines as tiles, overlays in the band above): frame rate while the layout runs and while
 * panning, as for one engine; the target is one engine's at the same size.
 */
export async function benchRenderFleet(
  fleets: Array<{ machines: number; containers: number }>,
): Promise<void> {
  const web = await buildPage();
  const browser = await launchBrowser();
  const results: Array<Measured & { machines: number }> = [];
  try {
    for (const f of fleets)
      results.push({
        ...(await measure(browser, await serveFleet(web.dir, f.machines, f.containers))),
        machines: f.machines,
      });
  } finally {
    await browser.close();
    await web.remove();
  }
  printTable(
    "Fleet page rendering (headless Chromium, --disable-gpu, synthetic engines merged)",
    results.map((r) => ({
      machines: r.machines,
      containers: r.containers,
      nodes: r.nodes,
      renderer: r.mode,
      "first draw": `${(r.firstDrawMs / 1000).toFixed(1)} s`,
      "fps layout running": r.fpsLayout.toFixed(1),
      "fps settled (panning)": r.fpsPan.toFixed(1),
      "JS heap": `${r.heapMb.toFixed(0)} MB`,
      source: "synthetic fleet (merged)",
    })),
  );
  for (const r of results) {
    const goal = r.containers <= 1_000 ? 55 : r.containers <= 5_000 ? 45 : null;
    if (goal !== null)
      target(
        `fleet render fps, ${r.machines} machines / ${r.containers} containers (layout running)`,
        `${r.fpsLayout.toFixed(1)} fps`,
        `≥ ${goal} fps`,
        r.fpsLayout >= goal,
      );
  }
}
