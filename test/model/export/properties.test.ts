import { describe, expect, it } from "vitest";
import { exportText, TEXT_FORMATS } from "../../../server/model/export/index.ts";
import type { ExportDocument } from "../../../server/model/export/index.ts";
import { hostileTopology, inputIpv4s, INPUTS } from "./fixtures.ts";

const GRAPH_FORMATS = ["svg", "mermaid", "dot"] as const;

describe.each(Object.entries(INPUTS))("exports of the %s topology", (_, load) => {
  it.each(TEXT_FORMATS)("%s: the same input twice gives identical bytes", (format) => {
    const options = { hideSystem: true, redact: true };
    expect(exportText(format, load(), options)).toBe(exportText(format, load(), options));
    expect(exportText(format, load())).toBe(exportText(format, load()));
  });

  it.each(TEXT_FORMATS)("%s --redact: no IPv4 address of the input is left", (format) => {
    const topology = load();
    const ips = inputIpv4s(topology);
    expect(ips.length).toBeGreaterThan(5);
    const out = exportText(format, topology, { redact: true });
    const leaked = ips.filter((ip) =>
      new RegExp(`(?<![\\d.])${ip.replace(/\./g, "\\.")}(?![\\d])`).test(out),
    );
    expect(leaked).toEqual([]);
    expect(out).toMatch(/\bip-\d+\b/);
  });

  it.each(TEXT_FORMATS)("%s --redact: placeholders are stable across formats", (format) => {
    // The same address gets the same placeholder whichever format is written.
    const json = JSON.parse(exportText("json", load(), { redact: true })) as ExportDocument;
    const first = json.topology.containers.flatMap((c) => c.interfaces).find((i) => i.ipv4)?.ipv4;
    expect(first).toMatch(/^ip-\d+$/);
    if (format !== "json") expect(exportText(format, load(), { redact: true })).toContain(first as string);
  });

  it.each(GRAPH_FORMATS)("%s --hide-system: no docker_gwbridge, no default bridge hub", (format) => {
    const out = exportText(format, load(), { hideSystem: true });
    expect(out).not.toContain("docker_gwbridge");
    expect(out).not.toMatch(/n_bridge\b|data-name="bridge"/);
  });

  it("md and json --hide-system: system networks and their interfaces are left out of the inventory", () => {
    const doc = JSON.parse(exportText("json", load(), { hideSystem: true })) as ExportDocument;
    expect(doc.topology.networks.filter((n) => n.system)).toEqual([]);
    const ifaces = doc.topology.containers.flatMap((c) => c.interfaces.map((i) => i.network));
    expect(ifaces).not.toContain("docker_gwbridge");
    const md = exportText("md", load(), { hideSystem: true });
    const inventory = md.slice(0, md.indexOf("## Reachability"));
    expect(inventory).not.toContain("docker\\_gwbridge");
    expect(inventory).not.toContain("docker_gwbridge");
  });
});

describe("--project", () => {
  const load = INPUTS.example;
  it("keeps the project's containers, their networks and what they reach", () => {
    const doc = JSON.parse(exportText("json", load(), { project: "rgt-demo-shop" })) as ExportDocument;
    const names = doc.topology.containers.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["rgt-demo-shop-web-1", "rgt-demo-shop-db-1"]));
    // PP-4: shop containers reach rgt-demo-published through its published port; host-mode containers via the host.
    expect(names).toContain("rgt-demo-published");
    expect(names).not.toContain("rgt-demo-quiet-a");
    expect(doc.topology.networks.map((n) => n.name)).toEqual(["rgt-demo-shop_default"]);
    expect(new Set(doc.reachability.pairs.map((p) => p.from))).toEqual(
      new Set(names.filter((n) => n.startsWith("rgt-demo-shop-"))),
    );
  });

  it("names the known projects when the project does not exist", () => {
    expect(() => exportText("svg", load(), { project: "nope" })).toThrow(
      'no compose project "nope" in this topology; projects: rgt-demo-shop',
    );
  });
});

describe("hostile names and labels", () => {
  it("svg escapes engine strings for XML", () => {
    const out = exportText("svg", hostileTopology());
    expect(out).toContain("x&lt;y&gt;&amp;&quot;q&#39;#");
    expect(out).not.toContain("x<y>");
  });

  it("mermaid keeps quotes, brackets and arrows inside entity codes", () => {
    // The front-matter title is a YAML (JSON) string, drawn as plain text; the diagram body uses entity codes.
    const body = exportText("mermaid", hostileTopology()).split("\n---\n")[1];
    expect(body).toContain("x#lt;y#gt;#amp;#quot;q'#35;|[a]{b}");
    expect(body).not.toMatch(/x<y>|"q'#\|/);
  });

  it("dot escapes quotes and backslashes", () => {
    const out = exportText("dot", hostileTopology());
    expect(out).toContain("x<y>&\\\"q'#|[a]{b}\\\\n;end");
  });

  it("md escapes table pipes and markup", () => {
    const out = exportText("md", hostileTopology());
    expect(out).toContain("x\\<y\\>\\&\"q'\\#\\|\\[a\\]{b}");
    expect(out).not.toMatch(/\| api x<y>/);
  });
});
