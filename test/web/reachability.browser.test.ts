import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reachability, TopologyIndex, Verdict } from "../../server/model/reachability/index.ts";
import {
  computeReachability,
  explainPair,
  HOST,
  indexTopology,
  matrixVerdict,
  targetVisitor,
} from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { startServer } from "../../server/http/server.ts";
import type { ScenarioContainer } from "../support/scenario.ts";
import { SLEEP, Scenario } from "../support/scenario.ts";
import {
  buildPage,
  cleanupAll,
  containerNode,
  launchBrowser,
  networkNode,
  openPage,
  serveLiveEngine,
} from "./browser.ts";

type Running = Awaited<ReturnType<typeof startServer>>;
/** Engine event → collector → SSE → DOM, and a probe run; generous, because a timing is no assertion here. */
const LIVE_WAIT = { state: "attached", timeout: 45_000 } as const;
const PROBE_WAIT = { timeout: 90_000 } as const;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
});

afterAll(() => cleanupAll([() => browser?.close() ?? Promise.resolve(), web?.remove]));

/** The expected row of one source, from the same pure model the page uses. */
function expectedRow(reach: Reachability, source: number): Map<number, Verdict> {
  const row = new Map<number, Verdict>();
  targetVisitor(reach)(source, (to, verdict) => row.set(to, verdict), { includeBlocked: true });
  return row;
}

/** `data-id` → reach class of every container node (and the host hub), read in one round trip. */
function reachClasses(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const el of document.querySelectorAll<SVGGElement>("g.node")) {
      const cls = [...el.classList].filter((c) => c.startsWith("reach-")).join(" ");
      out[el.dataset.id ?? ""] = cls;
    }
    return out;
  });
}

describe("reachability on the bundled example", () => {
  let server: Running | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  let topology: Topology;
  let index: TopologyIndex;
  let reach: Reachability;

  beforeAll(async () => {
    server = await startServer({ host: "127.0.0.1", port: 0, demo: true, webRoot: web?.dir });
    topology = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
    index = indexTopology(topology);
    reach = computeReachability(index);
    ({ page, errors } = await openPage(browser as Browser, server.url, { width: 1600, height: 1000 }));
    await page.waitForSelector('svg[data-layout="settled"]');
  });

  afterAll(() => cleanupAll([() => page?.close() ?? Promise.resolve(), server?.close]));

  /** A running source whose row has both reachable and blocked targets, so lit and dimmed both show. */
  function mixedSource(): number {
    const i = topology.containers.findIndex((c, s) => {
      const verdicts = new Set(expectedRow(reach, s).values());
      return c.state === "running" && verdicts.has("reachable") && verdicts.has("blocked");
    });
    expect(i).toBeGreaterThanOrEqual(0);
    return i;
  }

  it("lights what a clicked container reaches and dims what it cannot, as the model says", async () => {
    const p = page as Page;
    const s = mixedSource();
    const source = topology.containers[s];
    await p.click(containerNode(source.id));
    await p.waitForSelector(`${containerNode(source.id)}.reach-source`);
    const classes = await reachClasses(p);
    const row = expectedRow(reach, s);
    for (const [t, c] of topology.containers.entries()) {
      if (t === s) continue;
      expect(classes[c.id], `${source.name} -> ${c.name}`).toBe(`reach-${row.get(t)}`);
    }
    const hostHub = topology.networks.find((n) => n.driver === "host");
    if (hostHub) expect(classes[hostHub.id]).toBe(`reach-${row.get(-1) ?? "blocked"}`);
    // Other network hubs carry no verdict.
    const bridge = topology.networks.find((n) => n.driver === "bridge" && !n.defaultBridge);
    if (bridge) expect(classes[bridge.id]).toBe("");

    // Hovering a target while the source is selected tells the verdict and the deciding rule.
    const target = topology.containers.find((_, t) => t !== s && row.get(t) === "reachable");
    if (target) {
      await p.hover(containerNode(target.id));
      const tip = p.locator("#reach-tooltip");
      await tip.waitFor({ state: "visible" });
      const e = explainPair(index, source.id, target.id);
      expect(await tip.getAttribute("data-verdict")).toBe(e.verdict);
      expect(await tip.textContent()).toContain(e.paths[0].rule);
      expect(await tip.textContent()).toContain(e.paths[0].address ?? "address not collected");
    }
    await p.keyboard.press("Escape");
    await p.waitForSelector("svg#graph:not(.has-reach)");
  });

  it("explains two blocked containers layer by layer, with the rule IDs and every fix step", async () => {
    const p = page as Page;
    const running = topology.containers.filter((c) => c.state === "running");
    let pair: { from: string; to: string } | undefined;
    for (const a of running)
      for (const b of running) {
        if (pair || a === b) continue;
        const e = explainPair(index, a.id, b.id);
        // A fix of several steps (none mode: disconnect, then connect), so every step must be shown.
        if (e.verdict === "blocked" && (e.fix?.commands.length ?? 0) >= 2) pair = { from: a.id, to: b.id };
      }
    expect(pair).toBeDefined();
    const { from, to } = pair as { from: string; to: string };
    const e = explainPair(index, from, to);
    await p.click(containerNode(from));
    // Keyboard: focus the second container and press Shift+Enter.
    await p.focus(containerNode(to));
    await p.keyboard.press("Shift+Enter");
    const panel = p.locator(`#explain[data-from="${from}"][data-to="${to}"]`);
    await panel.waitFor({ state: "visible" });
    expect(await panel.getAttribute("data-verdict")).toBe("blocked");
    expect(await p.locator("#explain .fix code").allTextContents()).toEqual(e.fix?.commands);
    // Copy takes every step, one per line, ready to paste into a shell.
    await p.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await p.click("#explain .fix button.copy");
    await p.waitForSelector("#explain .fix button.copy:text('Copied')");
    expect(await p.evaluate(() => navigator.clipboard.readText())).toBe(e.fix?.commands.join("\n"));
    const badges = await p.locator("#explain .rule").allTextContents();
    for (const r of e.reasons) expect(badges, `rule ${r.rule}`).toContain(r.rule);
    if (e.fix?.rule) expect(badges).toContain(e.fix.rule);
    const text = (await panel.textContent()) ?? "";
    for (const r of e.reasons) expect(text).toContain(r.text);
    expect(text).toContain(e.fix?.text);
    // The example is no live engine: the server offers no probes for it, and the panel says so.
    expect(await p.locator("#explain section.probe").getAttribute("data-state")).toBe("disabled");
    await p.keyboard.press("Escape");
    await p.waitForSelector("#explain", { state: "hidden" });
    await p.keyboard.press("Escape");
  });

  it("draws icc off unlike a plugin driver", async () => {
    const p = page as Page;
    const noIcc = topology.networks.find((n) => n.driver === "bridge" && !n.icc);
    expect(noIcc).toBeDefined();
    expect(await p.locator(`${networkNode(noIcc?.id ?? "")} path.icc-mark`).count()).toBe(1);
    const iccOn = topology.networks.find((n) => n.driver === "bridge" && n.icc);
    expect(await p.locator(`${networkNode(iccOn?.id ?? "")} path.icc-mark`).count()).toBe(0);
    const legend = (await p.locator("#legend").textContent()) ?? "";
    expect(legend).toContain("icc off");
    expect(legend).toContain("plugin driver (unknown)");
  });

  it("shows the matrix: one row per container plus the host, glyphs as the model says, cells open the explanation", async () => {
    const p = page as Page;
    await p.click("#tab-matrix");
    await p.waitForSelector("#panel-matrix .mx-row");
    expect(await p.locator("#panel-matrix").getAttribute("data-rows")).toBe(
      String(topology.containers.length + 1),
    );
    expect(await p.locator("#panel-matrix .mx-row").count()).toBe(topology.containers.length + 1);
    const glyph: Record<Verdict, string> = { reachable: "✓", blocked: "✗", unknown: "?" };
    const ids = topology.containers.map((c) => c.id);
    const ends = [-1, 0, 3, 7, ids.length - 1].filter((i) => i < ids.length);
    for (const f of ends)
      for (const t of ends) {
        const cell = p.locator(
          `.mx-row[data-from="${f < 0 ? HOST : ids[f]}"] .mx-cell[data-to="${t < 0 ? HOST : ids[t]}"]`,
        );
        const verdict = matrixVerdict(reach, f, t);
        expect(await cell.textContent(), `${f} -> ${t}`).toBe(glyph[verdict]);
        expect(await cell.getAttribute("aria-label")).toContain(verdict);
      }
    const [f, t] = [0, ids.length - 1];
    await p.click(`.mx-row[data-from="${ids[f]}"] .mx-cell[data-to="${ids[t]}"]`);
    const panel = p.locator(`#explain[data-from="${ids[f]}"][data-to="${ids[t]}"]`);
    await panel.waitFor({ state: "visible" });
    expect(await panel.getAttribute("data-verdict")).toBe(matrixVerdict(reach, f, t));

    // Sorting by name descending puts the last name first (after the host row).
    await p.click(".mx-sort");
    const last = [...topology.containers].sort((a, b) => b.name.localeCompare(a.name))[0];
    await p.waitForSelector(`.mx-row[aria-rowindex="3"][data-from="${last.id}"]`);
    await p.selectOption(".mx-group-by", "project");
    await p.waitForSelector(".mx-rows .mx-group");
    expect(errors).toEqual([]);
  });
});

describe("probe now, on a live engine", () => {
  let scenario: Scenario | undefined;
  let server: Running | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  let a: ScenarioContainer;
  let b: ScenarioContainer;
  let far: ScenarioContainer;

  beforeAll(async () => {
    // Fails (never skips) with the engine URL and the reason when there is no engine.
    scenario = await Scenario.create();
    const net = await scenario.network("net");
    a = await scenario.container("a", { network: net.name, command: SLEEP });
    // An exposed port gives the plan a TCP check (PP-9: exposing changes no reachability).
    b = await scenario.container("b", { network: net.name, expose: ["80"] });
    // On another bridge: its checks from a time out (UB-8), so a probe of a -> far runs long enough to cancel.
    const other = await scenario.network("other");
    far = await scenario.container("far", { network: other.name, expose: ["80"] });
    server = await serveLiveEngine(web?.dir);
    ({ page, errors } = await openPage(browser as Browser, server.url));
  });

  afterAll(() =>
    cleanupAll([
      () => page?.close() ?? Promise.resolve(),
      server?.close,
      () => scenario?.cleanup() ?? Promise.resolve(),
    ]),
  );

  it("runs the probe from the panel, shows observed vs predicted, and paints the proof on the graph", async () => {
    const health = (await (await fetch(`${server?.url}/api/health`)).json()) as {
      probes?: { enabled: boolean };
    };
    expect(health.probes?.enabled).toBe(true);
    const p = page as Page;
    await p.waitForSelector(containerNode(a.id), LIVE_WAIT);
    await p.waitForSelector(containerNode(b.id), LIVE_WAIT);
    await p.click(containerNode(a.id));
    await p.click(containerNode(b.id), { modifiers: ["Shift"] });
    await p.waitForSelector(`#explain[data-from="${a.id}"][data-to="${b.id}"][data-verdict="reachable"]`);
    await p.click("#explain button.probe-now");
    await p.waitForSelector('#explain section.probe[data-state="done"]', PROBE_WAIT);
    const probe = p.locator("#explain section.probe");
    expect(await probe.getAttribute("data-disagreements")).toBe("0");
    expect(await p.locator("#explain .observed").getAttribute("data-observed")).toBe("reachable");
    expect(await p.locator("#explain .agreement").count()).toBe(1);
    const kinds = await p
      .locator("#explain ul.checks li.check")
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.kind));
    expect(kinds).toContain("tcp");
    expect(kinds).toContain("icmp");
    expect(kinds).toContain("name");
    expect(await p.locator("#explain ul.checks li.mismatch").count()).toBe(0);
    // The observed verdict is painted on the target while the source is selected.
    await p.waitForSelector(`${containerNode(b.id)}[data-observed="reachable"] text.proof`);
    expect(await p.locator(`${containerNode(b.id)} text.proof`).textContent()).toBe("✓");
  });

  it("cancels a running probe", async () => {
    const p = page as Page;
    await p.waitForSelector(containerNode(far.id), LIVE_WAIT);
    // Start from nothing selected: close the previous explanation, then pick a and far.
    await p.click('#explain button[aria-label="Close the explanation"]');
    await p.keyboard.press("Escape");
    await p.click(containerNode(a.id));
    await p.click(containerNode(far.id), { modifiers: ["Shift"] });
    await p.waitForSelector(`#explain[data-from="${a.id}"][data-to="${far.id}"][data-verdict="blocked"]`);
    await p.click("#explain button.probe-now");
    await p.waitForSelector('#explain section.probe[data-state="running"] .spinner');
    await p.click("#explain button.probe-cancel");
    await p.waitForSelector('#explain section.probe[data-state="cancelled"]');
    expect(errors).toEqual([]);
  });
});
