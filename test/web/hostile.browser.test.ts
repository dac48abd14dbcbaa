/**
 * The page with hostile names (served from a topology with the corpus' payloads in names, images, project
 * names, labels and options): nothing is parsed as HTML, no handler attribute appears, and bidi controls
 * are shown as marks, in the graph and in the details panel.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { staticFeed } from "../../server/feed/feed.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import { topologyWith } from "../support/hostile.ts";
import { buildPage, cleanupAll, containerNode, launchBrowser, openPage } from "./browser.ts";

const HOSTILE =
  '\u202egnp.exe <img src=x onerror="document.title=1"> <script>document.title=2</script> \u2066x\u2069 %%{init: {}}%%';
const topology = topologyWith(HOSTILE);
const api = topology.containers.find((c) => c.name === `api ${HOSTILE}`)!;

let web: Awaited<ReturnType<typeof buildPage>> | undefined;
let browser: Browser | undefined;
let server: RunningServer | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  web = await buildPage();
  browser = await launchBrowser();
  server = await startServer({ port: 0, feed: staticFeed(topology), webRoot: web.dir });
  ({ page, errors } = await openPage(browser, server.url));
  await page.waitForSelector(containerNode(api.id), { state: "attached", timeout: 45_000 });
});

afterAll(() =>
  cleanupAll([
    () => server?.close() ?? Promise.resolve(),
    () => browser?.close() ?? Promise.resolve(),
    web?.remove,
  ]),
);

/** What the page shows: no raw bidi control, no element or handler from a name. */
const inspectPage = () =>
  page.evaluate(() => ({
    rawBidi: /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(document.body.textContent ?? ""),
    marks: (document.body.textContent ?? "").includes("⟪U+202E⟫"),
    imgs: document.querySelectorAll("img").length,
    scripts: [...document.querySelectorAll("script")].filter((s) => !s.src).length,
    handlers: [...document.querySelectorAll("*")].some((el) =>
      [...el.attributes].some((a) => a.name.startsWith("on")),
    ),
    title: document.title,
  }));

it("the graph shows the names as text, with bidi controls marked", async () => {
  const label = (await page.locator(`${containerNode(api.id)} text.label`).textContent()) ?? "";
  // The label is shortened in the middle (shortName); the tooltip carries the whole name.
  expect(label).toContain("⟪U+202E⟫gnp.exe");
  const tooltip = (await page.locator(`${containerNode(api.id)} > title`).textContent()) ?? "";
  expect(tooltip).toContain("⟪U+202E⟫gnp.exe <img");
  const aria = await page.locator(containerNode(api.id)).getAttribute("aria-label");
  expect(aria).toContain("⟪U+202E⟫gnp.exe");
  const seen = await inspectPage();
  expect(seen).toMatchObject({ rawBidi: false, marks: true, imgs: 0, scripts: 0, handlers: false });
  expect(seen.title).not.toMatch(/^[12]$/);
  expect(errors).toEqual([]);
});

it("the details panel does too", async () => {
  // The graph stays hidden (visibility) until its first layout is done, and a hidden node takes no focus:
  // page.focus would silently leave it on <body> and the Enter would select nothing (seen under load).
  await page.waitForSelector(containerNode(api.id), { state: "visible", timeout: 45_000 });
  await page.focus(containerNode(api.id));
  expect(await page.evaluate(() => document.activeElement?.matches("g.node") ?? false)).toBe(true);
  await page.keyboard.press("Enter");
  await page.waitForSelector(`#details.pinned[data-id="${api.id}"]`);
  const text = (await page.locator("#details").textContent()) ?? "";
  expect(text).toContain("img ⟪U+202E⟫gnp.exe <img src=x");
  expect(text).toContain("⟪U+2066⟫x⟪U+2069⟫");
  expect(await inspectPage()).toMatchObject({ rawBidi: false, imgs: 0, scripts: 0, handlers: false });
  expect(errors).toEqual([]);
});
