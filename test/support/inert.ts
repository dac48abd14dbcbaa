/**
 * Whether an output is inert, judged by its real consumers: Mermaid's own parser, Graphviz, the `marked`
 * Markdown parser, an XML parser (jsdom), POSIX `sh`, plus the character checks a terminal needs.
 * Given the same output for a benign string, each check also compares structures: an escape that works
 * changes text only, never the number of nodes, edges, tokens or elements.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marked } from "marked";
import type { Token } from "marked";
import { hasBidi } from "../../server/model/escape/bidi.ts";
import { SHELL_MARKER } from "./hostile.ts";

/** C0 controls other than line break and tab, DEL and C1: what a terminal would act on. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Problems a terminal or editor would show wrongly: raw controls, raw bidi controls. */
export function textProblems(text: string): string[] {
  const out: string[] = [];
  const control = RAW_CONTROL.exec(text);
  if (control) out.push(`raw control U+${control[0].charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (hasBidi(text)) out.push("raw bidi control");
  return out;
}

interface JsdomWindow {
  DOMParser: typeof DOMParser;
}

let windowPromise: Promise<JsdomWindow> | undefined;
/** One jsdom window, made global once: Mermaid's sanitiser needs a DOM even to parse. */
function domWindow(): Promise<JsdomWindow> {
  // jsdom ships no type declarations: a specifier in a variable keeps TypeScript from resolving it.
  const jsdomModule: string = "jsdom";
  windowPromise ??= import(jsdomModule).then((m: { JSDOM: new (html: string) => { window: unknown } }) => {
    const { window } = new m.JSDOM("<!doctype html><html><body></body></html>");
    const w = window as Window & typeof globalThis;
    Object.assign(globalThis, { window: w, document: w.document });
    return w as unknown as JsdomWindow;
  });
  return windowPromise;
}

interface MermaidShape {
  config: Record<string, unknown>;
  vertices: number;
  edges: number;
  subgraphs: number;
  classes: string;
}

/** What Mermaid's own parser reads: the configuration (directives land there) and the graph's size. */
export async function mermaidShape(text: string): Promise<MermaidShape> {
  await domWindow();
  const { default: mermaid } = await import("mermaid");
  mermaid.initialize({ startOnLoad: false });
  const { config } = (await mermaid.parse(text)) as unknown as { config: Record<string, unknown> };
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as {
    getVertices(): Map<string, { classes: string[] }>;
    getEdges(): unknown[];
    getSubGraphs(): unknown[];
  };
  const vertices = [...db.getVertices().values()];
  return {
    config,
    vertices: vertices.length,
    edges: db.getEdges().length,
    subgraphs: db.getSubGraphs().length,
    classes: vertices.map((v) => v.classes.join(",")).join(";"),
  };
}

/** Mermaid problems: a parse error, a directive, a comment, or a graph of another shape than the benign one. */
export async function mermaidProblems(text: string, benign?: string): Promise<string[]> {
  const out = textProblems(text);
  if (text.includes("%%")) out.push("a %% directive or comment survives");
  if (/^\s*click\b/m.test(text)) out.push("a click statement");
  try {
    const got = await mermaidShape(text);
    if (Object.keys(got.config).length) out.push(`configuration set: ${JSON.stringify(got.config)}`);
    const want = benign === undefined ? got : await mermaidShape(benign);
    for (const k of ["vertices", "edges", "subgraphs", "classes"] as const)
      if (got[k] !== want[k]) out.push(`${k}: ${got[k]} instead of ${want[k]}`);
  } catch (error) {
    out.push(`mermaid: ${(error as Error).message.split("\n")[0]}`);
  }
  return out;
}

function run(
  cmd: string,
  args: string[],
  input: string,
  more: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const options = { maxBuffer: 64 * 1024 * 1024, timeout: 30_000, ...more };
    const child = execFile(cmd, args, options, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

/** Objects (nodes, clusters) and edges Graphviz reads. */
async function dotShape(text: string): Promise<{ objects: number; edges: number }> {
  const result = await run("dot", ["-Tjson0"], text);
  if (result.code !== 0 || result.stderr) throw new Error(`dot: ${result.stderr.trim() || result.code}`);
  const doc = JSON.parse(result.stdout) as { objects?: unknown[]; edges?: unknown[] };
  return {
    objects: doc.objects?.length ?? 0,
    edges: doc.edges?.length ?? 0,
  };
}

/** DOT problems: Graphviz rejects it, or reads another number of nodes and edges than the benign one. */
export async function dotProblems(text: string, benign?: string): Promise<string[]> {
  const out = textProblems(text);
  try {
    const got = await dotShape(text);
    const want = benign === undefined ? got : await dotShape(benign);
    if (got.objects !== want.objects) out.push(`${got.objects} objects instead of ${want.objects}`);
    if (got.edges !== want.edges) out.push(`${got.edges} edges instead of ${want.edges}`);
  } catch (error) {
    out.push((error as Error).message);
  }
  if (/=\s*</.test(text)) out.push("an unquoted (HTML-like) attribute value");
  return out;
}

/** Token types marked reads, nested, without plain text and escapes (which differ with the text). */
function markdownShape(text: string): string {
  const counts = new Map<string, number>();
  const visit = (tokens: Token[]): void => {
    for (const t of tokens) {
      // The export's own line breaks in table cells are `<br>`; any other HTML is an injection.
      const type = t.type === "html" && t.raw === "<br>" ? "br" : t.type;
      if (type !== "text" && type !== "escape") counts.set(type, (counts.get(type) ?? 0) + 1);
      const nested = t as {
        tokens?: Token[];
        items?: Token[];
        header?: { tokens: Token[] }[];
        rows?: { tokens: Token[] }[][];
      };
      if (nested.tokens) visit(nested.tokens);
      if (nested.items) visit(nested.items);
      for (const cell of nested.header ?? []) visit(cell.tokens);
      for (const row of nested.rows ?? []) for (const cell of row) visit(cell.tokens);
    }
  };
  visit(marked.lexer(text));
  return [...counts]
    .sort()
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
}

/** Markdown problems: raw HTML, links or images, or any other structure than the benign document's. */
export function markdownProblems(text: string, benign?: string): string[] {
  const out = textProblems(text);
  const got = markdownShape(text);
  const want = benign === undefined ? got : markdownShape(benign);
  if (/\b(html|link|image):/.test(got))
    out.push(`markup: ${got.match(/\b(html|link|image):\d+/g)?.join(", ")}`);
  if (got !== want) out.push(`structure ${got} instead of ${want}`);
  return out;
}

/** Elements per tag name in an XML document, and problems its parser reports. */
async function svgShape(text: string): Promise<{ tags: string; script: boolean; handlers: boolean }> {
  const window = await domWindow();
  const doc = new window.DOMParser().parseFromString(text, "image/svg+xml");
  if (doc.getElementsByTagName("parsererror").length) throw new Error("the SVG is not well-formed XML");
  const counts = new Map<string, number>();
  const all = [...doc.getElementsByTagName("*")];
  for (const el of all) counts.set(el.tagName, (counts.get(el.tagName) ?? 0) + 1);
  return {
    tags: [...counts]
      .sort()
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
    script: all.some(
      (el) => el.tagName.toLowerCase() === "script" || el.tagName.toLowerCase() === "foreignobject",
    ),
    handlers: all.some((el) => [...el.attributes].some((a) => /^on/i.test(a.name))),
  };
}

/** SVG problems: not well-formed, scripts or handlers, or another set of elements than the benign one. */
export async function svgProblems(text: string, benign?: string): Promise<string[]> {
  const out = textProblems(text);
  try {
    const got = await svgShape(text);
    const want = benign === undefined ? got : await svgShape(benign);
    if (got.script) out.push("a script or foreignObject element");
    if (got.handlers) out.push("an on* event handler attribute");
    if (got.tags !== want.tags) out.push(`elements ${got.tags} instead of ${want.tags}`);
  } catch (error) {
    out.push((error as Error).message);
  }
  return out;
}

/** JSON problems: not parseable, raw C1/bidi characters, or `exact` (a name) not kept exactly. */
export function jsonProblems(text: string, exact: string): string[] {
  const out = textProblems(text.replace(/\n/g, ""));
  try {
    const found = JSON.stringify(JSON.parse(text)).includes(JSON.stringify(exact).slice(1, -1));
    if (!found) out.push("the name is not kept exactly");
  } catch (error) {
    out.push(`json: ${(error as Error).message}`);
  }
  return out;
}

/**
 * Shell problems of one pasted command: sh rejects it, or running it with `docker` as a shell function prints
 * the payload's marker. It runs with a PATH that holds nothing (only builtins exist) in a fresh empty
 * directory, removed afterwards, since an unquoted `>` in a name would create files.
 */
export async function shellProblems(command: string): Promise<string[]> {
  const script = `docker() { printf '%s\\n' "$@"; }\n${command}\n`;
  const cwd = mkdtempSync(join(tmpdir(), "rg-shell-"));
  const result = await run("/bin/sh", ["-s"], script, { env: { PATH: "/nonexistent" }, cwd }).finally(() =>
    rmSync(cwd, { recursive: true, force: true }),
  );
  const out: string[] = [];
  if (result.code !== 0) out.push(`sh exited ${result.code}: ${result.stderr.trim().slice(0, 120)}`);
  // The payload spells the marker with an empty quote inside: only a shell that runs it prints it whole.
  if (result.stdout.includes(SHELL_MARKER)) out.push("the payload ran");
  return out;
}
