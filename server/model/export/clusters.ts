import { GROUP_STYLES, SERVICE_VERTEX } from "../graph-style.ts";
import type { Graph, GraphGroup, GraphNode } from "../graph/index.ts";

/** A group drawn as a box of its own (a DOT cluster, a Mermaid subgraph), with what is drawn inside it. */
export interface Cluster {
  group: GraphGroup;
  /** Its ID stem in DOT and Mermaid: `project_1`, `node_alpha`, `service_web`. */
  id: string;
  /** Vertices whose innermost box this is, in the group's member order. */
  vertices: GraphNode[];
  children: Cluster[];
}

/**
 * The boxes of a drawn export, nested: machines at the top, a fleet's compose projects and one-machine
 * services inside their machine, a single engine's projects at the top. A vertex is drawn in its innermost box
 * only (DOT and Mermaid place a node once); what no box holds — overlays spanning machines, a service's
 * vertex spanning them — is drawn at the top, once. A service across machines is no box: its tasks are in
 * their machines' boxes.
 */
export function clusterTree(graph: Graph): { top: GraphNode[]; clusters: Cluster[] } {
  const boxed = graph.groups.filter((g) => g.by !== "service" || (!g.collapsed && g.parent !== null));
  const ids = clusterIds(boxed);
  const clusters = new Map(
    boxed.map((g) => [g.key, { group: g, id: ids.get(g.key) ?? "", vertices: [], children: [] } as Cluster]),
  );
  const home = new Map<string, Cluster>();
  // Machines claim their members first and inner boxes take theirs over: a machine keeps what no box inside holds.
  for (const c of [...clusters.values()].sort((a, b) => depth(a.group) - depth(b.group)))
    for (const m of c.group.members) home.set(m, c);
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  for (const c of clusters.values())
    for (const m of c.group.members)
      if (home.get(m) === c && byKey.has(m)) c.vertices.push(byKey.get(m) as GraphNode);
  const top: Cluster[] = [];
  for (const c of clusters.values()) {
    const parent = c.group.parent === null ? undefined : clusters.get(c.group.parent);
    (parent ? parent.children : top).push(c);
  }
  return { top: graph.nodes.filter((n) => !home.has(n.key)), clusters: top };
}

/** Machines are outermost (0); what is drawn inside them comes after, so it claims its members last. */
function depth(g: GraphGroup): number {
  return g.parent === null ? 0 : 1;
}

/** `project_<n>` (numbered, as a single engine's exports always were), `node_<name>`, `service_<name>`; unique. */
function clusterIds(groups: readonly GraphGroup[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  let projects = 0;
  for (const g of groups) {
    const stem =
      g.by === "project"
        ? `project_${++projects}`
        : `${g.by}_${g.name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
    let id = stem;
    for (let k = 2; used.has(id); k++) id = `${stem}_${k}`;
    used.add(id);
    out.set(g.key, id);
  }
  return out;
}

/** Each service's colour by name: a collapsed service's vertex is drawn in its group's colour. */
export function serviceColours(groups: readonly GraphGroup[]): Map<string, string> {
  return new Map(groups.filter((g) => g.by === "service").map((g) => [g.name, g.color]));
}

/** The legend lines of a fleet's boxes, from the style table; none for a single engine. */
export function fleetLegend(graph: Graph, serviceShape: string): string[] {
  const out: string[] = [];
  if (graph.groups.some((g) => g.by === "node"))
    out.push(
      `Boxes: each ${GROUP_STYLES.node.legend}; overlays outside the boxes span the machines they reach.`,
    );
  if (graph.groups.some((g) => g.by === "service" && !g.collapsed && g.parent !== null))
    out.push(`Dashed boxes: a ${GROUP_STYLES.service.legend} on one machine.`);
  if (graph.nodes.some((n) => n.kind === "service")) out.push(`${serviceShape}: a ${SERVICE_VERTEX.legend}.`);
  return out;
}
