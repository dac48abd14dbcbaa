/**
 * The page on the real three-node swarm, served live as `serve --engine … --engine …` serves it: a tile per
 * node with its engine live, each of this run's containers inside its own node's tile, one started after the
 * page opened drawn there without a reload, no CSP violation. Other helpers' nodes and containers come and go:
 * only this run's are asserted.
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { Fleet, FleetNode } from "../support/fleet.ts";
import { requireFleet } from "../support/fleet.ts";
import { TEST_IMAGE, TEST_PREFIX } from "../support/scenario.ts";
import {
  buildPage,
  cleanupAll,
  containerNode,
  launchBrowser,
  openPage,
  outsideTiles,
} from "../web/browser.ts";

const RUN = `${TEST_PREFIX}fpage-${randomBytes(3).toString("hex")}`;
const LIVE = { state: "attached", timeout: 60_000 } as const;
let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let server: RunningServer | undefined;
let page: Page | undefined;
let errors: string[] = [];
let fleet: Fleet;
/** This run's containers, one per node (and one started later): removed after, even on failure. */
const own: Array<{ node: FleetNode; name: string; id: string }> = [];

async function runOn(node: FleetNode, suffix: string): Promise<string> {
  const name = `${RUN}-${suffix}`;
  const id = (await node.docker("run", "-d", "--name", name, TEST_IMAGE, "sleep", "600")).trim();
  own.push({ node, name, id });
  return id;
}

/** Whether the container is drawn inside the tile of `machine`. */
const inTile = async (p: Page, id: string, machine: string): Promise<boolean> =>
  (await outsideTiles(p, [[id, machine]])).length === 0;

beforeAll(async () => {
  fleet = await requireFleet();
  for (const node of fleet.nodes) await runOn(node, node.hostname);
  web = await buildPage();
  browser = await launchBrowser();
  server = await startServer({
    port: 0,
    engines: fleet.nodes.map((n) => resolveEngine({ engine: n.url })),
    webRoot: web.dir,
  });
  ({ page, errors } = await openPage(browser, server.url));
});

afterAll(() =>
  cleanupAll([
    () => page?.close() ?? Promise.resolve(),
    () => server?.close() ?? Promise.resolve(),
    () => browser?.close() ?? Promise.resolve(),
    web?.remove,
    ...own.map(
      ({ node, name }) =>
        () =>
          node.docker("rm", "-f", name),
    ),
  ]),
);

it("draws each node as a live tile with this run's containers inside their own node's tile", async () => {
  const p = page as Page;
  for (const n of fleet.nodes) {
    await p.waitForSelector(`#graph g.lane[data-machine="${n.hostname}"][data-state="live"]`, LIVE);
    await p.waitForSelector(`#fleet .machine[data-state="live"] [data-machine="${n.hostname}"]`, LIVE);
  }
  await p.waitForSelector('svg[data-layout="settled"]', LIVE);
  for (const { node, id } of own) {
    await p.waitForSelector(containerNode(id), LIVE);
    expect(await inTile(p, id, node.hostname), `${id} on ${node.hostname}`).toBe(true);
  }
  expect(errors).toEqual([]);
});

it("draws a container started on node3 after the page opened, in node3's tile, without a reload", async () => {
  const p = page as Page;
  const node3 = fleet.node("node3");
  const id = await runOn(node3, "late");
  await p.waitForSelector(containerNode(id), LIVE);
  // It moves into its tile as the layout places it: waited for, never timed.
  await expect.poll(() => inTile(p, id, node3.hostname), { timeout: 60_000, interval: 250 }).toBe(true);
  expect(errors).toEqual([]);
});
