import type { Topology } from "../../server/model/topology.ts";

/** One searchable container or network. */
export interface SearchEntry {
  id: string;
  kind: "container" | "network";
  name: string;
  /** Shown under the name: image or driver, and the first address. */
  detail: string;
  project: string | null;
  service: string | null;
  /** A swarm task's service. */
  swarmService: string | null;
  /** Lowercased name, image, addresses, label keys and values. */
  text: string;
}

export interface SearchResult {
  total: number;
  entries: SearchEntry[];
  /** IDs of every match, not only the first `limit`. */
  ids: Set<string>;
}

/** Indexes a topology for search by name, image, IP or label; O(containers + interfaces + labels). */
export function indexForSearch(topology: Topology): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const c of topology.containers) {
    const ips = c.interfaces.flatMap((i) => [i.ipv4, i.ipv6].filter((a): a is string => !!a));
    const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
    out.push({
      id: c.id,
      kind: "container",
      name: c.name,
      detail: [c.image, ips[0]].filter(Boolean).join(" · "),
      project: c.compose?.project ?? null,
      service: c.compose?.service ?? null,
      swarmService: c.swarm?.service ?? null,
      text: [c.name, c.id.slice(0, 12), c.image, ...ips, ...labels].join("\n").toLowerCase(),
    });
  }
  for (const n of topology.networks) {
    const subnets = n.subnets.map((s) => s.subnet);
    const labels = Object.entries(n.labels).map(([k, v]) => `${k}=${v}`);
    out.push({
      id: n.id,
      kind: "network",
      name: n.name,
      detail: [n.driver, subnets[0]].filter(Boolean).join(" · "),
      project: n.compose?.project ?? null,
      service: null,
      swarmService: null,
      text: [n.name, n.id.slice(0, 12), n.driver, ...subnets, ...labels].join("\n").toLowerCase(),
    });
  }
  return out;
}

/** Entries containing every word of `query`; names that start with it first, then names that contain it. */
export function search(index: SearchEntry[], query: string, limit = 50): SearchResult {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { total: 0, entries: [], ids: new Set() };
  const hits: Array<{ e: SearchEntry; rank: number }> = [];
  for (const e of index) {
    if (!words.every((w) => e.text.includes(w))) continue;
    const name = e.name.toLowerCase();
    const rank = name === words[0] ? 0 : name.startsWith(words[0]) ? 1 : name.includes(words[0]) ? 2 : 3;
    hits.push({ e, rank });
  }
  // Plain code-unit order: localeCompare is ten times slower over 10,000 hits.
  hits.sort((a, b) => a.rank - b.rank || (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : 0));
  return {
    total: hits.length,
    entries: hits.slice(0, limit).map((h) => h.e),
    ids: new Set(hits.map((h) => h.e.id)),
  };
}
