import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import { buildPage, cleanupAll, launchBrowser, openPage } from "./browser.ts";

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let server: RunningServer | undefined;
let page: Page | undefined;
let errors: string[] = [];

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  // Beyond loopback (127.0.0.2 is this machine but not a loopback name): the page must work behind the token.
  server = await startServer({ host: "127.0.0.2", port: 0, demo: true, webRoot: web.dir });
  ({ page, errors } = await openPage(browser, server.openUrl));
  await page.waitForSelector('svg[data-layout="settled"]');
});

afterAll(() =>
  cleanupAll([
    () => page?.close() ?? Promise.resolve(),
    server?.close,
    () => browser?.close() ?? Promise.resolve(),
    web?.remove,
  ]),
);

describe("the page under its Content-Security-Policy, behind the access token", () => {
  it("is let in by the printed address, drops the token from the address bar, and goes live", async () => {
    const p = page as Page;
    expect(new URL(p.url()).search).toBe("");
    await p.waitForSelector('#connection[data-state="open"]');
    expect(await p.locator('g[data-kind="container"]').count()).toBeGreaterThan(0);
  });

  it("draws the graph, the matrix, a tooltip and the driver panel with no CSP violation", async () => {
    const p = page as Page;
    await p.click("#tab-matrix");
    await p.waitForSelector("#panel-matrix .mx-row .mx-cell[data-to]");
    await p.hover("#panel-matrix .mx-row .mx-cell[data-to]");
    await p.click("#tab-graph");
    await p.click("#drivers-open");
    await p.waitForSelector("#drivers:not([hidden])");
    // openPage records every securitypolicyviolation and every "Refused to …" console error.
    expect(errors).toEqual([]);
  });
});
