import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportSvg } from "../../server/model/export/index.ts";
import type { Verdict } from "../../server/model/reachability/index.ts";
import {
  computeReachability,
  HOST,
  indexTopology,
  matrixVerdict,
} from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import type { WhatIf } from "../../server/model/what-if/index.ts";
import { applyWhatIfs, WHAT_IF_MARK } from "../../server/model/what-if/index.ts";
import { startServer } from "../../server/http/server.ts";
import { buildPage, cleanupAll, launchBrowser, openPage } from "./browser.ts";

const SLUG = "icc-internal";
let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let server: Awaited<ReturnType<typeof startServer>> | undefined;
let page: Page | undefined;
let errors: string[] = [];
let base: Topology;

/** Every cell of the model's matrix (host first), keyed `from -> to` by container ID or @host. */
function expectedMatrix(topology: Topology): Record<string, Verdict> {
  const reach = computeReachability(indexTopology(topology));
  const ends = [-1, ...topology.containers.map((_, i) => i)];
  const end = (i: number) => (i < 0 ? HOST : topology.containers[i].id);
  const out: Record<string, Verdict> = {};
  for (const f of ends) for (const t of ends) out[`${end(f)} -> ${end(t)}`] = matrixVerdict(reach, f, t);
  return out;
}

/** The verdicts the page's matrix shows. */
function pageMatrix(p: Page): Promise<Record<string, string>> {
  return p.evaluate(() => {
    const out: Record<string, string> = {};
    for (const row of document.querySelectorAll<HTMLElement>("#panel-matrix .mx-row[data-from]"))
      for (const cell of row.querySelectorAll<HTMLElement>(".mx-cell[data-to]"))
        out[`${row.dataset.from} -> ${cell.dataset.to}`] = cell.dataset.verdict ?? "";
    return out;
  });
}

const idOf = (name: string) => {
  const found = base.containers.find((c) => c.name === name) ?? base.networks.find((n) => n.name === name);
  if (!found) throw new Error(`${name} is not in example ${SLUG}`);
  return found.id;
};

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  server = await startServer({ host: "127.0.0.1", port: 0, demo: true, webRoot: web.dir });
  base = (await (await fetch(`${server.url}/api/examples/${SLUG}`)).json()) as Topology;
  ({ page, errors } = await openPage(browser, server.url, { width: 1600, height: 1000 }));
  await page.waitForSelector("#teach-bar[data-examples]");
});

afterAll(() =>
  cleanupAll([
    () => page?.close() ?? Promise.resolve(),
    server?.close,
    () => browser?.close() ?? Promise.resolve(),
    web?.remove,
  ]),
);

describe("teaching: drivers, examples, what-if, export", () => {
  it("opens the driver panel and shows a section with its rules", async () => {
    const p = page as Page;
    await p.click("#drivers-open");
    await p.waitForSelector("#drivers:not([hidden])");
    await p.click('#drivers .drivers-tab[data-section="internal"]');
    await p.waitForSelector('#drivers[data-section="internal"]');
    const rules = await p
      .locator("#drivers .drivers-rules li")
      .evaluateAll((li) => li.map((l) => l.getAttribute("data-rule")));
    expect(rules).toEqual(expect.arrayContaining(["INT-1", "INT-2", "INT-3", "INT-4", "INT-5"]));
    await p.click("#drivers .drivers-head .icon");
    await p.waitForSelector("#drivers", { state: "hidden" });
  });

  it("shows an example topology, and a rule badge of the explanation opens the driver panel there", async () => {
    const p = page as Page;
    await p.selectOption("#example-select", SLUG);
    await p.waitForSelector(`#teach-bar[data-example="${SLUG}"]`);
    await p.click("#tab-matrix");
    await expect.poll(() => pageMatrix(p), { timeout: 20_000 }).toEqual(expectedMatrix(base));
    expect(await p.locator("#banner").getAttribute("data-kinds")).toContain("example");
    // In the example quiet has icc off: quiet-b -> quiet-a is explained with ICC-1.
    await p.click(`.mx-row[data-from="${idOf("quiet-b")}"] .mx-cell[data-to="${idOf("quiet-a")}"]`);
    await p.waitForSelector(`#explain[data-from="${idOf("quiet-b")}"]`);
    await p
      .locator("#explain .rule", { hasText: /^ICC-1$/ })
      .first()
      .click();
    await p.waitForSelector('#drivers[data-section="icc-off"] li.highlight[data-rule="ICC-1"]');
    // The interface shown is a real one of the example.
    expect(await p.locator("#drivers .drivers-iface").getAttribute("data-container")).toMatch(
      /^[0-9a-f]{64}$/,
    );
    await p.click("#drivers .drivers-head .icon");
    await p.click('#explain [aria-label="Close the explanation"]');
    await p.waitForSelector("#explain", { state: "hidden" });
  });

  it("applies each what-if toggle client-side, recomputes verdicts like the pure model, and undo/reset restore", async () => {
    const p = page as Page;
    const applied: WhatIf[] = [];
    // What-if sits in a fold of the side panel, closed while something is selected.
    const fold = p.locator("#whatif-fold");
    if (!(await fold.evaluate((d) => (d as HTMLDetailsElement).open))) await p.click("#whatif-fold summary");
    await p.waitForSelector("#whatif-target", { state: "visible" });
    const select = (name: string) => p.selectOption("#whatif-target", idOf(name));
    const check = async () => {
      const expected = expectedMatrix(applyWhatIfs(base, applied).topology);
      await expect.poll(() => pageMatrix(p), { timeout: 20_000 }).toEqual(expected);
      expect(await p.locator("#whatif").getAttribute("data-count")).toBe(String(applied.length));
    };
    const steps: { whatIf: WhatIf; act: () => Promise<void> }[] = [
      {
        whatIf: { kind: "icc", network: idOf("quiet"), enabled: true },
        act: async () => {
          await select("quiet");
          await p.click(".whatif-icc");
        },
      },
      {
        whatIf: { kind: "internal", network: idOf("vault"), enabled: false },
        act: async () => {
          await select("vault");
          await p.click(".whatif-internal");
        },
      },
      {
        whatIf: { kind: "connect", container: idOf("web"), network: idOf("quiet"), aliases: ["shop"] },
        act: async () => {
          await select("web");
          await p.selectOption(".whatif-connect-net", idOf("quiet"));
          await p.fill(".whatif-alias", "shop");
          await p.click(".whatif-connect");
        },
      },
      {
        whatIf: { kind: "disconnect", container: idOf("quiet-a"), network: idOf("quiet") },
        act: async () => {
          await select("quiet-a");
          await p.click(`.whatif-disconnect[data-network="${idOf("quiet")}"]`);
        },
      },
      {
        whatIf: { kind: "publish", container: idOf("vault-app"), containerPort: 80, hostPort: 18080 },
        act: async () => {
          await select("vault-app");
          await p.fill(".whatif-cport", "80");
          await p.fill(".whatif-hport", "18080");
          await p.click(".whatif-publish");
        },
      },
    ];
    for (const step of steps) {
      const before = expectedMatrix(applyWhatIfs(base, applied).topology);
      await step.act();
      applied.push(step.whatIf);
      await check();
      expect(
        expectedMatrix(applyWhatIfs(base, applied).topology),
        `${step.whatIf.kind} changes a verdict`,
      ).not.toEqual(before);
      expect(await p.locator("#source").textContent()).toContain(WHAT_IF_MARK);
    }
    expect(await p.locator("#whatif .whatif-changes li").count()).toBe(steps.length);

    await p.click(".whatif-undo");
    applied.pop();
    await check();
    await p.click(".whatif-reset");
    applied.length = 0;
    await check();
    expect(await p.locator("#source").textContent()).not.toContain(WHAT_IF_MARK);
    await p.click("#tab-graph");
  });

  it("exports the shown topology as an SVG that parses, and saves a snapshot", async () => {
    const p = page as Page;
    await p.click(".export-menu summary");
    const [download] = await Promise.all([
      p.waitForEvent("download"),
      p.click('.export-menu [data-format="svg"]'),
    ]);
    const svg = await readFile((await download.path()) as string, "utf8");
    expect(download.suggestedFilename()).toMatch(/\.svg$/);
    expect(svg).toBe(exportSvg(base));
    // Parsed on a blank page: the app's CSP (no inline style) would report the SVG's own <style> element.
    const blank = await (browser as Browser).newPage();
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return { root: doc.documentElement.localName, errors: doc.getElementsByTagName("parsererror").length };
    }, svg);
    await blank.close();
    expect(parsed).toEqual({ root: "svg", errors: 0 });

    const [snapshot] = await Promise.all([p.waitForEvent("download"), p.click("#save-snapshot")]);
    const saved = JSON.parse(await readFile((await snapshot.path()) as string, "utf8")) as {
      reachgraph: string;
    };
    expect(saved.reachgraph).toBe("snapshot");
    expect(errors).toEqual([]);
  });
});
