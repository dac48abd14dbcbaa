import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { fleetTopology } from "../server/example/fleet.ts";
import { staticFeed } from "../server/feed/feed.ts";
import { startServer } from "../server/http/server.ts";
import type { FleetRecording } from "../server/model/engine-api.ts";
import type { Topology } from "../server/model/topology.ts";
import { buildPage, launchBrowser, openPage } from "../test/web/browser.ts";

/**
 * `npm run screenshots`: regenerates the README's screenshots in headless Chromium: the bundled example
 * (`serve --demo`), and a three-node swarm from its recording (test/fixtures/fleet/swarm.json, merged as the
 * collector merges a fleet). A script, not a test: tests never write tracked files.
 */
const REPO = fileURLToPath(new URL("..", import.meta.url));

function recordedFleet(): Topology {
  const file = `${REPO}test/fixtures/fleet/swarm.json`;
  const recording = JSON.parse(readFileSync(file, "utf8")) as FleetRecording;
  return fleetTopology(recording, {
    kind: "example",
    label: "a three-node swarm, recorded",
    capturedAt: recording.recordedAt ?? new Date(0).toISOString(),
  });
}

const web = await buildPage();
const browser = await launchBrowser();
const demo = await startServer({ host: "127.0.0.1", port: 0, demo: true, webRoot: web.dir });
const fleet = await startServer({
  host: "127.0.0.1",
  port: 0,
  feed: staticFeed(recordedFleet()),
  webRoot: web.dir,
});
const SHOTS = [
  { file: "docs/screenshot.png", width: 1600, height: 1000, server: demo },
  { file: "docs/fleet.png", width: 1600, height: 1000, server: fleet },
];
try {
  await mkdir(`${REPO}docs`, { recursive: true });
  for (const shot of SHOTS) {
    const { page, errors } = await openPage(browser, shot.server.url, {
      width: shot.width,
      height: shot.height,
    });
    // The fit after the layout settles is then instant: the picture is the framed graph, not a frame of its animation.
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.waitForSelector('#banner[data-kinds~="example"]');
    await page.waitForSelector('svg[data-layout="settled"]');
    if (errors.length) throw new Error(`the page reported errors: ${errors.join("; ")}`);
    await page.screenshot({ path: `${REPO}${shot.file}` });
    await page.close();
    console.log(`wrote ${shot.file}`);
  }
} finally {
  await demo.close();
  await fleet.close();
  await browser.close();
  await web.remove();
}
