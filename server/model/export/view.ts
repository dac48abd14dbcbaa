import type { FleetFilter } from "../graph/filter.ts";
import { applyFleetFilter, hasFleetFilter } from "../graph/filter.ts";
import { isFleet } from "../graph/fleet-groups.ts";
import { networkResolver } from "../graph/network-of.ts";
import type { Reachability } from "../reachability/index.ts";
import { computeReachability, indexTopology, targetVisitor } from "../reachability/index.ts";
import type { Container, Interface, Network, Topology } from "../topology.ts";
import type { Redactor } from "./redact.ts";
import { createRedactor, NO_REDACTION } from "./redact.ts";

/** What every export format accepts; `engine`, `node` and `service` filter as the page's URL does. */
export interface ExportOptions extends FleetFilter {
  /** Leave out bridge, host, none, ingress and docker_gwbridge (`Network.system`) and interfaces on them. */
  hideSystem?: boolean;
  /** Replace IPs, MACs and subnets by stable placeholders. */
  redact?: boolean;
  /** Focus on one compose project: its containers, their networks, and what they reach. */
  project?: string;
  /** Overrides the default title. */
  title?: string;
  /**
   * Show only these containers and networks (IDs): the page's filtered or focused view. Verdicts still come
   * from the whole topology, as for `hideSystem`.
   */
  only?: { containers: readonly string[]; networks: readonly string[] };
  /** Swarm services drawn as one vertex each (by name; `true`: every one), as the page collapses them. */
  collapse?: readonly string[] | boolean;
}

/** The part of a topology an export shows, already filtered, sorted and redacted; verdicts come from the whole. */
export interface ExportView {
  title: string;
  subtitle: string;
  /** The source of the topology, redacted. */
  source: Topology["source"];
  engine: Topology["engine"];
  engines: Topology["engines"];
  swarm: Topology["swarm"];
  /** Shown networks, sorted by name. */
  networks: Network[];
  /** Shown containers, sorted by name, with interfaces on hidden networks removed. */
  containers: Container[];
  /** Index of each shown container in the original topology (same order as `containers`). */
  indices: number[];
  /** Original indices (-1 = the host) whose verdicts an export reports. */
  sources: number[];
  /** Reachability of the whole topology: hiding a network never changes a verdict. */
  reach: Reachability;
  redactor: Redactor;
  options: ExportOptions;
}

/** Networks reachgraph calls system; used for networks an interface names but the engine did not list. */
const SYSTEM_NAMES = new Set(["bridge", "host", "none", "ingress", "docker_gwbridge"]);

/** Compose projects present in the topology, sorted. */
export function composeProjects(topology: Topology): string[] {
  const names = new Set<string>();
  for (const c of topology.containers) if (c.compose) names.add(c.compose.project);
  return [...names].sort();
}

/** Builds the view every exporter draws from. Throws when `options.project` names no compose project. */
export function exportView(topology: Topology, options: ExportOptions = {}): ExportView {
  const reach = computeReachability(indexTopology(topology));
  const all = topology.containers;
  const hidden = (n: Network): boolean => options.hideSystem === true && n.system;
  const resolve = networkResolver(topology.networks, isFleet(topology));
  const ifaceHidden = (c: Container, i: Interface): boolean => {
    const n = resolve(c, i);
    return n ? hidden(n) : options.hideSystem === true && SYSTEM_NAMES.has(i.network);
  };

  let shownIdx = all.map((_, i) => i);
  let sources = [-1, ...shownIdx];
  let networks = topology.networks.filter((n) => !hidden(n));
  if (options.project !== undefined) {
    const project = options.project;
    const members = shownIdx.filter((i) => all[i].compose?.project === project);
    if (!members.length) {
      const known = composeProjects(topology);
      throw new Error(
        `no compose project "${project}" in this topology; ${known.length ? `projects: ${known.join(", ")}` : "it has no compose projects"}`,
      );
    }
    const shown = new Set(members);
    const visit = targetVisitor(reach);
    for (const s of members) visit(s, (to) => void (to >= 0 && shown.add(to)));
    shownIdx = [...shown];
    sources = members;
    const used = new Set<Network>();
    for (const i of members)
      for (const f of all[i].interfaces) {
        const n = resolve(all[i], f);
        if (n) used.add(n);
      }
    networks = networks.filter((n) => used.has(n) || n.compose?.project === project);
  }
  const kept = [
    ...(options.only
      ? [{ containers: new Set(options.only.containers), networks: new Set(options.only.networks) }]
      : []),
    ...(hasFleetFilter(options) ? [applyFleetFilter(topology, options)] : []),
  ];
  for (const only of kept) {
    shownIdx = shownIdx.filter((i) => only.containers.has(all[i].id));
    sources = sources.filter((i) => i < 0 || only.containers.has(all[i].id));
    networks = networks.filter((n) => only.networks.has(n.id));
  }
  const netShown = new Set(networks);
  const keepIface = (c: Container, i: Interface): boolean => {
    const n = resolve(c, i);
    return n ? netShown.has(n) : !ifaceHidden(c, i);
  };

  const byNameThenId = <T extends { name: string; id: string }>(a: T, b: T): number =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  shownIdx.sort((a, b) => byNameThenId(all[a], all[b]));
  sources.sort((a, b) => (a < 0 ? -1 : b < 0 ? 1 : byNameThenId(all[a], all[b])));
  networks = [...networks].sort(byNameThenId);

  const redactor = options.redact ? createRedactor(topology) : NO_REDACTION;
  const containers = shownIdx.map((i) =>
    redactor.deep({ ...all[i], interfaces: all[i].interfaces.filter((f) => keepIface(all[i], f)) }),
  );
  const source = redactor.deep(topology.source);
  const title = options.title ?? (options.project ? `Compose project ${options.project}` : "Docker networks");
  const subtitle = [
    source.label,
    topology.engines.length > 1
      ? `${topology.engines.length} engines`
      : source.label.includes(topology.engine.serverVersion)
        ? ""
        : `Docker ${topology.engine.serverVersion}`,
    topology.swarm ? `swarm of ${topology.swarm.nodes.length} nodes` : "",
    `captured ${source.capturedAt}`,
    options.hideSystem ? "system networks hidden" : "",
    options.only ? "filtered view" : "",
    options.engine !== undefined ? `engine ${options.engine}` : "",
    options.node !== undefined ? `node ${options.node}` : "",
    options.service !== undefined ? `service ${options.service}` : "",
    options.redact ? "addresses redacted" : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return {
    title,
    subtitle,
    source,
    engine: redactor.deep(topology.engine),
    engines: redactor.deep(topology.engines),
    swarm: topology.swarm && redactor.deep(topology.swarm),
    networks: networks.map((n) => redactor.deep(n)),
    containers,
    indices: shownIdx,
    sources,
    reach,
    redactor,
    options,
  };
}

export interface VerdictCounts {
  reachable: number;
  unknown: number;
  blocked: number;
}

/** Verdicts of every reported pair: sources × (shown containers and the host). */
export function countVerdicts(view: ExportView): VerdictCounts {
  const shown = shownMask(view);
  const counts: VerdictCounts = { reachable: 0, unknown: 0, blocked: 0 };
  const visit = targetVisitor(view.reach);
  for (const s of view.sources)
    visit(s, (to, verdict) => void ((to < 0 || shown[to]) && counts[verdict]++), { includeBlocked: true });
  return counts;
}

/** 1 for each original container index that the view shows. */
export function shownMask(view: ExportView): Uint8Array {
  const mask = new Uint8Array(view.reach.index.containers.length);
  for (const i of view.indices) mask[i] = 1;
  return mask;
}
