import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { CHROMIUM_PATH } from "./chromium-path.ts";

/** Headless Chromium with everything that would phone home switched off. */
export function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  return chromium
    .launch({
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    })
    .catch((cause: unknown) => {
      throw new Error(`starting Chromium at ${executablePath} failed`, { cause });
    });
}

export interface RasterOptions {
  /** Device pixels per SVG pixel; default 2. */
  scale?: number;
  executablePath?: string;
}

/** Rasterises a standalone SVG document (with `width`/`height`) to PNG bytes in headless Chromium. */
export async function rasterizeSvg(svg: string, options: RasterOptions = {}): Promise<Buffer> {
  const { width, height } = svgSize(svg);
  const browser = await launchChromium(options.executablePath);
  try {
    const page = await browser.newPage({
      viewport: { width: Math.max(1, width), height: Math.max(1, height) },
      deviceScaleFactor: options.scale ?? 2,
    });
    // No network: the SVG is self-contained, and nothing it names may be fetched.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.locator("svg").first().screenshot({ type: "png" });
  } finally {
    await browser.close();
  }
}

/** The pixel size an SVG document declares on its root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const read = (name: string): number => Number(new RegExp(`\\s${name}="([\\d.]+)"`).exec(root)?.[1] ?? NaN);
  const width = read("width");
  const height = read("height");
  if (!(width > 0 && height > 0)) throw new Error("the SVG has no width and height on its root element");
  return { width: Math.ceil(width), height: Math.ceil(height) };
}
