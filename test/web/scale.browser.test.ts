import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../server/http/server.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import type { ReplayEngine } from "../support/replay-engine.ts";
import { startReplayEngine } from "../support/replay-engine.ts";
import { syntheticRecording } from "../support/synthetic.ts";
import { buildPage, cleanupAll, launchBrowser } from "./browser.ts";

type Running = Awaited<ReturnType<typeof startServer>>;
const CONTAINERS = 5_000;
/** Snapshot, SSE and a first layout of 5,000 containers; generous, because a timing is no assertion here. */
const LOAD = { timeout: 90_000 } as const;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let replay: ReplayEngine | undefined;
let server: Running | undefined;
let topology: Topology;

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  replay = await startReplayEngine(syntheticRecording({ containers: CONTAINERS, networks: 500 }));
  server = await startServer({ host: "127.0.0.1", port: 0, engine: replay.url, webRoot: web.dir });
  topology = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
});

afterAll(() =>
  cleanupAll([
    () => browser?.close() ?? Promise.resolve(),
    server?.close,
    () => replay?.close() ?? Promise.resolve(),
    web?.remove,
  ]),
);

/** Every container and network is a node, except `none`, which is a mark on its containers (NO-1). */
const drawnNodes = (): number =>
  topology.containers.length + topology.networks.filter((n) => n.driver !== "null").length;

async function open(query = ""): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
    if (m.type() === "warning") warnings.push(m.text());
  });
  await page.goto(`${server?.url}/${query}`);
  await page.waitForFunction(() => (window.__reachgraph?.nodeCount() ?? 0) > 0, null, LOAD);
  return { page, errors, warnings };
}

type Action =
  | { op: "input"; selector: string; value: string }
  | { op: "key"; selector: string; key: string }
  | { op: "click"; selector: string };

/** Does one thing in the page, then waits two animation frames: what the page must show "at once". */
function inTwoFrames(page: Page, action: Action): Promise<void> {
  return page.evaluate(async (a) => {
    const el = document.querySelector(a.selector) as HTMLInputElement | HTMLSelectElement;
    if (!el) throw new Error(`no ${a.selector} in the page`);
    if (a.op === "click") el.click();
    else if (a.op === "key") {
      el.focus();
      el.dispatchEvent(new KeyboardEvent("keydown", { key: a.key, bubbles: true }));
    } else {
      el.focus();
      el.value = a.value;
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    }
    for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  }, action);
}

const input = (selector: string, value: string): Action => ({ op: "input", selector, value });
const key = (selector: string, k: string): Action => ({ op: "key", selector, key: k });
const click = (selector: string): Action => ({ op: "click", selector });

function projectOf(c: Container): string {
  return c.compose?.project ?? "";
}

describe("the graph at 5,000 replayed containers", () => {
  let page: Page;
  let errors: string[];
  let c: Container;

  beforeAll(async () => {
    ({ page, errors } = await open());
    c = topology.containers[1234];
  });

  afterAll(() => page?.close());

  it("draws on a canvas, with test hooks and an aria-live summary instead of DOM nodes", async () => {
    expect(await page.evaluate(() => window.__reachgraph?.mode())).toBe("canvas");
    expect(await page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(drawnNodes());
    expect(await page.locator("#graph-live").count()).toBe(1);
    expect(await page.locator('g[data-kind="container"]').count()).toBe(0);
  });

  it("answers a search by name at once, and Enter selects the match and brings it into view", async () => {
    await inTwoFrames(page, input("#search", c.name));
    expect(await page.locator("#search-results li").first().getAttribute("data-id")).toBe(c.id);
    expect(await page.locator("#search-results").isHidden()).toBe(false);
    await inTwoFrames(page, key("#search", "Enter"));
    expect(await page.evaluate(() => window.__reachgraph?.selected())).toBe(c.id);
    const found = await page.evaluate((id) => window.__reachgraph?.find(id), c.id);
    expect(found?.visible).toBe(true);
  });

  it("finds a container by IP address and by label", async () => {
    const ip = c.interfaces[0].ipv4 as string;
    await inTwoFrames(page, input("#search", ip));
    const ids = await page.locator("#search-results li").evaluateAll((els) => els.map((e) => e.dataset.id));
    expect(ids).toContain(c.id);
    await inTwoFrames(page, input("#search", `com.docker.compose.project=${projectOf(c)}`));
    const labelled = [...topology.containers, ...topology.networks].filter(
      (x) => x.labels["com.docker.compose.project"] === projectOf(c),
    ).length;
    expect(Number(await page.locator("#search-results").getAttribute("data-total"))).toBe(labelled);
    await inTwoFrames(page, input("#search", ""));
  });

  it("filters by compose project at once, and Clear restores the whole graph", async () => {
    await inTwoFrames(page, input("#filter-project", projectOf(c)));
    const members = topology.containers.filter((x) => projectOf(x) === projectOf(c));
    const networks = new Set(members.flatMap((m) => m.interfaces.map((i) => i.networkId)));
    expect(await page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(members.length + networks.size);
    await inTwoFrames(page, click("#filter-clear"));
    expect(await page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(drawnNodes());
  });

  it("collapses a compose project into one node and expands it again", async () => {
    const members = topology.containers.filter((x) => projectOf(x) === projectOf(c)).length;
    const before = (await page.evaluate(() => window.__reachgraph?.nodeCount())) as number;
    await inTwoFrames(page, click("#scope-collapse-project"));
    const group = `compose:${projectOf(c)}`;
    expect(await page.evaluate((id) => window.__reachgraph?.find(id)?.label, group)).toContain("×");
    expect(await page.evaluate((id) => window.__reachgraph?.find(id), c.id)).toBeNull();
    expect(await page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(before - members + 1);
    await inTwoFrames(page, click(`.scope-chip[data-undo="${projectOf(c)}"]`));
    expect(await page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(before);
  });

  it("focuses on one container: its networks and their members, nothing unrelated", async () => {
    await inTwoFrames(page, input("#search", c.name));
    await inTwoFrames(page, key("#search", "Enter"));
    await inTwoFrames(page, click("#scope-focus"));
    const nets = new Set(c.interfaces.map((i) => i.networkId));
    const stranger = topology.containers.find(
      (x) => projectOf(x) !== projectOf(c) && !x.interfaces.some((i) => nets.has(i.networkId)),
    ) as Container;
    for (const id of [c.id, ...nets])
      expect(await page.evaluate((x) => window.__reachgraph?.find(x), id)).not.toBeNull();
    expect(await page.evaluate((x) => window.__reachgraph?.find(x), stranger.id)).toBeNull();
    await inTwoFrames(page, click('.scope-chip[data-undo="focus"]'));
    expect(await page.evaluate((x) => window.__reachgraph?.find(x), stranger.id)).not.toBeNull();
  });

  it("moves between nodes with the keyboard on the canvas and selects with Enter", async () => {
    // Enter toggles a selection; start from none, so it selects.
    await page.keyboard.press("Escape");
    await page.evaluate(() => (document.getElementById("graph-canvas") as HTMLElement).focus());
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const selected = await page.evaluate(() => window.__reachgraph?.selected());
    expect(selected).toBeTruthy();
    expect(await page.locator("#graph-live").textContent()).toMatch(/(container|network) /);
    expect(errors).toEqual([]);
  });

  it("shows a container that stopped on the engine without a reload", async () => {
    const victim = (replay as ReplayEngine).data.containers[4321];
    victim.State = "exited";
    victim.Status = "Exited (0) 1 second ago";
    const inspect = (replay as ReplayEngine).data.containerInspects[victim.Id];
    if (inspect.State) Object.assign(inspect.State, { Status: "exited", Running: false });
    (replay as ReplayEngine).emit({
      Type: "container",
      Action: "die",
      Actor: { ID: victim.Id, Attributes: {} },
    });
    await page.waitForFunction(
      (id) => window.__reachgraph?.find(id)?.cls.includes("state-exited"),
      victim.Id,
      LOAD,
    );
    expect(errors).toEqual([]);
  });
});

describe("view state in the URL", () => {
  it("reopens the same filters, search and selection from the link, and ignores bad values", async () => {
    const first = await open();
    const c = topology.containers[77];
    await inTwoFrames(first.page, input("#filter-project", projectOf(c)));
    await inTwoFrames(first.page, input("#filter-state", "running"));
    await inTwoFrames(first.page, input("#search", c.name));
    await inTwoFrames(first.page, key("#search", "Enter"));
    await first.page.waitForFunction(() => location.search.includes("sel="));
    const url = new URL(first.page.url());
    const count = await first.page.evaluate(() => window.__reachgraph?.nodeCount());
    await first.page.close();

    const again = await open(url.search);
    expect(await again.page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(count);
    expect(await again.page.locator("#filter-project").inputValue()).toBe(projectOf(c));
    expect(await again.page.locator("#filter-state").inputValue()).toBe("running");
    expect(await again.page.locator("#search").inputValue()).toBe(c.name);
    expect(await again.page.evaluate(() => window.__reachgraph?.selected())).toBe(c.id);
    expect(again.errors).toEqual([]);
    await again.page.close();

    const bad = await open("?state=sleeping&zoom=1,2,nope&net=%3Cscript%3E&tab=graph");
    expect(await bad.page.evaluate(() => window.__reachgraph?.nodeCount())).toBe(drawnNodes());
    expect(bad.warnings.join("\n")).toMatch(/ignoring \?state=sleeping/);
    expect(bad.warnings.join("\n")).toMatch(/ignoring \?zoom=1,2,nope/);
    expect(bad.errors).toEqual([]);
    await bad.page.close();
  });
});
