import type { GraphNode, NodeKind } from "../graph/index.ts";

const PREFIX: Record<NodeKind, string> = { container: "c", host: "host", network: "n", service: "s" };

/**
 * Identifiers for Mermaid and DOT: letters, digits and `_` only, prefixed by kind (so no ID is a keyword such
 * as `end` or `graph`), unique, and derived from names so a person can edit the output.
 */
export function nodeIds(nodes: readonly GraphNode[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const n of nodes) {
    const prefix = PREFIX[n.kind];
    // A fleet has a host per machine, named after it, and local networks of one name on several machines;
    // a single engine's host is plain `host`.
    const name =
      n.kind === "host" ? n.node : n.kind === "network" && n.node !== null ? `${n.name}_${n.node}` : n.name;
    const stem = name === null ? "" : `_${name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
    let id = `${prefix}${stem}`;
    for (let k = 2; used.has(id); k++) id = `${prefix}${stem}_${k}`;
    used.add(id);
    out.set(n.key, id);
  }
  return out;
}
