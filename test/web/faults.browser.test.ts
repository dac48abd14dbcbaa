import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { ServerEvent } from "../../server/model/topology.ts";
import { EngineEvents } from "../support/engine-events.ts";
import type { EventsCuttingProxy } from "../support/engine-proxy.ts";
import { startEventsCuttingProxy } from "../support/engine-proxy.ts";
import type { ExtraEngine } from "../support/extra-engine.ts";
import { startExtraEngine } from "../support/extra-engine.ts";
import { removeContainers, startContainers, waitConverged } from "../support/faults.ts";
import { SseClient } from "../support/sse.ts";
import { buildPage, cleanupAll, containerNode, launchBrowser, openPage } from "./browser.ts";

/**
 * Faults survived on a real engine: a second, disposable dockerd (scripts/extra-engine.sh), since killing the
 * shared one would break every other test. Each fault ends with the served topology compared with what the
 * engine holds (`docker inspect`): nothing stale may remain.
 */
const LIVE_WAIT = { state: "attached", timeout: 60_000 } as const;
const GONE_WAIT = { state: "detached", timeout: 60_000 } as const;
const BURST = 300;

let engine: ExtraEngine | undefined;
let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  engine = await startExtraEngine();
  web = await buildPage();
  browser = await launchBrowser();
}, 300_000);

afterAll(() => cleanupAll([() => browser?.close() ?? Promise.resolve(), web?.remove, engine?.stop]));

const id = async (out: Promise<string>) => (await out).trim();

describe("dockerd killed with SIGKILL and restarted mid-session", () => {
  let server: RunningServer | undefined;
  let page: Page | undefined;

  afterAll(() => cleanupAll([() => page?.close() ?? Promise.resolve(), server?.close]));

  it("marks the page stale within 2 s, then resyncs with nothing stale left", async () => {
    const e = engine as ExtraEngine;
    await e.docker("network", "create", "kill-net");
    const keep = await id(
      e.docker("run", "-d", "--name", "keep", "--network", "kill-net", "busybox", "sleep", "3600"),
    );
    // `--rm` containers are removed by dockerd while it restores after the crash: gone without a live event.
    const gone = await id(e.docker("run", "-d", "--rm", "--name", "gone", "busybox", "sleep", "3600"));
    const again = await id(
      e.docker(
        "run",
        "-d",
        "--name",
        "again",
        "--restart",
        "always",
        "--network",
        "kill-net",
        "busybox",
        "sleep",
        "3600",
      ),
    );
    server = await startServer({ port: 0, engine: e.url, webRoot: web?.dir });
    const opened = await openPage(browser as Browser, server.url);
    page = opened.page;
    for (const c of [keep, gone, again]) await page.waitForSelector(containerNode(c), LIVE_WAIT);

    const killedAt = await e.kill();
    // The events stream breaks the moment dockerd dies: the page must say so within 2 s of the SIGKILL.
    await page.waitForSelector('#banner[data-kinds~="stale"]', {
      timeout: Math.max(1, killedAt + 2_000 - Date.now()),
    });

    await e.restart();
    const fresh = await id(
      e.docker("run", "-d", "--name", "fresh", "--network", "kill-net", "busybox", "sleep", "3600"),
    );
    await page.waitForSelector(containerNode(fresh), LIVE_WAIT);
    await page.waitForSelector(containerNode(gone), GONE_WAIT);
    await page.waitForFunction(
      () => !/stale|unreachable/.test(document.querySelector("#banner")?.getAttribute("data-kinds") ?? ""),
    );
    expect((await waitConverged(server.url, e)).join("\n")).toBe("");
    expect(opened.errors).toEqual([]);
  });
});

describe("the events stream cut by a proxy", () => {
  let proxy: EventsCuttingProxy | undefined;
  let server: RunningServer | undefined;
  let sse: SseClient | undefined;

  afterAll(() => cleanupAll([() => sse?.close() ?? Promise.resolve(), server?.close, proxy?.close]));

  it("marks the topology stale, resyncs after the cut and loses nothing that changed meanwhile", async () => {
    const e = engine as ExtraEngine;
    await e.docker("network", "create", "cut-net");
    const before = await id(
      e.docker("run", "-d", "--name", "cut-before", "--network", "cut-net", "busybox", "sleep", "3600"),
    );
    const moved = await id(e.docker("run", "-d", "--name", "cut-moved", "busybox", "sleep", "3600"));
    proxy = await startEventsCuttingProxy(e.socket);
    server = await startServer({ port: 0, engine: proxy.url, webRoot: web?.dir });
    sse = await SseClient.open(`${server.url}/api/events`);
    await sse.next((ev) => ev.type === "snapshot" && ev.topology.containers.some((c) => c.id === before));

    const from = sse.events.length;
    proxy.cutEvents();
    const cut = await sse.next((ev) => ev.type === "status" && ev.status.stale, 15_000, from);
    // While no events can arrive: a removal, a new container and a network change.
    await e.docker("rm", "--force", before);
    const during = await id(
      e.docker("run", "-d", "--name", "cut-during", "--network", "cut-net", "busybox", "sleep", "3600"),
    );
    await e.docker("network", "connect", "cut-net", moved);
    const opened = proxy.eventsConnections();
    proxy.resumeEvents();

    await sse.next((ev) => ev.type === "status" && !ev.status.stale, 60_000, sse.events.indexOf(cut) + 1);
    expect(proxy.eventsConnections()).toBeGreaterThan(opened);
    const served = sse.events.slice(from);
    const removed = served.some((ev) => ev.type === "delta" && ev.delta.removeContainers.includes(before));
    const added = served.some(
      (ev) => ev.type === "delta" && ev.delta.upsertContainers.some((c) => c.id === during),
    );
    expect({ removed, added }).toEqual({ removed: true, added: true });
    expect((await waitConverged(server.url, e)).join("\n")).toBe("");
  });
});

describe(`a burst of ${BURST} containers started and removed`, () => {
  let server: RunningServer | undefined;
  let page: Page | undefined;
  let sse: SseClient | undefined;
  let watcher: EngineEvents | undefined;

  afterAll(() =>
    cleanupAll([
      () => page?.close() ?? Promise.resolve(),
      () => sse?.close() ?? Promise.resolve(),
      async () => watcher?.stop(),
      server?.close,
    ]),
  );

  it("coalesces the engine's events into fewer deltas, and the page keeps answering", async () => {
    const e = engine as ExtraEngine;
    // The default bridge is a /24; the burst needs more addresses than that.
    await e.docker("network", "create", "burst-net");
    const anchor = await id(
      e.docker("run", "-d", "--name", "burst-anchor", "--network", "burst-net", "busybox", "sleep", "3600"),
    );
    server = await startServer({ port: 0, engine: e.url, webRoot: web?.dir });
    const opened = await openPage(browser as Browser, server.url);
    page = opened.page;
    await page.waitForSelector(containerNode(anchor), LIVE_WAIT);
    sse = await SseClient.open(`${server.url}/api/events`);
    await sse.next((ev) => ev.type === "snapshot");
    watcher = await EngineEvents.open(e.socket);

    const p = page;
    // While the burst runs, the page must keep drawing frames and answering the keyboard: one interaction each
    // time another tenth of the burst has started (progress, not a clock), and one more after the removal.
    const answer = async () => {
      await p.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      await p.focus(containerNode(anchor));
      await p.keyboard.press("Enter");
      await p.waitForSelector(`#details.pinned[data-id="${anchor}"]`, { timeout: 30_000 });
      await p.keyboard.press("Escape");
      await p.waitForSelector('#details[data-kind="none"]', { timeout: 30_000 });
    };
    // One after the other: two at once would press each other's keys.
    let answers = Promise.resolve();
    let answered = 0;
    const ask = () => {
      answers = answers.then(answer).then(() => void answered++);
    };
    let started = 0;
    const ids = await startContainers(e, "burst-", BURST, "burst-net", 8, () => {
      if (++started % (BURST / 10) === 0) ask();
    });
    const whileUp = await waitConverged(server.url, e);
    await removeContainers(e, ids);
    ask();
    const afterRemoval = await waitConverged(server.url, e);
    await answers;

    const engineEvents = watcher.count((ev) => ev.Type === "container" || ev.Type === "network");
    const deltas = sse.events.filter((ev: ServerEvent) => ev.type === "delta").length;
    console.info(`burst: ${engineEvents} engine events, ${deltas} deltas, ${answered} interactions answered`);
    expect(engineEvents).toBeGreaterThanOrEqual(BURST * 4); // create, connect, start, kill/die, disconnect, destroy
    expect(deltas).toBeGreaterThan(0);
    expect(deltas).toBeLessThan(engineEvents / 2);
    expect(answered).toBe(11);
    expect([...whileUp, ...afterRemoval].join("\n")).toBe("");
    expect(opened.errors).toEqual([]);
  }, 600_000);
});
