import { dotString } from "../escape/dot.ts";
import { INK, LINK_STYLES, NETWORK_STYLES, STATE_STYLES } from "../graph-style.ts";
import type { GraphLink, GraphNode } from "../graph/index.ts";
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
  const grouped = new Set(graph.groups.flatMap((g) => g.members));
  for (const n of graph.nodes) if (!grouped.has(n.key)) out.push(`  ${id(n.key)}${nodeAttrs(n)};`);
  graph.groups.forEach((g, i) => {
    out.push(`  subgraph cluster_project_${i + 1} {`);
    out.push(
      `    graph${list({ label: `compose project ${g.name}`, color: g.color, fontcolor: g.color, style: "rounded" })};`,
    );
    for (const key of g.members) {
      const n = graph.nodes.find((x) => x.key === key);
      if (n) out.push(`    ${id(key)}${nodeAttrs(n)};`);
    }
    out.push("  }");
  });
  for (const l of graph.links) out.push(`  ${id(l.source)} -- ${id(l.target)}${edgeAttrs(l)};`);
  out.push(...legend(view, graph.nodes), "}");
  return `${out.join("\n")}\n`;
}

function nodeAttrs(n: GraphNode): string {
  const label = [n.label, ...n.sub].join("\n");
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
function legend(view: ExportView, nodes: GraphNode[]): string[] {
  const counts = countVerdicts(view);
  const styles = [...new Set(nodes.filter((n) => n.kind !== "container").map((n) => n.style ?? "bridge"))];
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
  ];
  out.push(
    `    legend_verdicts${list({ label: text.join("\n"), shape: "note", fillcolor: "#ffffff", color: "#d5dae1" })};`,
    "  }",
  );
  return out;
}
