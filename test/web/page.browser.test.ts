/**
 * The page as a new user meets it, on the real engine at 1400×900: the side panel answers first and never
 * overflows, the probe result reads as rows, Export writes the filtered view, the URL reopens the whole view,
 * status ages count live, and the keys work. Every wait is on a condition of the page.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportDocument } from "../../server/model/export/index.ts";
import { explainPair, indexTopology } from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { humanDuration } from "../../web/status-age.ts";
import { engineJson } from "../support/engine.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { SLEEP, Scenario } from "../support/scenario.ts";
import { buildPage, cleanupAll, containerNode, launchBrowser, openPage, serveLiveEngine } from "./browser.ts";

/** Engine event → collector → SSE → DOM, and a probe run: generous, because a timing is no assertion here. */
const LIVE_WAIT = { state: "attached", timeout: 45_000 } as const;
const PROBE_WAIT = { timeout: 90_000 } as const;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let scenario: Scenario | undefined;
let server: Awaited<ReturnType<typeof serveLiveEngine>> | undefined;
let net: ScenarioNetwork;
let other: ScenarioNetwork;
let a: ScenarioContainer;
let b: ScenarioContainer;
let far: ScenarioContainer;
let project: string;
const pages: Page[] = [];

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  scenario = await Scenario.create();
  project = scenario.name("proj");
  const labels = (service: string) => ({
    "com.docker.compose.project": project,
    "com.docker.compose.service": service,
  });
  net = await scenario.network("net");
  other = await scenario.network("other");
  a = await scenario.container("a", { network: net.name, command: SLEEP, labels: labels("a") });
  // An exposed port gives the probe a TCP check (PP-9: exposing changes no reachability).
  b = await scenario.container("b", { network: net.name, expose: ["80"], labels: labels("b") });
  // On another bridge: a cannot reach it (UB-8), and the fix connects a to `other`.
  far = await scenario.container("far", { network: other.name, expose: ["80"], labels: labels("far") });
  server = await serveLiveEngine(web.dir);
});

afterAll(() =>
  cleanupAll([
    ...pages.map((p) => () => p.close()),
    server?.close,
    () => scenario?.cleanup() ?? Promise.resolve(),
    () => browser?.close() ?? Promise.resolve(),
    web?.remove,
  ]),
);

/** A page showing only this run's project (the project filter), with our three containers drawn. */
async function open(
  query = `?project=${encodeURIComponent(project)}`,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser as Browser, `${server?.url}/${query}`);
  pages.push(opened.page);
  for (const c of [a, b, far]) await opened.page.waitForSelector(containerNode(c.id), LIVE_WAIT);
  return opened;
}

/** Where an element is against the viewport and the side panel; `inside` when wholly within both. */
function placement(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const side = document.querySelector(".side")?.getBoundingClientRect();
    if (!el || !side) return { found: false, inside: false, box: null };
    const r = el.getBoundingClientRect();
    const inside =
      r.width > 0 &&
      r.height > 0 &&
      r.top >= Math.max(0, side.top) &&
      r.bottom <= Math.min(innerHeight, side.bottom) &&
      r.left >= side.left &&
      r.right <= Math.min(innerWidth, side.right);
    return { found: true, inside, box: [r.left, r.top, r.right, r.bottom].map(Math.round) };
  }, selector);
}

/** Everything drawn in the side panel that sticks out of it sideways, and panels that scroll sideways. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const side = document.querySelector(".side") as HTMLElement;
    const s = side.getBoundingClientRect();
    const out: string[] = [];
    for (const el of side.querySelectorAll<Element>("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > s.right + 0.5 || r.left < s.left - 0.5)
        out.push(`${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""} spans ${r.left}..${r.right}`);
    }
    for (const el of side.querySelectorAll<HTMLElement>(".details, .explain, .whatif, .legend"))
      if (el.scrollWidth > el.clientWidth + 1) out.push(`#${el.id} scrolls sideways`);
    return out;
  });
}

const foldOpen = (page: Page, id: string) =>
  page.locator(`#${id}`).evaluate((d) => (d as HTMLDetailsElement).open);

async function explainPairOf(page: Page, from: string, to: string): Promise<void> {
  await page.click(containerNode(from));
  await page.click(containerNode(to), { modifiers: ["Shift"] });
  await page.waitForSelector(`#explain[data-from="${from}"][data-to="${to}"]`);
}

describe("the page at 1400×900 on a live engine", () => {
  it("shows the verdict, the deciding rule and the fix with Copy without scrolling, What-if and legend folded", async () => {
    const { page, errors } = await open();
    expect(await foldOpen(page, "legend-fold")).toBe(true);
    await explainPairOf(page, a.id, far.id);
    const topology = (await (await fetch(`${server?.url}/api/topology`)).json()) as Topology;
    const e = explainPair(indexTopology(topology), a.id, far.id);
    expect(e.verdict).toBe("blocked");
    expect(await page.locator("#explain").getAttribute("data-verdict")).toBe("blocked");
    expect(await page.locator("#explain .verdict").textContent()).toContain(`cannot reach`);
    for (const sel of [
      "#explain .verdict",
      "#explain .deciding",
      "#explain .fix .command",
      "#explain button.copy",
    ])
      expect(await placement(page, sel), sel).toMatchObject({ found: true, inside: true });
    expect(await page.locator("#explain").evaluate((el) => el.scrollTop)).toBe(0);
    expect(await page.locator("#explain .fix code").allTextContents()).toEqual(e.fix?.commands);
    expect(await foldOpen(page, "whatif-fold")).toBe(false);
    expect(await foldOpen(page, "legend-fold")).toBe(false);
    expect(await overflowing(page)).toEqual([]);

    // What-if opened for the selected container: its selects and inputs stay inside the panel.
    await page.click('#explain [aria-label="Close the explanation"]');
    await page.click("#whatif-fold summary");
    await page.waitForSelector(".whatif-controls[data-kind='container'] .whatif-connect-net", {
      state: "visible",
    });
    expect(await overflowing(page)).toEqual([]);
    // The Matrix tab has no graph legend.
    await page.click("#tab-matrix");
    await page.waitForSelector("#panel-matrix .mx-row");
    expect(await page.locator("#legend-fold").isVisible()).toBe(false);
    // The matrix key says the direction: rows are sources.
    expect(await page.locator(".mx-legend").textContent()).toContain("row cannot reach column");
    await page.click("#tab-graph");
    expect(await page.locator("#legend-fold").isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it("shows the probe result as stacked rows that never break a word letter by letter", async () => {
    const { page, errors } = await open();
    await explainPairOf(page, a.id, b.id);
    await page.click("#explain button.probe-now");
    await page.waitForSelector('#explain section.probe[data-state="done"]', PROBE_WAIT);
    const rows = await page.locator("#explain ul.checks li.check").evaluateAll((lis) =>
      lis.map((li) => ({
        kind: (li as HTMLElement).dataset.kind,
        kindLines: li.querySelector("strong")?.getClientRects().length ?? 0,
        targetLines: li.querySelector("code")?.getClientRects().length ?? 0,
        targetHeight: li.querySelector("code")?.getBoundingClientRect().height ?? 0,
        lineHeight: parseFloat(getComputedStyle(li).lineHeight) || 16,
      })),
    );
    expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(["tcp", "icmp", "name"]));
    for (const r of rows) {
      expect(r.kindLines, `${r.kind}: the check's kind on one line`).toBe(1);
      // An address or a name with its answer fits in at most two lines of the row.
      expect(r.targetHeight, `${r.kind}: target height`).toBeLessThanOrEqual(2.5 * r.lineHeight);
    }
    expect(await overflowing(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("exports the filtered view: only the project's containers, in JSON and as a PNG drawn in the page", async () => {
    const { page, errors } = await open();
    await page.click(".export-menu summary");
    // Other runs' containers come and go on the shared engine: only the view's own count is fixed.
    expect(await page.locator(".export-scope").textContent()).toMatch(/^current view: 3 of \d+ containers$/);
    const [json] = await Promise.all([
      page.waitForEvent("download"),
      page.click('.export-menu [data-format="json"]'),
    ]);
    const doc = JSON.parse(await readFile((await json.path()) as string, "utf8")) as ExportDocument;
    expect(doc.topology.containers.map((c) => c.id).sort()).toEqual([a.id, b.id, far.id].sort());
    expect(doc.topology.networks.map((n) => n.id).sort()).toEqual([net.id, other.id].sort());
    expect(
      doc.reachability.pairs.every((p) => [a, b, far].some((c) => c.name === p.from) || p.from === "@host"),
    ).toBe(true);

    await page.click(".export-menu summary");
    await page.check(".export-redact");
    const [md] = await Promise.all([
      page.waitForEvent("download"),
      page.click('.export-menu [data-format="md"]'),
    ]);
    const report = await readFile((await md.path()) as string, "utf8");
    expect(report).toContain(far.name);
    expect(report).not.toContain(net.subnet.split("/")[0].replace(/\.0$/, "."));

    await page.click(".export-menu summary");
    const [png] = await Promise.all([
      page.waitForEvent("download"),
      page.click('.export-menu [data-format="png"]'),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const bytes = await readFile((await png.path()) as string);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(200);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  });

  it("reopens the whole view from the URL: filter, search, selection, pair, what-if and tab", async () => {
    const { page, errors } = await open();
    await explainPairOf(page, a.id, far.id);
    await page.click("#whatif-fold summary");
    await page.selectOption(".whatif-connect-net", other.id);
    await page.click(".whatif-connect");
    await page.waitForSelector('#whatif[data-count="1"]');
    await page.waitForSelector(`#explain[data-from="${a.id}"][data-verdict="reachable"]`);
    await page.fill("#search", "far");
    await page.click("#tab-matrix");
    await page.waitForFunction(() =>
      ["project=", "q=far", "sel=", "pair=", "wi=connect", "tab=matrix"].every((p) =>
        location.search.includes(p),
      ),
    );
    await page.reload();
    await page.waitForSelector("body[data-restored]", LIVE_WAIT);
    await page.waitForSelector(
      `#explain[data-from="${a.id}"][data-to="${far.id}"][data-verdict="reachable"]`,
    );
    expect(await page.locator("#filter-project").inputValue()).toBe(project);
    expect(await page.locator("#search").inputValue()).toBe("far");
    expect(await page.locator("#whatif").getAttribute("data-count")).toBe("1");
    expect(await page.locator("#tab-matrix").getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => window.__reachgraph?.selected())).toBe(a.id);

    // The chosen example, and a pair in it, come back too.
    await page.goto(`${server?.url}/`);
    await page.waitForSelector("#teach-bar[data-examples]");
    await page.selectOption("#example-select", "icc-internal");
    await page.waitForSelector('#teach-bar[data-example="icc-internal"]');
    const example = (await (await fetch(`${server?.url}/api/examples/icc-internal`)).json()) as Topology;
    const [x, y] = example.containers.filter((c) => c.state === "running");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click("#tab-matrix");
    await page.click(`.mx-row[data-from="${x.id}"] .mx-cell[data-to="${y.id}"]`);
    await page.waitForFunction(
      () => location.search.includes("example=icc-internal") && location.search.includes("pair="),
    );
    await page.reload();
    await page.waitForSelector(`#explain[data-from="${x.id}"][data-to="${y.id}"]`, LIVE_WAIT);
    expect(await page.locator("#example-select").inputValue()).toBe("icc-internal");
    // A recorded example keeps the status it was recorded with: its start time is days old, it is no live age.
    await page.click('#explain [aria-label="Close the explanation"]');
    await page.click("#tab-graph");
    // The example's layout may still be moving after the tab switch: click without waiting for it to rest, with
    // the mouse off the graph so no node drifting under it takes the details panel by hover.
    await page.mouse.move(1, 1);
    await page.locator(containerNode(x.id)).dispatchEvent("click");
    await page.waitForSelector(`#details[data-id="${x.id}"] .status-age`);
    expect(await page.locator(`#details[data-id="${x.id}"] .status-age`).textContent()).toBe(x.status);
    expect(errors).toEqual([]);
  });

  it("counts a container's status age live from its start time, as docker ps words it", async () => {
    const { page, errors } = await open();
    await page.click(containerNode(b.id));
    const status = page.locator(`#details[data-id="${b.id}"] .status-age`);
    await status.waitFor();
    // Wording says what it means: counts of what b reaches and what it cannot reach (never "blocked from").
    expect(await page.locator("#details .reach-counts").textContent()).toMatch(
      /^reaches \d+ · cannot reach \d+ · \d+ unknown$/,
    );
    const first = (await status.textContent()) ?? "";
    expect(first).toMatch(/^Up /);
    // It changes by itself (no reload, no click) ...
    await page.waitForFunction(([sel, was]) => document.querySelector(sel)?.textContent !== was, [
      `#details[data-id="${b.id}"] .status-age`,
      first,
    ] as const);
    // ... and says what the engine's own start time says now.
    const inspect = await engineJson<{ State: { StartedAt: string } }>("GET", `/containers/${b.id}/json`);
    const started = Date.parse(inspect.State.StartedAt);
    await expect
      .poll(async () => [await status.textContent(), `Up ${humanDuration(Date.now() - started)}`], {
        timeout: 10_000,
      })
      .toSatisfy(([shown, expected]) => shown === expected);
    expect(errors).toEqual([]);
  });

  it("answers the keys: a skip link to the containers, arrows between nodes, + and - zoom, / searches", async () => {
    const { page, errors } = await open();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("skip-to-graph");
    await page.keyboard.press("Enter");
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.closest("#graph g.node") ? `${el.dataset.kind}:${el.dataset.id}` : null;
      });
    const start = await focused();
    expect(start).toMatch(/^container:/);
    const visited = new Set([start]);
    for (const key of ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "ArrowRight", "ArrowDown"]) {
      await page.keyboard.press(key);
      const now = await focused();
      expect(now, `focus stays on a node after ${key}`).not.toBeNull();
      visited.add(now);
    }
    expect(visited.size).toBeGreaterThan(1);

    // The first fit animates once the layout settles; zoom keys act on the view after it.
    await page.waitForSelector('svg[data-layout="settled"]', LIVE_WAIT);
    await page.waitForFunction(
      () => !(document.querySelector("#graph") as unknown as { __transition?: unknown }).__transition,
    );
    const scale = () =>
      page.evaluate(() => {
        const t = document.querySelector("#graph g.viewport")?.getAttribute("transform") ?? "";
        return Number(/scale\(([\d.]+)/.exec(t)?.[1] ?? "NaN");
      });
    const before = await scale();
    await page.keyboard.press("+");
    await expect.poll(scale).toBeCloseTo(before * 1.25, 3);
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    await expect.poll(scale).toBeCloseTo(before / 1.25, 3);

    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
    // Typing in the search is typing, not zooming.
    await page.keyboard.type("+");
    expect(await page.locator("#search").inputValue()).toBe("+");
    expect(errors).toEqual([]);
  });
});
