/**
 * Exports checked by their real consumers: Graphviz renders the DOT, Mermaid's own parser reads the Mermaid,
 * Chromium opens the SVG and the PNG.
 */
import { execFile } from "node:child_process";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, rasterizeSvg, svgSize } from "../../server/export/png.ts";
import { buildExportGraph, exportText, exportView } from "../../server/model/export/index.ts";
import type { ExportOptions } from "../../server/model/export/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { hostileTopology, INPUTS } from "../model/export/fixtures.ts";
import { twoEngineFleet } from "../support/fleet-topologies.ts";

const CASES: Array<[string, () => Topology, ExportOptions]> = [
  ["example", INPUTS.example, {}],
  ["api-samples", INPUTS["api-samples"], {}],
  ["example --hide-system --redact", INPUTS.example, { hideSystem: true, redact: true }],
  ["example --project rgt-demo-shop", INPUTS.example, { project: "rgt-demo-shop" }],
  ["hostile names", hostileTopology, {}],
  ["the recorded swarm", INPUTS["fleet-swarm"], {}],
  ["the recorded swarm, services collapsed", INPUTS["fleet-swarm"], { collapse: true }],
  ["the recorded swarm --node node2", INPUTS["fleet-swarm"], { node: "node2" }],
  ["a manager alone, a worker down", INPUTS["fleet-down"], {}],
  ["two standalone engines", twoEngineFleet, {}],
];

function graphviz(dot: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile("dot", ["-Tsvg"], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(dot);
  });
}

describe("DOT renders with Graphviz", () => {
  it.each(CASES)("%s", async (_, load, options) => {
    const result = await graphviz(exportText("dot", load(), options));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("<svg");
  });

  it("a broken file does fail (the check is real)", async () => {
    expect((await graphviz('graph x { a -- "b }')).code).not.toBe(0);
  });
});

describe("Mermaid parses with the Mermaid library's own parser", () => {
  let parse: (text: string) => Promise<unknown>;
  beforeAll(async () => {
    // Mermaid's sanitiser needs a DOM even to parse; jsdom provides one.
    // jsdom ships no type declarations (and @types/jsdom is not a dependency): a specifier held in a variable
    // keeps TypeScript from resolving it, and the one constructor used is typed here.
    const jsdomModule: string = "jsdom";
    const { JSDOM } = (await import(jsdomModule)) as {
      JSDOM: new (html: string) => { window: Window & typeof globalThis };
    };
    const dom = new JSDOM("<!doctype html><html><body></body></html>");
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    const { default: mermaid } = await import("mermaid");
    mermaid.initialize({ startOnLoad: false });
    parse = (text) => mermaid.parse(text);
  });

  it.each(CASES)("%s", async (_, load, options) => {
    await expect(parse(exportText("mermaid", load(), options))).resolves.toMatchObject({
      diagramType: "flowchart-v2",
    });
  });

  it("a broken flowchart does fail (the check is real)", async () => {
    await expect(parse('flowchart LR\n  a["x"] --- b[[[')).rejects.toThrow(/Parse error/);
  });
});

describe("SVG and PNG open in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  async function openImage(page: Page, dataUrl: string): Promise<{ width: number; height: number }> {
    await page.setContent(`<!doctype html><img id="i" src="${dataUrl}">`);
    return page.evaluate(async () => {
      const img = document.getElementById("i") as HTMLImageElement;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    });
  }

  it.each(CASES)("%s", async (_, load, options) => {
    const topology = load();
    const svg = exportText("svg", topology, options);
    const graph = buildExportGraph(exportView(topology, options));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    try {
      const size = await openImage(page, `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`);
      expect(size).toEqual(svgSize(svg));
      await page.setContent(`<!doctype html><body>${svg}</body>`);
      const count = (kind: string) => page.locator(`svg g[data-kind="${kind}"]`).count();
      expect(await count("container")).toBe(graph.nodes.filter((n) => n.kind === "container").length);
      expect(await count("network")).toBe(graph.nodes.filter((n) => n.kind === "network").length);
      expect(await page.locator("svg .legend").count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    ["the recorded swarm", INPUTS["fleet-swarm"], {}],
    ["the recorded swarm, services collapsed", INPUTS["fleet-swarm"], { collapse: true }],
    ["two standalone engines", twoEngineFleet, {}],
  ] as const)(
    "%s: a box per machine holds what lives on it, boxes never overlap, overlays lie outside",
    async (_, load, options) => {
      const svg = exportText("svg", load(), options);
      const page = await browser.newPage();
      try {
        await page.setContent(`<!doctype html><body>${svg}</body>`);
        const found = await page.evaluate(() => {
          const box = (el: Element) => (el as SVGGraphicsElement).getBoundingClientRect();
          const rects = [...document.querySelectorAll("g.machine")].map((g) => ({
            node: g.getAttribute("data-node") ?? "",
            r: box(g.querySelector("rect") as Element),
          }));
          const centre = (el: Element) => {
            const b = box(el.querySelector(".shape, .svc-shape") as Element);
            return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
          };
          const inside = (p: { x: number; y: number }, r: DOMRect) =>
            p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom;
          const problems: string[] = [];
          for (const v of document.querySelectorAll("g.nodes > g")) {
            const node = v.getAttribute("data-node");
            const p = centre(v);
            const holders = rects.filter((x) => inside(p, x.r)).map((x) => x.node);
            const want = node === null ? [] : [node];
            if (holders.join() !== want.join())
              problems.push(
                `${v.getAttribute("data-name")} of ${node ?? "no machine"} in ${holders.join() || "no box"}`,
              );
          }
          for (const a of rects)
            for (const b of rects)
              if (
                a.node < b.node &&
                a.r.left < b.r.right &&
                b.r.left < a.r.right &&
                a.r.top < b.r.bottom &&
                b.r.top < a.r.bottom
              )
                problems.push(`${a.node} overlaps ${b.node}`);
          return { machines: rects.length, problems };
        });
        expect(found.machines).toBeGreaterThan(1);
        expect(found.problems).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );

  it("the PNG is the SVG at twice its size", async () => {
    const svg = exportText("svg", INPUTS.example(), { hideSystem: true });
    const png = await rasterizeSvg(svg);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const page = await browser.newPage();
    try {
      const size = await openImage(page, `data:image/png;base64,${png.toString("base64")}`);
      const expected = svgSize(svg);
      expect(size).toEqual({ width: expected.width * 2, height: expected.height * 2 });
    } finally {
      await page.close();
    }
  });
});
