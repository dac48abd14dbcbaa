import { blankNode } from "./blank-node.ts";
import { middleEllipsis } from "./short-name.ts";
import type { Graph, GraphGroup, GraphLink, GraphNode } from "./types.ts";

/** A collapsed service's vertex key. */
export const serviceKey = (serviceId: string): string => `s:${serviceId}`;
/** An aggregated edge's label lists at most this many of its tasks' labels. */
const MAX_LABELS = 3;

/**
 * Draws the chosen services (by name; `true`: every one) as one vertex each, standing for its tasks: every
 * edge of a task moves to the vertex, edges of the same kind to the same other end become one (labels
 * merged, down only when all were), and edges between two of its tasks vanish. Other groups keep the vertex
 * where they had its tasks; a machine keeps it only when every task ran there.
 */
export function collapseServices(graph: Graph, collapse: readonly string[] | boolean): Graph {
  const chosen = (g: GraphGroup): boolean =>
    g.by === "service" && (collapse === true || (Array.isArray(collapse) && collapse.includes(g.name)));
  const services = graph.groups.filter(chosen);
  if (!services.length) return graph;
  const into = new Map<string, string>();
  const vertices = new Map<string, GraphNode>();
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  for (const g of services) {
    const key = serviceKey(g.key.slice("service:".length));
    for (const m of g.members) into.set(m, key);
    vertices.set(
      key,
      serviceVertex(
        g,
        key,
        g.members.map((m) => byKey.get(m) as GraphNode),
      ),
    );
  }
  const moved = (key: string): string => into.get(key) ?? key;
  const machineOf = new Map([...vertices].map(([k, v]) => [k, v.node]));

  const nodes: GraphNode[] = [];
  for (const n of graph.nodes) {
    const target = into.get(n.key);
    if (target === undefined) nodes.push(n.near === null ? n : { ...n, near: moved(n.near) });
    else if (vertices.has(target)) {
      const v = vertices.get(target) as GraphNode;
      nodes.push({ ...v, near: v.near === null ? null : moved(v.near) });
      vertices.delete(target);
    }
  }
  return {
    nodes,
    links: aggregate(graph.links, into),
    groups: graph.groups.map((g) => regroup(g, into, machineOf, chosen(g))),
  };
}

function serviceVertex(g: GraphGroup, key: string, tasks: GraphNode[]): GraphNode {
  const machines = [...new Set(tasks.map((t) => t.node ?? ""))].filter(Boolean).sort();
  return {
    ...blankNode(),
    key,
    id: g.key.slice("service:".length),
    kind: "service",
    name: g.name,
    label: middleEllipsis(g.name),
    sub: g.sub,
    near: tasks.find((t) => t.near !== null)?.near ?? null,
    node: machines.length === 1 ? machines[0] : null,
    spans: machines,
    service: g.name,
  };
}

function aggregate(links: readonly GraphLink[], into: Map<string, string>): GraphLink[] {
  const out = new Map<string, { link: GraphLink; labels: string[]; down: boolean }>();
  const kept: Array<GraphLink | string> = [];
  for (const l of links) {
    const source = into.get(l.source) ?? l.source;
    const target = into.get(l.target) ?? l.target;
    if (source === l.source && target === l.target) {
      kept.push(l);
      continue;
    }
    if (source === target) continue;
    const vertex = into.has(l.source) ? source : target;
    const other = vertex === source ? target : source;
    const key = `${l.kind}:${vertex.slice(2)}:${other}`;
    const known = out.get(key);
    if (known) {
      if (l.label && !known.labels.includes(l.label)) known.labels.push(l.label);
      known.down &&= l.down;
      continue;
    }
    out.set(key, {
      link: { ...l, key, source, target, containerId: vertex.slice(2) },
      labels: l.label ? [l.label] : [],
      down: l.down,
    });
    kept.push(key);
  }
  return kept.map((k) => {
    if (typeof k !== "string") return k;
    const { link, labels, down } = out.get(k) as { link: GraphLink; labels: string[]; down: boolean };
    const label =
      labels.length > MAX_LABELS
        ? `${labels.slice(0, MAX_LABELS).join(", ")} +${labels.length - MAX_LABELS}`
        : labels.join(", ");
    return { ...link, label, down };
  });
}

function regroup(
  g: GraphGroup,
  into: Map<string, string>,
  machineOf: Map<string, string | null>,
  collapsed: boolean,
): GraphGroup {
  if (collapsed) return { ...g, members: [into.get(g.members[0]) as string], collapsed: true };
  const members = [...new Set(g.members.map((m) => into.get(m) ?? m))];
  if (g.by !== "node") return { ...g, members };
  // A collapsed service spanning machines belongs to none of them: it is drawn between them, as an overlay.
  return { ...g, members: members.filter((m) => !machineOf.has(m) || machineOf.get(m) === g.name) };
}
