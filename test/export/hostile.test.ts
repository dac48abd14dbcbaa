/**
 * Every hostile string through every text export, judged by the real consumers (Mermaid's parser, Graphviz,
 * marked, an XML parser, JSON.parse) against the same export of a benign string, and every CLI text output
 * through the terminal escape. The strings ride in names, images, project names, labels and options of a
 * replayed topology (see test/support/hostile.ts for which field carries what).
 */
import { describe, expect, it } from "vitest";
import { formatMatrix } from "../../server/cli/reachability-commands.ts";
import { escapeTerminal } from "../../server/model/escape/terminal.ts";
import { consistencyFindings } from "../../server/model/fleet/consistency.ts";
import { formatFindings } from "../../server/model/fleet/findings-text.ts";
import { exportText } from "../../server/model/export/index.ts";
import { explainPair, formatExplanation, indexTopology } from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { findingsFleetWith, fleetWith, HOSTILE_STRINGS, topologyWith } from "../support/hostile.ts";
import {
  dotProblems,
  jsonProblems,
  markdownProblems,
  mermaidProblems,
  shellProblems,
  svgProblems,
  textProblems,
} from "../support/inert.ts";

const BENIGN = topologyWith("benign");
const BENIGN_FLEET = fleetWith("benign");
/** A fleet drawn with its services as groups of tasks, and collapsed to one vertex each. */
const FLEET_VIEWS = [{}, { collapse: true }] as const;

describe.each(HOSTILE_STRINGS)("%s", (_, value) => {
  const hostile = topologyWith(value);

  it("mermaid parses to the same graph, with no directive, comment or click", async () => {
    expect(await mermaidProblems(exportText("mermaid", hostile), exportText("mermaid", BENIGN))).toEqual([]);
  });

  it("dot renders the same nodes and edges with Graphviz", async () => {
    expect(await dotProblems(exportText("dot", hostile), exportText("dot", BENIGN))).toEqual([]);
  });

  it("markdown has the same structure: no raw HTML, link or image", () => {
    expect(markdownProblems(exportText("md", hostile), exportText("md", BENIGN))).toEqual([]);
  });

  it("svg has the same elements, no script or handler", async () => {
    expect(await svgProblems(exportText("svg", hostile), exportText("svg", BENIGN))).toEqual([]);
  });

  it("json keeps the name exactly and prints inertly", () => {
    expect(jsonProblems(exportText("json", hostile), `api ${value}`)).toEqual([]);
  });

  describe("in a node's hostname and a service's name", () => {
    const fleet = fleetWith(value);
    it.each(FLEET_VIEWS)("mermaid parses to the same graph (%o)", async (options) => {
      const got = exportText("mermaid", fleet, options);
      expect(await mermaidProblems(got, exportText("mermaid", BENIGN_FLEET, options))).toEqual([]);
    });
    it.each(FLEET_VIEWS)("dot renders the same clusters, nodes and edges (%o)", async (options) => {
      const got = exportText("dot", fleet, options);
      expect(await dotProblems(got, exportText("dot", BENIGN_FLEET, options))).toEqual([]);
    });
    it.each(FLEET_VIEWS)("markdown has the same structure, its per-node section too (%o)", (options) => {
      const got = exportText("md", fleet, options);
      expect(markdownProblems(got, exportText("md", BENIGN_FLEET, options))).toEqual([]);
    });
    it.each(FLEET_VIEWS)("svg has the same elements, machine boxes too (%o)", async (options) => {
      const got = exportText("svg", fleet, options);
      expect(await svgProblems(got, exportText("svg", BENIGN_FLEET, options))).toEqual([]);
    });
    it("json keeps the node's and the service's names exactly", () => {
      const got = exportText("json", fleet);
      expect(jsonProblems(got, `node2 ${value}`)).toEqual([]);
      expect(jsonProblems(got, `web ${value}`)).toEqual([]);
    });
  });

  it("terminal text (matrix, why) has no raw control or bidi character", () => {
    const index = indexTopology(hostile);
    const why = formatExplanation(explainPair(index, `api ${value}`, "rgt-demo-db"));
    expect(textProblems(escapeTerminal(formatMatrix(hostile) + why))).toEqual([]);
    expect(escapeTerminal(why)).toContain("rgt-demo-db");
  });
});

const BENIGN_FINDINGS = findingsFleetWith("benign");
const rulesOf = (t: Topology) => consistencyFindings(t).map((f) => f.rule);

describe.each(HOSTILE_STRINGS)("findings across nodes: %s", (_, value) => {
  const hostile = findingsFleetWith(value);

  it("are the same findings, about the hostile names", () => {
    expect(rulesOf(hostile)).toEqual(rulesOf(BENIGN_FINDINGS));
    expect(rulesOf(hostile)).toEqual(expect.arrayContaining(["CS-1", "CS-3", "CS-4"]));
    expect(JSON.stringify(consistencyFindings(hostile))).toContain(
      JSON.stringify(`svc ${value}`).slice(1, -1),
    );
  });

  it("reachgraph check's text has no raw control or bidi character", () => {
    expect(textProblems(escapeTerminal(formatFindings(consistencyFindings(hostile))))).toEqual([]);
  });

  it("the Markdown report's findings section has the same structure", () => {
    const md = exportText("md", hostile);
    expect(md).toContain("## Consistency across nodes");
    expect(markdownProblems(md, exportText("md", BENIGN_FINDINGS))).toEqual([]);
  });

  it("every fix command reads back as the names it holds, running nothing", async () => {
    const commands = consistencyFindings(hostile).flatMap((f) =>
      f.fix.map((x) => /docker .*$/.exec(x)?.[0]).filter((c) => c !== undefined),
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(await shellProblems(command)).toEqual([]);
  });
});

it("the checks are real: unescaped hostile text fails each of them", async () => {
  const benign = exportText("mermaid", BENIGN);
  expect(await mermaidProblems(`${benign}%%{init: {"theme":"dark"}}%%\n`, benign)).not.toEqual([]);
  const dot = exportText("dot", BENIGN);
  expect(await dotProblems(dot.replace('"rgt-demo-db"', "<<b>x</b>>"), dot)).not.toEqual([]);
  const md = exportText("md", BENIGN);
  expect(markdownProblems(`${md}\n[x](javascript:alert(1)) <b>x</b>\n`, md)).not.toEqual([]);
  const svg = exportText("svg", BENIGN);
  expect(await svgProblems(svg.replace("</svg>", "<script>1</script></svg>"), svg)).not.toEqual([]);
  expect(textProblems("a\u001b[31mb")).not.toEqual([]);
  expect(textProblems("a\u202eb")).not.toEqual([]);
  expect(await shellProblems('docker network inspect x-$(echo RG_INJ""ECTED)')).not.toEqual([]);
});
