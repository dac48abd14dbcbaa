import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Topology } from "../../server/model/topology.ts";
import { startServer } from "../../server/http/server.ts";
import { docker } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { SLEEP, Scenario } from "../support/scenario.ts";
import {
  buildPage,
  cleanupAll,
  containerNode,
  interfaceEdge,
  launchBrowser,
  networkNode,
  openPage,
} from "./browser.ts";

/** Engine event → collector → SSE → DOM; generous, because a timing is no assertion here. */
const LIVE_WAIT = { state: "attached", timeout: 45_000 } as const;

type Running = Awaited<ReturnType<typeof startServer>>;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
});

afterAll(() => cleanupAll([() => browser?.close() ?? Promise.resolve(), web?.remove]));

describe("the graph on a live engine", () => {
  let scenario: Scenario | undefined;
  let server: Running | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  let front: ScenarioNetwork;
  let back: ScenarioNetwork;
  let a: ScenarioContainer;
  let b: ScenarioContainer;

  beforeAll(async () => {
    // Fails (never skips) with the engine URL and the reason when there is no engine.
    scenario = await Scenario.create();
    front = await scenario.network("front");
    back = await scenario.network("back");
    a = await scenario.container("a", { network: front.name, command: SLEEP });
    b = await scenario.container("b", { network: front.name, command: SLEEP });
    server = await startServer({ host: "127.0.0.1", port: 0, engine: ENGINE_URL, webRoot: web?.dir });
    ({ page, errors } = await openPage(browser as Browser, server.url));
    // A reload would lose this; the live updates below must arrive without one.
    await page.evaluate(() => {
      (window as unknown as { __reachgraphTest: string }).__reachgraphTest = "same page";
    });
  });

  afterAll(() =>
    cleanupAll([
      () => page?.close() ?? Promise.resolve(),
      server?.close,
      () => scenario?.cleanup() ?? Promise.resolve(),
    ]),
  );

  const samePage = (): Promise<string | undefined> =>
    (page as Page).evaluate(() => (window as unknown as { __reachgraphTest?: string }).__reachgraphTest);

  it("draws the containers, their network and the edges between them", async () => {
    const p = page as Page;
    await p.waitForSelector(containerNode(a.id), LIVE_WAIT);
    await p.waitForSelector(containerNode(b.id), LIVE_WAIT);
    await p.waitForSelector(networkNode(front.id), LIVE_WAIT);
    expect(await p.locator(`${containerNode(a.id)} text.label`).textContent()).toBe(a.name);
    expect(await p.locator(interfaceEdge(a.id, front.id)).count()).toBe(1);
    expect(await p.locator(interfaceEdge(b.id, front.id)).count()).toBe(1);
    expect(await p.locator("#banner").getAttribute("data-kinds")).not.toMatch(/example|unreachable/);
  });

  it("shows a container's details on keyboard focus and Enter, and clears them on Escape", async () => {
    const p = page as Page;
    await p.focus(containerNode(a.id));
    await p.keyboard.press("Enter");
    await p.waitForSelector(`#details.pinned[data-id="${a.id}"]`);
    const text = (await p.locator("#details").textContent()) ?? "";
    expect(text).toContain(a.name);
    expect(text).toContain("reachgraph-busybox");
    expect(text).toContain(front.name);
    expect(text).toMatch(/10\.213\.\d+\.\d+\/24/);
    await p.keyboard.press("Escape");
    await p.waitForSelector('#details[data-kind="none"]');
  });

  it("adds a container started after the page opened, without a reload", async () => {
    const c = await (scenario as Scenario).container("c", { network: front.name, command: SLEEP });
    const p = page as Page;
    await p.waitForSelector(containerNode(c.id), LIVE_WAIT);
    await p.waitForSelector(interfaceEdge(c.id, front.id), LIVE_WAIT);
    expect(await samePage()).toBe("same page");
  });

  it("draws the new edge when a running container joins a second network", async () => {
    await docker("network", "connect", back.name, a.name);
    const p = page as Page;
    await p.waitForSelector(networkNode(back.id), LIVE_WAIT);
    await p.waitForSelector(interfaceEdge(a.id, back.id), LIVE_WAIT);
    expect(await p.locator(interfaceEdge(a.id, front.id)).count()).toBe(1);
    expect(await samePage()).toBe("same page");
    expect(errors).toEqual([]);
  });
});

describe("the graph on the bundled example", () => {
  let server: Running | undefined;
  let page: Page | undefined;

  afterAll(() => cleanupAll([() => page?.close() ?? Promise.resolve(), server?.close]));

  it("says the data is an example, draws every container and network", async () => {
    server = await startServer({ host: "127.0.0.1", port: 0, demo: true, webRoot: web?.dir });
    const topology = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
    const opened = await openPage(browser as Browser, server.url, { width: 1600, height: 1000 });
    page = opened.page;
    await page.waitForSelector('#banner[data-kinds~="example"]');
    expect(await page.locator("#banner").textContent()).toContain("Example data");
    await page.waitForSelector('svg[data-layout="settled"]');
    expect(await page.locator('g[data-kind="container"]').count()).toBe(topology.containers.length);
    // H-1 / NO-1: the host network is the Docker host node, `none` a mark on its containers.
    const hubs = topology.networks.filter((n) => n.driver !== "host" && n.driver !== "null");
    expect(await page.locator('g[data-kind="network"]').count()).toBeGreaterThanOrEqual(hubs.length);
    expect(await page.locator('g[data-kind="host"]').count()).toBe(1);
    const first = topology.containers.find((c) => c.state === "running") ?? topology.containers[0];
    expect(await page.locator(`${containerNode(first.id)} text.label`).count()).toBe(1);
    expect(opened.errors).toEqual([]);
  });
});
