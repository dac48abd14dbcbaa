/**
 * Hostile strings from the real engine, and wider ones from a snapshot file, through the real CLI: every
 * export and text output is inert (Mermaid parses with no directive, Graphviz parses, Markdown has no raw
 * HTML or link, the terminal gets no raw ESC, bidi controls are visible).
 *
 * Which input carries which characters: Docker restricts container and network names to
 * `[a-zA-Z0-9][a-zA-Z0-9_.-]`, but takes anything in a network alias (shown by `why` and the page), in labels
 * (the `com.docker.compose.project`/`service` labels become the compose project every export draws) and in
 * network options. Names themselves carry the full corpus through a snapshot file (`--snapshot`), which
 * accepts any string, as a hand-edited or foreign snapshot would.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSnapshot } from "../../server/model/snapshot.ts";
import { reachgraph } from "../support/cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { topologyWith } from "../support/hostile.ts";
import {
  dotProblems,
  jsonProblems,
  markdownProblems,
  mermaidProblems,
  svgProblems,
  textProblems,
} from "../support/inert.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, SLEEP } from "../support/scenario.ts";

const exec = promisify(execFile);
const cli = reachgraph;

/** One string with a payload for every destination. */
const HOSTILE = [
  `%%{init: {"theme":"dark","themeCSS":"@import url(https://evil.example/x.css)"}}%%`,
  "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
  "\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u001b[31mred\u001b[0m\r\b\u009b1m",
  "abc\u202egnp.exe \u2066iso\u2069",
  '| "q" \\ `t` #35; &amp; *em*',
  '\nclick c href "javascript:alert(1)"\n%% comment',
].join(" ");

async function expectExportsInert(source: string[], exact: string): Promise<void> {
  const out = async (format: string) => cli("export", "--format", format, ...source);
  const [mermaid, dot, md, svg, json] = await Promise.all(["mermaid", "dot", "md", "svg", "json"].map(out));
  expect(await mermaidProblems(mermaid), "mermaid").toEqual([]);
  expect(await dotProblems(dot), "dot").toEqual([]);
  expect(markdownProblems(md), "md").toEqual([]);
  expect(await svgProblems(svg), "svg").toEqual([]);
  expect(jsonProblems(json, exact), "json").toEqual([]);
  for (const [format, text] of Object.entries({ mermaid, dot, md, svg }))
    expect(text, `${format} shows the bidi override as a mark`).toContain("⟪U+202E⟫");
}

describe("hostile strings from the real engine", () => {
  let scenario: Scenario;
  let net: ScenarioNetwork;
  let api: ScenarioContainer;
  let db: ScenarioContainer;

  beforeAll(async () => {
    scenario = await Scenario.create();
    net = await scenario.network("hostile", {
      options: { "com.example.note": HOSTILE },
      labels: { "com.example.note": HOSTILE },
    });
    const labels = {
      "com.docker.compose.project": `proj ${HOSTILE}`,
      "com.docker.compose.service": `svc ${HOSTILE}`,
      "com.example.note": HOSTILE,
    };
    api = await scenario.container("api", { network: net.name, command: SLEEP, labels, aliases: [HOSTILE] });
    db = await scenario.container("db", { network: net.name, command: SLEEP, aliases: [`db ${HOSTILE}`] });
  });
  afterAll(() => scenario?.cleanup());

  it("the engine kept every character (the test is real)", async () => {
    const raw = await exec("docker", ["--host", ENGINE_URL, "inspect", api.id]).then((r) => r.stdout);
    expect(JSON.parse(raw)[0].Config.Labels["com.docker.compose.project"]).toBe(`proj ${HOSTILE}`);
  });

  it("every export is inert", () => expectExportsInert(["--engine", ENGINE_URL], `proj ${HOSTILE}`));

  it("why and matrix print no raw control, and show the bidi override", async () => {
    const why = await cli("why", api.name, db.name, "--engine", ENGINE_URL);
    expect(why).toContain("db %%{init"); // the alias is listed among the names that resolve
    expect(textProblems(why)).toEqual([]);
    expect(why).toContain("\\x1b]8;;https://evil.example\\x07");
    expect(why).toContain("⟪U+202E⟫");
    expect(textProblems(await cli("matrix", "--engine", ENGINE_URL))).toEqual([]);
  });

  it("JSON output keeps the alias exactly, with the controls as \\u escapes", async () => {
    const why = await cli("why", api.name, db.name, "--json", "--engine", ENGINE_URL);
    expect(textProblems(why.replace(/\n/g, ""))).toEqual([]);
    expect(JSON.stringify(JSON.parse(why))).toContain(JSON.stringify(`db ${HOSTILE}`).slice(1, -1));
  });
});

describe("hostile names from a snapshot file", () => {
  const dir = mkdtempSync(join(tmpdir(), "rg-hostile-"));
  const file = join(dir, "hostile.json");
  beforeAll(() => writeFileSync(file, JSON.stringify(buildSnapshot(topologyWith(HOSTILE)))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every export is inert", () => expectExportsInert(["--snapshot", file], `api ${HOSTILE}`));

  it("why and matrix print no raw control", async () => {
    const why = await cli("why", `api ${HOSTILE}`, "rgt-demo-db", "--snapshot", file);
    expect(why).toContain("api %%{init");
    expect(textProblems(why)).toEqual([]);
    expect(textProblems(await cli("matrix", "--snapshot", file))).toEqual([]);
  });
});
