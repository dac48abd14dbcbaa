import { dotString } from "../escape/dot.ts";
import {
  GROUP_STYLES,
  INK,
  LINK_STYLES,
  NETWORK_STYLES,
  SERVICE_VERTEX,
  STATE_STYLES,
} from "../graph-style.ts";
import type { Graph, GraphGroup, GraphLink, GraphNode } from "../graph/index.ts";
import type { Cluster } from "./clusters.ts";
import { clusterTree, fleetLegend, serviceColours } from "./clusters.ts";
import type { Topology } from "../topology.ts";
import { buildExportGraph } from "./graph.ts";
import { nodeIds } from "./ids.ts";
import type { ExportOptions, ExportView } from "./view.ts";
import { countVerdicts, exportView } from "./view.ts";

const FONT = "Helvetica";

/** `[a="x", b="y"]`, every value quoted. */
function list(values: Record<string, string | number | undefined>): string {
  const items = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${dotString(String(v))}`);
  return items.length ? ` [${items.join(", ")}]` : "";
}

/** The topology as a Graphviz `graph`: hubs for networks, compose projects as clusters, a verdict legend. */
export function exportDot(topology: Topology, options: ExportOptions = {}): string {
  return renderDot(exportView(topology, options));
}

/** `exportDot` for an already built view. */
export function renderDot(view: ExportView): string {
  const graph = buildExportGraph(view);
  const ids = nodeIds(graph.nodes);
  const id = (key: string): string => ids.get(key) ?? "missing";
  const out = [
    "graph reachgraph {",
    `  graph${list({ label: `${view.title}\n${view.subtitle}`, labelloc: "t", fontname: FONT, fontsize: 16, rankdir: "LR", overlap: "false", splines: "true", bgcolor: INK.bg })};`,
    `  node${list({ fontname: FONT, fontsize: 10, style: "filled", penwidth: 1.5 })};`,
    `  edge${list({ fontname: FONT, fontsize: 8, color: INK.edge, fontcolor: INK.edgeLabel })};`,
  ];
  const colours = serviceColours(graph.groups);
  const { top, clusters } = clusterTree(graph);
  for (const n of top) out.push(`  ${id(n.key)}${nodeAttrs(n, colours)};`);
  const cluster = (c: Cluster, indent: string): void => {
    out.push(`${indent}subgraph cluster_${c.id} {`, `${indent}  graph${clusterAttrs(c.group)};`);
    for (const n of c.vertices) out.push(`${indent}  ${id(n.key)}${nodeAttrs(n, colours)};`);
    for (const child of c.children) cluster(child, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const c of clusters) cluster(c, "  ");
  for (const l of graph.links) out.push(`  ${id(l.source)} -- ${id(l.target)}${edgeAttrs(l)};`);
  out.push(...legend(view, graph), "}");
  return `${out.join("\n")}\n`;
}

/** A box: a compose project's outline as it always was; a machine's box with its engine and swarm state. */
function clusterAttrs(g: GraphGroup): string {
  const row = GROUP_STYLES[g.by];
  const label = g.by === "project" ? `compose project ${g.name}` : [g.name, ...g.sub].join("\n");
  return list({
    label,
    color: g.color,
    fontcolor: g.color,
    style: row.dot,
    fillcolor: row.dot.includes("filled") ? `${g.color}${row.fillHex}` : undefined,
  });
}

function nodeAttrs(n: GraphNode, colours: Map<string, string>): string {
  const label = [n.label, ...n.sub].join("\n");
  if (n.kind === "service") {
    const c = colours.get(n.service ?? "") ?? INK.muted;
    return list({
      label,
      shape: SERVICE_VERTEX.dot,
      style: "filled",
      color: c,
      fillcolor: `${c}33`,
      tooltip: n.name,
    });
  }
  if (n.kind === "container") {
    const row = STATE_STYLES[n.state ?? "running"];
    const c = row.light;
    return list({
      label,
      shape: "box",
      style: row.dashed ? "rounded,dashed" : "rounded,filled",
      color: n.joiner ? NETWORK_STYLES.host.light : c,
      fillcolor: `${c}33`,
      penwidth: n.joiner ? 3 : undefined,
      tooltip: n.name,
    });
  }
  const row = NETWORK_STYLES[n.style ?? "bridge"];
  const c = row.light;
  const dashed = row.outline === "dashed" || n.internal;
  return list({
    label,
    shape: row.dot,
    // The page draws docker0 with a wide halo; Graphviz's nearest is a second outline.
    peripheries: row.outline === "halo" ? 2 : undefined,
    style: dashed ? "filled,dashed" : "filled",
    color: n.internal || n.iccOff ? INK.fg : c,
    penwidth: n.internal || n.iccOff ? 3 : undefined,
    fillcolor: c,
    fontcolor: "#ffffff",
    tooltip: n.name,
  });
}

function edgeAttrs(l: GraphLink): string {
  const row = LINK_STYLES[l.kind];
  const style = l.down ? "dotted" : row.dash === "solid" ? undefined : row.dash;
  return list({
    label: l.label || undefined,
    style,
    color: row.ink === "host" ? NETWORK_STYLES.host.light : undefined,
    dir: row.directed ? "forward" : undefined,
  });
}

/** The hub shapes used here and what the verdicts are, as a cluster of its own. */
function legend(view: ExportView, graph: Graph): string[] {
  const counts = countVerdicts(view);
  const styles = [
    ...new Set(
      graph.nodes.filter((n) => n.kind === "network" || n.kind === "host").map((n) => n.style ?? "bridge"),
    ),
  ];
  const out = [
    "  subgraph cluster_legend {",
    `    graph${list({ label: "Legend", color: "#d5dae1", style: "rounded" })};`,
  ];
  for (const s of styles) {
    const row = NETWORK_STYLES[s];
    out.push(
      `    legend_${s.replace("-", "_")}${list({ label: row.label, shape: row.dot, fillcolor: row.light, color: row.light, fontcolor: "#ffffff" })};`,
    );
  }
  const text = [
    "Verdicts (reachgraph matrix):",
    `✓ ${counts.reachable} reachable · ✗ ${counts.blocked} blocked · ? ${counts.unknown} unknown pairs`,
    "Containers on one hub reach each other, unless it is icc off (ICC-1, thick outline).",
    "Internal hubs pass nothing in or out (INT-2, dashed outline); networks are isolated (UB-8).",
    "Edge labels: each interface's address; arrows from the host: published ports.",
    ...fleetLegend(graph, "Stacked boxes"),
  ];
  out.push(
    `    legend_verdicts${list({ label: text.join("\n"), shape: "note", fillcolor: "#ffffff", color: "#d5dae1" })};`,
    "  }",
  );
  return out;
}
