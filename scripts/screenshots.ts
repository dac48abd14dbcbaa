import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/http/server.ts";
import { buildPage, launchBrowser, openPage } from "../test/web/browser.ts";

/**
 * `npm run screenshots`: regenerates the README's screenshot from the bundled example (`serve --demo`) in
 * headless Chromium. A script, not a test: tests never write tracked files.
 */
const SHOTS = [{ file: "docs/screenshot.png", width: 1600, height: 1000 }];
const REPO = fileURLToPath(new URL("..", import.meta.url));

const web = await buildPage();
const browser = await launchBrowser();
const server = await startServer({ host: "127.0.0.1", port: 0, demo: true, webRoot: web.dir });
try {
  await mkdir(`${REPO}docs`, { recursive: true });
  for (const shot of SHOTS) {
    const { page, errors } = await openPage(browser, server.url, { width: shot.width, height: shot.height });
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
  await server.close();
  await browser.close();
  await web.remove();
}
