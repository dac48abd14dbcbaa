/**
 * A fleet on the page: two real engines' recordings merged as the collector merges them, one of them lost.
 * Each machine is a tile with its health; the lost one reads as down, its containers kept and marked stale;
 * the strip and the node filter show one machine, and the URL brings the filter back. No CSP violation.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticFeed } from "../../server/feed/feed.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { readFileSync } from "node:fs";
import { fleetTopology } from "../../server/example/fleet.ts";
import { startServer } from "../../server/http/server.ts";
import type { FleetRecording } from "../../server/model/engine-api.ts";
import type { EngineHealth } from "../../server/model/topology.ts";
import { twoEngineFleet } from "../support/fleet-topologies.ts";
import { buildPage, cleanupAll, containerNode, launchBrowser, openPage, outsideTiles } from "./browser.ts";

const fleet = twoEngineFleet();
/** The collector's word on the fleet: beta's engine stopped answering. */
const engines: EngineHealth[] = fleet.engines.map((e) => ({
  key: e.key,
  url: `unix:///run/reachgraph-test-${e.key}.sock`,
  reachable: e.key !== "beta",
  stale: e.key === "beta",
  apiVersion: e.info.apiVersion,
  serverVersion: e.info.serverVersion,
  swarmRole: null,
  error: e.key === "beta" ? "connect ENOENT /run/reachgraph-test-beta.sock" : null,
  lastSyncAt: fleet.source.capturedAt,
}));
const onBeta = fleet.containers.filter((c) => c.node === "beta");
const onAlpha = fleet.containers.filter((c) => c.node === "alpha" && c.interfaces.length > 0);
const WAIT = { state: "attached", timeout: 45_000 } as const;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let server: RunningServer | undefined;
/** The real three-node swarm as recorded (test/fixtures/fleet/swarm.json). */
let swarmServer: RunningServer | undefined;
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/fleet/${name}`, import.meta.url), "utf8"));
const recording = fixture("swarm.json") as FleetRecording;
const manifest = fixture("swarm.manifest.json") as { services: { web: { id: string; name: string } } };
const swarm = fleetTopology(recording, {
  kind: "snapshot",
  label: "swarm.json",
  capturedAt: recording.recordedAt ?? "",
});
const pages: Page[] = [];

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  server = await startServer({ port: 0, feed: staticFeed(fleet, { engines }), webRoot: web.dir });
  swarmServer = await startServer({ port: 0, feed: staticFeed(swarm), webRoot: web.dir });
});

afterAll(() =>
  cleanupAll([
    ...pages.map((p) => () => p.close()),
    () => server?.close() ?? Promise.resolve(),
    () => swarmServer?.close() ?? Promise.resolve(),
    () => browser?.close() ?? Promise.resolve(),
    web?.remove,
  ]),
);

async function open(query = "", on = server): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser as Browser, `${on?.url}/${query}`);
  pages.push(opened.page);
  await opened.page.waitForSelector('svg[data-layout="settled"]', { timeout: 45_000 });
  return opened;
}

describe("a fleet of two engines, one lost", () => {
  it("draws a tile per machine, the lost one down, its containers stale and no other's", async () => {
    expect(onBeta.length).toBeGreaterThan(0);
    const { page, errors } = await open();
    await page.waitForSelector('g.lane[data-machine="beta"][data-state="down"]', WAIT);
    expect(await page.getAttribute('g.lane[data-machine="alpha"]', "data-state")).toBe("live");
    for (const c of onBeta) {
      const cls = await page.getAttribute(containerNode(c.id), "class");
      expect(cls?.split(" ")).toContain("stale");
      expect(await page.getAttribute(containerNode(c.id), "aria-label")).toContain("on beta, stale");
    }
    for (const c of onAlpha)
      expect((await page.getAttribute(containerNode(c.id), "class"))?.split(" ")).not.toContain("stale");
    // Each container sits inside its machine's tile.
    const outside = await outsideTiles(
      page,
      fleet.containers.filter((c) => c.interfaces.length > 0).map((c) => [c.id, c.node ?? ""]),
    );
    expect(outside).toEqual([]);
    expect(await page.getAttribute("#banner", "data-kinds")).toContain("machine-down");
    expect(await page.textContent("#banner")).toContain("beta is down (engine unreachable: connect ENOENT");
    expect(await page.getAttribute('#fleet .machine:has([data-machine="beta"])', "data-state")).toBe("down");
    expect(errors).toEqual([]);
  });

  it("shows one machine from the strip, by keyboard too; the URL holds node= and brings it back", async () => {
    const { page, errors } = await open();
    await page.focus('#fleet button[data-machine="beta"]');
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("node") === "beta");
    await page.waitForSelector(containerNode(onBeta[0].id), WAIT);
    await page.waitForFunction(
      (id) => !document.querySelector(`g[data-kind="container"][data-id="${id}"]`),
      onAlpha[0].id,
    );
    expect(await page.getAttribute('#fleet button[data-machine="beta"]', "aria-pressed")).toBe("true");
    const again = await open(`?node=beta`);
    await again.page.waitForSelector(containerNode(onBeta[0].id), WAIT);
    expect(await again.page.locator(containerNode(onAlpha[0].id)).count()).toBe(0);
    expect(await again.page.inputValue("#filter-node")).toBe("beta");
    await again.page.selectOption("#filter-engine", "alpha");
    await again.page.waitForFunction(() => new URLSearchParams(location.search).get("engine") === "alpha");
    expect([...errors, ...again.errors]).toEqual([]);
  });
});

describe("the real three-node swarm, recorded", () => {
  const tasks = swarm.containers.filter((c) => c.swarm?.serviceId === manifest.services.web.id);
  const vertex = `g.node[data-kind="service"][data-id="${manifest.services.web.id}"]`;

  it("draws vm, node2 and node3 as tiles and the overlay once, outside them", async () => {
    const { page, errors } = await open("", swarmServer);
    for (const m of ["vm", "node2", "node3"]) await page.waitForSelector(`g.lane[data-machine="${m}"]`, WAIT);
    const overlay = swarm.networks.find((n) => n.scope === "swarm" && !n.ingress);
    if (!overlay) throw new Error("the swarm recording has no overlay");
    expect(await page.locator(`g[data-kind="network"][data-id="${overlay.id}"]`).count()).toBe(1);
    const above = await page.evaluate((id) => {
      const hub = document
        .querySelector(`g[data-kind="network"][data-id="${id}"] path.shape`)
        ?.getBoundingClientRect();
      const tiles = [...document.querySelectorAll("#graph g.lane > rect")].map(
        (r) => r.getBoundingClientRect().top,
      );
      return hub !== undefined && tiles.length === 3 && tiles.every((top) => hub.bottom < top);
    }, overlay.id);
    expect(above).toBe(true);
    expect(
      await page.getAttribute(`g[data-kind="network"][data-id="${overlay.id}"]`, "aria-label"),
    ).toContain("spans node2, node3, vm");
    // The recording's twin: one name on two engines, qualified as name@node on the page too.
    const twins = swarm.containers.filter((c) => c.bareName !== undefined);
    expect(twins.map((c) => c.name).sort()).toEqual(["rgt-fleet-twin@node2", "rgt-fleet-twin@vm"]);
    // The tooltip's first line is the whole name.
    for (const c of twins)
      expect((await page.textContent(`${containerNode(c.id)} > title`))?.split("\n")[0]).toBe(c.name);
    expect(errors).toEqual([]);
  });

  it("collapses a service spanning nodes to one vertex by keyboard, holds it in the URL, and expands it", async () => {
    expect(new Set(tasks.map((t) => t.node)).size).toBe(3);
    const { page, errors } = await open("", swarmServer);
    await page.focus(containerNode(tasks[0].id));
    await page.keyboard.press("Enter");
    await page.waitForSelector("#scope-service:not([disabled])");
    await page.focus("#scope-service");
    await page.keyboard.press("Enter");
    await page.waitForSelector(vertex, WAIT);
    for (const t of tasks) expect(await page.locator(containerNode(t.id)).count()).toBe(0);
    await page.waitForFunction(
      (name) => new URLSearchParams(location.search).getAll("collapse").includes(`service:${name}`),
      manifest.services.web.name,
    );
    expect(await page.textContent("#scope-service")).toBe("Expand service");
    const again = await open(`?collapse=service:${manifest.services.web.name}`, swarmServer);
    await again.page.waitForSelector(vertex, WAIT);
    await page.keyboard.press("Enter");
    for (const t of tasks) await page.waitForSelector(containerNode(t.id), WAIT);
    expect(await page.locator(vertex).count()).toBe(0);
    expect([...errors, ...again.errors]).toEqual([]);
  });
});
