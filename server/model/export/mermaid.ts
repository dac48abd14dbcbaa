import { escapeMermaid, mermaidTitle } from "../escape/mermaid.ts";
import {
  CONTAINER_STATES,
  DOWN_LINK,
  GROUP_STYLES,
  INK,
  LINK_STYLES,
  NETWORK_KINDS,
  NETWORK_STYLES,
  SERVICE_VERTEX,
  STATE_STYLES,
} from "../graph-style.ts";
import type { Graph, GraphNode } from "../graph/index.ts";
import type { Cluster } from "./clusters.ts";
import { clusterTree, fleetLegend, serviceColours } from "./clusters.ts";
import type { Topology } from "../topology.ts";
import { buildExportGraph } from "./graph.ts";
import { nodeIds } from "./ids.ts";
import type { ExportOptions, ExportView } from "./view.ts";
import { countVerdicts, exportView } from "./view.ts";

const label = (lines: string[]): string => `"${lines.map(escapeMermaid).join("<br/>")}"`;

/** The topology as a Mermaid `flowchart`: hubs for networks, compose projects as subgraphs, a verdict legend. */
export function exportMermaid(topology: Topology, options: ExportOptions = {}): string {
  return renderMermaid(exportView(topology, options));
}

/** `exportMermaid` for an already built view. */
export function renderMermaid(view: ExportView): string {
  const graph = buildExportGraph(view);
  const ids = nodeIds(graph.nodes);
  const id = (key: string): string => ids.get(key) ?? "missing";
  const out = ["---", `title: ${mermaidTitle(`${view.title} (${view.subtitle})`)}`, "---", "flowchart LR"];
  out.push(...classDefs());
  const { top, clusters } = clusterTree(graph);
  for (const n of top) out.push(`  ${nodeLine(n, id(n.key))}`);
  const cluster = (c: Cluster, indent: string): void => {
    const g = c.group;
    const title = g.by === "project" ? [`compose project ${g.name}`] : [g.name, ...g.sub];
    out.push(`${indent}subgraph ${c.id}[${label(title)}]`);
    for (const n of c.vertices) out.push(`${indent}  ${nodeLine(n, id(n.key))}`);
    for (const child of c.children) cluster(child, `${indent}  `);
    const row = GROUP_STYLES[g.by];
    const dash = row.dash === "dashed" ? ",stroke-dasharray: 4 2" : "";
    out.push(`${indent}end`, `${indent}style ${c.id} fill:${g.color}${row.fillHex},stroke:${g.color}${dash}`);
  };
  for (const c of clusters) cluster(c, "  ");
  const colours = serviceColours(graph.groups);
  for (const n of graph.nodes.filter((x) => x.kind === "service")) {
    const c = colours.get(n.service ?? "") ?? INK.muted;
    out.push(`  style ${id(n.key)} fill:${c}33,stroke:${c},color:${INK.fg}`);
  }
  const green: number[] = [];
  graph.links.forEach((l, i) => {
    const arrow = l.down ? DOWN_LINK.mermaid : LINK_STYLES[l.kind].mermaid;
    const text = l.label ? `|${label([l.label])}|` : "";
    out.push(`  ${id(l.source)} ${arrow}${text} ${id(l.target)}`);
    if (LINK_STYLES[l.kind].ink === "host") green.push(i);
  });
  if (green.length) out.push(`  linkStyle ${green.join(",")} stroke:${NETWORK_STYLES.host.light}`);
  // A node takes one `:::class`; the INT-2 and ICC-1 outlines are added on top.
  for (const [flag, test] of [
    ["internal", (n: GraphNode) => n.internal],
    ["iccoff", (n: GraphNode) => n.iccOff],
  ] as const) {
    const flagged = graph.nodes.filter(test).map((n) => id(n.key));
    if (flagged.length) out.push(`  class ${flagged.join(",")} ${flag}`);
  }
  out.push(...legend(view, graph));
  return `${out.join("\n")}\n`;
}

function nodeLine(n: GraphNode, id: string): string {
  if (n.kind === "service") {
    const [open, close] = SERVICE_VERTEX.mermaid;
    return `${id}${open}${label([n.label, ...n.sub])}${close}`;
  }
  if (n.kind === "container") {
    const cls = n.joiner ? "joiner" : `state_${n.state ?? "running"}`;
    return `${id}(${label([n.label, ...n.sub])}):::${cls}`;
  }
  const style = n.style ?? "bridge";
  const [open, close] = NETWORK_STYLES[style].mermaid;
  return `${id}${open}${label([n.label, ...n.sub])}${close}:::net_${style.replace("-", "_")}`;
}

function classDefs(): string[] {
  const out: string[] = [];
  for (const style of NETWORK_KINDS) {
    const { light: c, outline } = NETWORK_STYLES[style];
    const dashed = outline === "dashed" ? ",stroke-dasharray: 4 2" : "";
    out.push(`  classDef net_${style.replace("-", "_")} fill:${c},stroke:${c},color:#fff${dashed}`);
  }
  out.push(`  classDef internal stroke:${INK.fg},stroke-width:3px,stroke-dasharray: 2 3`);
  out.push(`  classDef iccoff stroke:${INK.fg},stroke-width:4px`);
  for (const state of CONTAINER_STATES) {
    const { light: c, dashed } = STATE_STYLES[state];
    const fill = dashed ? "#fff" : `${c}33`;
    out.push(
      `  classDef state_${state} fill:${fill},stroke:${c},color:${INK.fg}${dashed ? ",stroke-dasharray: 3 2" : ""}`,
    );
  }
  out.push(
    `  classDef joiner fill:${STATE_STYLES.running.light}33,stroke:${NETWORK_STYLES.host.light},stroke-width:3px`,
  );
  out.push(`  classDef legend fill:#fff,stroke:#d5dae1,color:${INK.fg}`);
  return out;
}

/** The hub shapes used here, and what the verdicts are: Mermaid has no legend of its own. */
function legend(view: ExportView, graph: Graph): string[] {
  const counts = countVerdicts(view);
  const styles = [
    ...new Set(
      graph.nodes.filter((n) => n.kind === "network" || n.kind === "host").map((n) => n.style ?? "bridge"),
    ),
  ];
  const out = ['  subgraph legend["Legend"]', "    direction TB"];
  for (const s of styles) {
    const [open, close] = NETWORK_STYLES[s].mermaid;
    out.push(
      `    legend_${s.replace("-", "_")}${open}${label([NETWORK_STYLES[s].label])}${close}:::net_${s.replace("-", "_")}`,
    );
  }
  const lines = [
    "Verdicts (reachgraph matrix):",
    `✓ ${counts.reachable} reachable · ✗ ${counts.blocked} blocked · ? ${counts.unknown} unknown pairs`,
    "Containers on one hub reach each other, unless it is icc off (ICC-1).",
    "Internal hubs pass nothing in or out (INT-2); networks are isolated (UB-8).",
    "Edges: address of each interface; arrows from the host are published ports.",
    ...fleetLegend(graph, "Pills"),
  ];
  out.push(`    legend_verdicts[${label(lines)}]:::legend`, "  end");
  return out;
}
