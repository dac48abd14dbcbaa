/**
 * The page on the real three-node swarm, read once as `serve --engine … --engine …` reads it (collectFleet):
 * a tile per node, each drawn container inside its own node's tile, the swarm's overlays drawn once, no CSP
 * violation. Other helpers' nodes and containers come and go: only what this read saw is asserted.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { staticFeed } from "../../server/feed/feed.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { Topology } from "../../server/model/topology.ts";
import { randomBytes } from "node:crypto";
import type { FleetNode } from "../support/fleet.ts";
import { requireFleet } from "../support/fleet.ts";
import { TEST_IMAGE, TEST_PREFIX } from "../support/scenario.ts";
import { buildPage, cleanupAll, launchBrowser, openPage } from "../web/browser.ts";

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let server: RunningServer | undefined;
let page: Page | undefined;
let errors: string[] = [];
let topology: Topology;
let hostnames: string[];
/** One container of this run on each node, so every tile has something of ours to hold. */
const own: Array<{ node: FleetNode; name: string }> = [];
const RUN = `${TEST_PREFIX}fpage-${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  const fleet = await requireFleet();
  hostnames = fleet.nodes.map((n) => n.hostname);
  for (const node of fleet.nodes) {
    const name = `${RUN}-${node.hostname}`;
    own.push({ node, name });
    await node.docker("run", "-d", "--name", name, TEST_IMAGE, "sleep", "600");
  }
  topology = await collectFleet(
    fleet.nodes.map((n) => ({ client: createEngineClient(resolveEngine({ engine: n.url })) })),
  );
  web = await buildPage();
  browser = await launchBrowser();
  server = await startServer({ port: 0, feed: staticFeed(topology), webRoot: web.dir });
  ({ page, errors } = await openPage(browser, server.url));
  await page.waitForSelector('svg[data-layout="settled"]', { timeout: 60_000 });
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

it("draws each node of the live swarm as a tile, with its containers inside it and overlays once", async () => {
  const p = page as Page;
  for (const h of hostnames)
    await p.waitForSelector(`#graph g.lane[data-machine="${h}"]`, { state: "attached" });
  const placed = topology.containers
    .filter((c) => c.node && hostnames.includes(c.node))
    .map((c) => [c.id, c.node as string]);
  const misplaced = await p.evaluate(
    (pairs) =>
      pairs.filter(([id, machine]) => {
        const node = document
          .querySelector(`#graph g[data-kind="container"][data-id="${id}"] path.shape`)
          ?.getBoundingClientRect();
        const tile = document
          .querySelector(`#graph g.lane[data-machine="${machine}"] > rect`)
          ?.getBoundingClientRect();
        // A container not drawn (a probe helper) is not misplaced.
        if (!node) return false;
        if (!tile) return true;
        const [x, y] = [node.x + node.width / 2, node.y + node.height / 2];
        return x < tile.left || x > tile.right || y < tile.top || y > tile.bottom;
      }),
    placed,
  );
  for (const { node, name } of own)
    expect(
      placed.some(
        ([id, machine]) =>
          machine === node.hostname && topology.containers.find((c) => c.id === id)?.name === name,
      ),
    ).toBe(true);
  expect(misplaced).toEqual([]);
  for (const n of topology.networks.filter((x) => x.scope === "swarm"))
    expect(await p.locator(`#graph g[data-kind="network"][data-id="${n.id}"]`).count()).toBeLessThanOrEqual(
      1,
    );
  expect(errors).toEqual([]);
});
