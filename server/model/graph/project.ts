import type { NetworkStyle } from "../graph-style.ts";
import { groupColor, networkStyle } from "../graph-style.ts";
import { addressOf, containerSub, interfaceDown, networkSubLines, portText, sortedPorts } from "./labels.ts";
import { modeOf } from "../reachability/topology-index.ts";
import type { Container, EngineEntry, Interface, Network, Swarm } from "../topology.ts";
import { blankNode } from "./blank-node.ts";
import { collapseServices } from "./collapse.ts";
import { fleetGroups, isFleet } from "./fleet-groups.ts";
import { networkResolver } from "./network-of.ts";
import { middleEllipsis, shortName } from "./short-name.ts";
import type { Graph, GraphGroup, GraphLink, GraphNode } from "./types.ts";
import { PROBE_LABEL } from "../probe-labels.ts";

export interface ProjectOptions {
  /** Draw system networks (`Network.system`) and interfaces on them; default true. */
  showSystem?: boolean;
  /** Draw networks nothing is attached to; default true. */
  showEmpty?: boolean;
  /** A swarm's services drawn as one vertex each, by name; `true` collapses every service. Default none. */
  collapse?: readonly string[] | boolean;
}

/** What the projection reads of a topology; `engines` and `swarm` make it a fleet's (node and service groups). */
export interface ProjectInput {
  networks: readonly Network[];
  containers: readonly Container[];
  engines?: readonly EngineEntry[];
  swarm?: Swarm;
}

/** The host's layout key, and its ID when the engine lists no host network. */
export const HOST_KEY = "host";
export const HOST_ID = "@host";
/** Published-port edges list at most this many bindings; details and the Markdown report have them all. */
const MAX_BINDINGS = 3;
/** Networks reachgraph calls system; for networks an interface names but the engine did not list. */
const SYSTEM_NAMES = new Set(["bridge", "host", "none", "ingress", "docker_gwbridge"]);

export const containerKey = (id: string): string => `c:${id}`;
export const networkKey = (id: string): string => `n:${id}`;
/** Missing networks are keyed by the name the interface gives (and, in a fleet, its container's machine). */
export const missingKey = (name: string, node: string | null = null): string =>
  node === null ? `n:missing:${name}` : `n:missing:${name}@${node}`;
/** A fleet has one Docker host per machine: `host:<machine>`; a single engine's is `host`. */
export const hostKey = (node: string | null): string => (node === null ? HOST_KEY : `${HOST_KEY}:${node}`);

/** A probe helper: a transient container of reachgraph's own, never drawn. */
export function isProbeHelper(c: Container): boolean {
  return Object.keys(c.labels).some((k) => k === PROBE_LABEL || k.startsWith(`${PROBE_LABEL}.`));
}

/**
 * The one projection of a topology into nodes and edges that the page and every drawn export share: network
 * hubs, containers, the Docker host (H-1 host-mode containers and published ports, PP-1), namespace joins
 * (CN-1), legacy links (DB-3) and compose-project groups. A fleet (several engines, or a swarm) adds a group
 * per machine, a Docker host per machine, swarm-scope overlays once across the machines they span, and a group
 * per swarm service, collapsible to one vertex. Pure; O(containers + interfaces + networks).
 */
export function projectGraph(topology: ProjectInput, options: ProjectOptions = {}): Graph {
  const showSystem = options.showSystem ?? true;
  const showEmpty = options.showEmpty ?? true;
  const fleet = isFleet(topology);
  const containers = topology.containers.filter((c) => !isProbeHelper(c));
  const networkOf = networkResolver(topology.networks, fleet);
  const shown = (n: Network): boolean => showSystem || !n.system;
  const machineOf = (x: { node?: string }): string | null => (fleet ? (x.node ?? null) : null);
  const netMachine = (n: Network): string | null => (n.scope === "swarm" ? null : machineOf(n));
  const hostNets = new Map<string | null, Network>();
  for (const n of topology.networks)
    if (networkStyle(n) === "host" && shown(n) && !hostNets.has(netMachine(n)))
      hostNets.set(netMachine(n), n);

  const links: GraphLink[] = [];
  const missing = new Map<string, GraphNode>();
  const linked = new Set<string>();
  const ids = new Set(containers.map((c) => c.id));
  const byContainerName = new Map(containers.map((c) => [c.name, c]));
  const firstHub = new Map<string, string>();
  const flags = new Map<string, { host: boolean; none: boolean }>();
  const hostsUsed = new Set<string | null>();
  for (const c of containers) {
    const f = { host: modeOf(c) === "host", none: modeOf(c) === "none" };
    const machine = machineOf(c);
    const host = hostKey(machine);
    for (const i of c.interfaces) {
      const net = networkOf(c, i);
      const style: NetworkStyle = net ? networkStyle(net) : "missing";
      if (net ? !shown(net) : !showSystem && SYSTEM_NAMES.has(i.network)) continue;
      // H-1 / NO-1: the host namespace is the host node; `none` is a mark on the container, not a hub.
      if (style === "host") f.host = true;
      if (style === "host" || style === "null") continue;
      const hub = net ? networkKey(net.id) : missingKey(i.network, machine);
      if (!net && !missing.has(hub)) missing.set(hub, missingNode(hub, i, machine));
      linked.add(hub);
      if (!firstHub.has(c.id)) firstHub.set(c.id, hub);
      links.push(interfaceLink(c, i, hub, net?.id ?? null));
    }
    flags.set(c.id, f);
    if (f.host) links.push(plain("host", c.id, host, containerKey(c.id), "host network"));
    const published = sortedPorts(c.ports).filter((p) => p.publicPort !== undefined);
    if (published.length) {
      const texts = published.map(portText);
      const label =
        texts.length > MAX_BINDINGS
          ? `${texts.slice(0, MAX_BINDINGS).join(", ")} +${texts.length - MAX_BINDINGS}`
          : texts.join(", ");
      links.push(plain("published", c.id, host, containerKey(c.id), label));
    }
    if (f.host || published.length) hostsUsed.add(machine);
    const provider = c.sharesNamespaceWith;
    if (provider && ids.has(provider.id))
      links.push(plain("namespace", c.id, containerKey(c.id), containerKey(provider.id), "shares netns"));
    for (const l of c.links) {
      const target = byContainerName.get(l.target);
      if (target) {
        const link = plain("legacy", c.id, containerKey(c.id), containerKey(target.id), `link ${l.alias}`);
        links.push({ ...link, key: `${link.key}:${l.alias}` });
      }
    }
  }

  const nodes: GraphNode[] = [];
  const hostMachines = [...new Set([...hostsUsed, ...(showEmpty ? hostNets.keys() : [])])];
  for (const machine of fleet ? hostMachines.sort(byMachine) : hostMachines)
    nodes.push(hostNode(hostNets.get(machine), machine));
  for (const n of topology.networks) {
    const style = networkStyle(n);
    if (style === "host" || style === "null" || !shown(n)) continue;
    if (!showEmpty && !linked.has(networkKey(n.id))) continue;
    nodes.push(hubNode(n, style, netMachine(n), fleet));
  }
  nodes.push(...missing.values());
  for (const c of containers) {
    const provider = c.sharesNamespaceWith;
    const providerShown = provider !== undefined && ids.has(provider.id);
    const near = firstHub.get(c.id) ?? (providerShown && provider ? containerKey(provider.id) : null);
    const service = topology.swarm ? (c.swarm?.service ?? null) : null;
    nodes.push(containerNode(c, providerShown, near, flags.get(c.id)?.none ?? false, machineOf(c), service));
  }
  const graph = { nodes, links, groups: groupsByProject(nodes, fleet) };
  if (!fleet) return graph;
  const expanded = { ...graph, groups: [...fleetGroups(topology, nodes), ...graph.groups] };
  return collapseServices(expanded, options.collapse ?? false);
}

/** Machines in name order, a single engine's `null` first. */
function byMachine(a: string | null, b: string | null): number {
  return a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
}

/** Compose projects; in a fleet one per machine (a project name on two engines is two projects), inside it. */
function groupsByProject(nodes: GraphNode[], fleet: boolean): GraphGroup[] {
  const members = new Map<string, { name: string; node: string | null; keys: string[] }>();
  for (const n of nodes) {
    if (n.project === null) continue;
    const key = fleet ? `project:${n.node ?? ""}:${n.project}` : `project:${n.project}`;
    const group = members.get(key) ?? { name: n.project, node: fleet ? n.node : null, keys: [] };
    group.keys.push(n.key);
    members.set(key, group);
  }
  return [...members.keys()].sort().map((key) => {
    const { name, node, keys } = members.get(key) as { name: string; node: string | null; keys: string[] };
    return {
      by: "project",
      key,
      name,
      label: middleEllipsis(name, 40),
      color: groupColor(name),
      members: keys,
      parent: node === null ? null : `node:${node}`,
      sub: [],
      collapsed: false,
    };
  });
}

function hubNode(n: Network, style: NetworkStyle, node: string | null, fleet: boolean): GraphNode {
  return {
    ...blankNode(),
    key: networkKey(n.id),
    id: n.id,
    kind: "network",
    name: n.name,
    label: middleEllipsis(n.name),
    sub: networkSubLines(n),
    style,
    internal: n.internal,
    iccOff: n.driver === "bridge" && !n.icc,
    system: n.system,
    node,
    // An overlay is drawn once, across the machines it is instantiated on.
    spans: fleet && n.scope === "swarm" ? [...(n.nodes ?? [])] : [],
  };
}

function missingNode(key: string, i: Interface, node: string | null): GraphNode {
  return {
    ...blankNode(),
    key,
    id: i.networkId || `missing:${i.network}`,
    kind: "network",
    name: i.network,
    label: middleEllipsis(i.network),
    sub: ["not listed"],
    style: "missing",
    node,
  };
}

function hostNode(net: Network | undefined, node: string | null): GraphNode {
  return {
    ...blankNode(),
    key: hostKey(node),
    id: net?.id ?? (node === null ? HOST_ID : `${HOST_ID}:${node}`),
    kind: "host",
    name: node === null ? "Docker host" : `Docker host ${node}`,
    label: "Docker host",
    sub: ["host network, published ports"],
    style: "host",
    system: true,
    node,
  };
}

function containerNode(
  c: Container,
  providerShown: boolean,
  near: string | null,
  none: boolean,
  node: string | null,
  service: string | null,
): GraphNode {
  const project = c.compose?.project ?? null;
  const sub = containerSub({ ...c, networkMode: none ? "none" : c.networkMode }, providerShown);
  return {
    ...blankNode(),
    key: containerKey(c.id),
    id: c.id,
    kind: "container",
    name: c.name,
    label: shortName(c.name, project),
    sub: sub ? [sub] : [],
    state: c.state,
    joiner: c.sharesNamespaceWith !== undefined,
    noNetwork: none,
    project,
    near,
    node,
    service,
  };
}

function interfaceLink(c: Container, i: Interface, hub: string, networkId: string | null): GraphLink {
  const kind = i.implicit ? "implicit" : "interface";
  return {
    key: `${kind}:${c.id}:${hub}`,
    kind,
    source: hub,
    target: containerKey(c.id),
    label: addressOf(c, i),
    down: interfaceDown(c, i),
    containerId: c.id,
    networkId: networkId ?? hub.slice(2),
  };
}

function plain(kind: GraphLink["kind"], containerId: string, source: string, target: string, label: string) {
  const other = source === containerKey(containerId) ? target : source;
  return {
    key: `${kind}:${containerId}:${other}`,
    kind,
    source,
    target,
    label,
    down: false,
    containerId,
    networkId: null,
  } satisfies GraphLink;
}
