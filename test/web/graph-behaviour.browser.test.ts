import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../server/http/server.ts";
import { ENGINE_URL } from "../support/engine.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { HTTPD, SLEEP, Scenario } from "../support/scenario.ts";
import { buildPage, cleanupAll, containerNode, launchBrowser, openPage } from "./browser.ts";

/** Engine event → collector → SSE → DOM, and a layout coming to rest; generous: a timing is no assertion. */
const WAIT = { timeout: 60_000 } as const;

type Running = Awaited<ReturnType<typeof startServer>>;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let scenario: Scenario | undefined;
let server: Running | undefined;
let net: ScenarioNetwork;
let other: ScenarioNetwork;
let web1: ScenarioContainer;
let longName: ScenarioContainer;
let db: ScenarioContainer;

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  scenario = await Scenario.create();
  net = await scenario.network("front");
  other = await scenario.network("back");
  web1 = await scenario.container("web", { network: net.name, command: HTTPD, publish: ["127.0.0.1::80"] });
  longName = await scenario.container("a-rather-long-name-for-the-billing-service-1", {
    network: net.name,
    command: SLEEP,
  });
  db = await scenario.container("db", { network: other.name, command: SLEEP });
  // A compose project of their own, so "collapse all projects" has something to collapse.
  const compose = {
    "com.docker.compose.project": `${scenario.runId}-shop`,
    "com.docker.compose.service": "worker",
  };
  for (let i = 0; i < 6; i++)
    await scenario.container(`worker-${i}`, {
      network: net.name,
      command: SLEEP,
      labels: { ...compose, "com.docker.compose.container-number": String(i + 1) },
    });
  server = await startServer({ host: "127.0.0.1", port: 0, engine: ENGINE_URL, webRoot: web.dir });
});

afterAll(() =>
  cleanupAll([
    () => browser?.close() ?? Promise.resolve(),
    server?.close,
    () => scenario?.cleanup() ?? Promise.resolve(),
    web?.remove,
  ]),
);

async function open(query = ""): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser as Browser, `${(server as Running).url}/${query}`);
  await opened.page.waitForSelector(containerNode(web1.id), { state: "attached", ...WAIT });
  await opened.page.waitForFunction(() => window.__reachgraph?.layoutSettled(), null, WAIT);
  return opened;
}

/**
 * In the page: whether every drawn node is inside the graph panel and together they fill it (or the zoom is at
 * its cap), with the layout at rest.
 */
const FRAMED = (): boolean => {
  const hooks = window.__reachgraph;
  const panel = document.getElementById("panel-graph")?.getBoundingClientRect();
  if (!hooks || !panel || !hooks.layoutSettled()) return false;
  const rects = [...document.querySelectorAll<SVGGElement>("#graph g.node .shape")].map((g) =>
    g.getBoundingClientRect(),
  );
  if (rects.length === 0) return false;
  const inside = rects.every(
    (r) => r.left >= panel.left && r.right <= panel.right && r.top >= panel.top && r.bottom <= panel.bottom,
  );
  const [x0, x1] = [Math.min(...rects.map((r) => r.left)), Math.max(...rects.map((r) => r.right))];
  const [y0, y1] = [Math.min(...rects.map((r) => r.top)), Math.max(...rects.map((r) => r.bottom))];
  const fill = Math.max((x1 - x0) / panel.width, (y1 - y0) / panel.height);
  return inside && (fill >= 0.5 || hooks.zoom().k >= 1.99);
};
const framed = (page: Page): Promise<boolean> => page.evaluate(FRAMED);

/** Zooms far into a corner with the wheel, as a user would, so only a fit can bring the graph back. */
async function zoomAway(page: Page): Promise<void> {
  const panel = await page.locator("#panel-graph").boundingBox();
  if (!panel) throw new Error("no graph panel");
  await page.mouse.move(panel.x + 30, panel.y + 30);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400);
  await page.waitForFunction(() => (window.__reachgraph?.zoom().k ?? 0) >= 2);
  expect(await framed(page)).toBe(false);
}

describe("the graph's behaviours on a live engine", () => {
  it("draws published ports as edges from the Docker host, labelled with the binding", async () => {
    const { page, errors } = await open();
    const edge = `line[data-kind="published"][data-container="${web1.id}"]`;
    await page.waitForSelector(edge, { state: "attached", ...WAIT });
    await page.waitForSelector('g.node[data-kind="host"]', { state: "attached" });
    const labels = await page.locator("#graph text.link-label").allTextContents();
    expect(labels.some((t) => /^127\.0\.0\.1:\d+→80\/tcp$/.test(t))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows no two labels overlapping at the first fit, none below 9 px, long names shortened in the middle", async () => {
    const { page, errors } = await open();
    await page.waitForFunction(FRAMED, null, WAIT);
    const boxes = await page.evaluate(() =>
      [
        ...document.querySelectorAll<SVGTextElement>(
          "#graph text.label, #graph text.sub, #graph text.link-label",
        ),
      ]
        .filter(
          (t) => t.textContent && t.getClientRects().length > 0 && getComputedStyle(t).display !== "none",
        )
        .map((t) => {
          const r = t.getBoundingClientRect();
          const px = parseFloat(getComputedStyle(t).fontSize) * (window.__reachgraph?.zoom().k ?? 1);
          const scaled = t.closest("g.labels");
          const lz = scaled ? parseFloat(getComputedStyle(scaled).scale) || 1 : 1;
          return { text: t.textContent ?? "", x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, px: px * lz };
        }),
    );
    expect(boxes.length).toBeGreaterThan(5);
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        // Half a pixel of slack for anti-aliased glyph edges.
        if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5)
          overlaps.push(`${a.text} / ${b.text}`);
      }
    expect(overlaps).toEqual([]);
    for (const b of boxes) expect(b.px, b.text).toBeGreaterThanOrEqual(9 - 0.01);
    const node = page.locator(containerNode(longName.id));
    const label = (await node.locator("text.label").textContent()) ?? "";
    expect(label).toContain("…");
    expect(label.length).toBeLessThanOrEqual(24);
    expect(await node.locator("title").textContent()).toContain(longName.name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("search dims what does not match, lists the matches, zooms to one on Enter; / focuses it", async () => {
    const { page, errors } = await open();
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
    await page.keyboard.type(db.name);
    await page.waitForSelector("#graph.searching");
    await page.waitForSelector(`${containerNode(db.id)}.match`, { state: "attached" });
    expect(await page.locator("#graph g.node.match").count()).toBe(1);
    expect(await page.locator(`${containerNode(web1.id)}.match`).count()).toBe(0);
    expect(await page.locator(`#search-results li[data-id="${db.id}"]`).count()).toBe(1);
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (id) => {
        const hooks = window.__reachgraph;
        const found = hooks?.find(id);
        const panel = document.getElementById("panel-graph")?.getBoundingClientRect();
        if (!hooks || !found || !panel) return false;
        const centred =
          Math.abs(found.x - (panel.left + panel.width / 2)) < 30 &&
          Math.abs(found.y - (panel.top + panel.height / 2)) < 30;
        return centred && hooks.zoom().k >= 1.59;
      },
      db.id,
      WAIT,
    );
    expect(await page.evaluate(() => window.__reachgraph?.selected())).toBe(db.id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("?q= applies the search on load", async () => {
    const { page, errors } = await open(`?q=${encodeURIComponent(db.name)}`);
    await page.waitForSelector(`#graph.searching ${containerNode(db.id)}.match`, { state: "attached" });
    expect(await page.locator("#graph g.node.match").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("re-fits the view after a filter, a focus and a collapse, as a deep link does", async () => {
    const { page, errors } = await open();
    await page.waitForFunction(FRAMED, null, WAIT);
    await zoomAway(page);
    await page.selectOption("#filter-network", net.name);
    await page.waitForFunction(FRAMED, null, WAIT);
    // The filter alone, as a link someone shares (the URL also holds the zoom the user chose).
    const filtered = await page.evaluate(() => {
      const params = new URL(location.href).searchParams;
      params.delete("zoom");
      return `?${params.toString()}`;
    });
    expect(filtered).toContain("net=");

    await zoomAway(page);
    await page.selectOption("#filter-network", "");
    await page.waitForFunction(FRAMED, null, WAIT);

    await zoomAway(page);
    await page.locator(containerNode(web1.id)).dispatchEvent("click");
    await page.waitForFunction((id) => window.__reachgraph?.selected() === id, web1.id);
    await page.click("#scope-focus");
    await page.waitForSelector('.scope-chip[data-undo="focus"]', { state: "attached" });
    await page.waitForFunction(FRAMED, null, WAIT);

    await zoomAway(page);
    await page.click("#scope-collapse-all");
    await page.waitForFunction(FRAMED, null, WAIT);

    // The deep link of the filtered view frames it the same way.
    const deep = await open(filtered);
    await deep.page.waitForFunction(FRAMED, null, WAIT);
    expect(deep.errors).toEqual([]);
    await deep.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });
});
