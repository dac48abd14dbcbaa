import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { CHROMIUM_PATH } from "../../server/export/chromium-path.ts";
import { launchChromium } from "../../server/export/png.ts";
import { startServer } from "../../server/http/server.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { TEST_IMAGE } from "../support/scenario.ts";

export const CHROMIUM = CHROMIUM_PATH;
const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** Builds the page into a fresh temporary directory, so tests never race another build of `dist/web`. */
export async function buildPage(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "reachgraph-web-"));
  await build({
    configFile: join(REPO, "vite.config.ts"),
    root: REPO,
    logLevel: "warn",
    build: { outDir: dir, emptyOutDir: true, sourcemap: false },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The collector on the real engine, on loopback, with probes allowed (helpers from the test image). */
export function serveLiveEngine(webRoot: string | undefined): ReturnType<typeof startServer> {
  return startServer({
    host: "127.0.0.1",
    port: 0,
    engine: ENGINE_URL,
    allowProbes: true,
    probeImage: TEST_IMAGE,
    webRoot,
  });
}

/** Debian's Chromium, headless, with everything that would phone home switched off (the exporter's launcher). */
export function launchBrowser(): Promise<Browser> {
  return launchChromium(CHROMIUM);
}

/**
 * A page that records script errors and Content-Security-Policy violations (the server's CSP allows no inline
 * script or style), so a test can assert the page ran cleanly.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`),
    ),
  );
  await page.goto(url);
  return { page, errors };
}

/** Runs every cleanup step even when an earlier one throws, then reports all failures together. */
export async function cleanupAll(steps: Array<(() => Promise<unknown>) | undefined>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, "browser test cleanup failed");
}

export const containerNode = (id: string): string => `g[data-kind="container"][data-id="${id}"]`;
export const networkNode = (id: string): string => `g[data-kind="network"][data-id="${id}"]`;
export const interfaceEdge = (containerId: string, networkId: string): string =>
  `line[data-kind="interface"][data-container="${containerId}"][data-network="${networkId}"]`;

/**
 * The containers (ID, machine) not drawn inside their machine's tile on a fleet's page: a container or tile
 * that is not drawn counts as outside.
 */
export function outsideTiles(page: Page, pairs: Array<[id: string, machine: string]>): Promise<string[]> {
  return page.evaluate(
    (list) =>
      list
        .filter(([id, machine]) => {
          const node = document
            .querySelector(`#graph g[data-kind="container"][data-id="${id}"] path.shape`)
            ?.getBoundingClientRect();
          const tile = document
            .querySelector(`#graph g.lane[data-machine="${machine}"] > rect`)
            ?.getBoundingClientRect();
          if (!node || !tile) return true;
          const [x, y] = [node.x + node.width / 2, node.y + node.height / 2];
          return x < tile.left || x > tile.right || y < tile.top || y > tile.bottom;
        })
        .map(([id, machine]) => `${id} on ${machine}`),
    pairs,
  );
}
