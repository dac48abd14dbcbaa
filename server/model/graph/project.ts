import type { NetworkStyle } from "../graph-style.ts";
import { groupColor, networkStyle } from "../graph-style.ts";
import { addressOf, containerSub, interfaceDown, networkSubLines, portText, sortedPorts } from "./labels.ts";
import { modeOf } from "../reachability/topology-index.ts";
import type { Container, Interface, Network } from "../topology.ts";
import { middleEllipsis, shortName } from "./short-name.ts";
import type { Graph, GraphGroup, GraphLink, GraphNode } from "./types.ts";
import { PROBE_LABEL } from "../probe-labels.ts";

export interface ProjectOptions {
  /** Draw system networks (`Network.system`) and interfaces on them; default true. */
  showSystem?: boolean;
  /** Draw networks nothing is attached to; default true. */
  showEmpty?: boolean;
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
/** Missing networks are keyed by the name the interface gives, the one thing every such interface has. */
export const missingKey = (name: string): string => `n:missing:${name}`;

/** A probe helper: a transient container of reachgraph's own, never drawn. */
export function isProbeHelper(c: Container): boolean {
  return Object.keys(c.labels).some((k) => k === PROBE_LABEL || k.startsWith(`${PROBE_LABEL}.`));
}

/**
 * The one projection of a topology into nodes and edges that the page and every drawn export share: network
 * hubs, containers, the Docker host (H-1 host-mode containers and published ports, PP-1), namespace joins
 * (CN-1), legacy links (DB-3) and compose-project groups. Pure; O(containers + interfaces + networks).
 */
export function projectGraph(
  topology: { networks: readonly Network[]; containers: readonly Container[] },
  options: ProjectOptions = {},
): Graph {
  const showSystem = options.showSystem ?? true;
  const showEmpty = options.showEmpty ?? true;
  const containers = topology.containers.filter((c) => !isProbeHelper(c));
  const byId = new Map(topology.networks.map((n) => [n.id, n]));
  const byName = new Map<string, Network>();
  for (const n of topology.networks) if (!byName.has(n.name)) byName.set(n.name, n);
  const shown = (n: Network): boolean => showSystem || !n.system;
  const hostNet = topology.networks.find((n) => networkStyle(n) === "host" && shown(n));

  const links: GraphLink[] = [];
  const missing = new Map<string, GraphNode>();
  const linked = new Set<string>();
  const ids = new Set(containers.map((c) => c.id));
  const byContainerName = new Map(containers.map((c) => [c.name, c]));
  const firstHub = new Map<string, string>();
  const flags = new Map<string, { host: boolean; none: boolean }>();
  for (const c of containers) {
    const f = { host: modeOf(c) === "host", none: modeOf(c) === "none" };
    for (const i of c.interfaces) {
      const net = byId.get(i.networkId) ?? byName.get(i.network);
      const style: NetworkStyle = net ? networkStyle(net) : "missing";
      if (net ? !shown(net) : !showSystem && SYSTEM_NAMES.has(i.network)) continue;
      // H-1 / NO-1: the host namespace is the host node; `none` is a mark on the container, not a hub.
      if (style === "host") f.host = true;
      if (style === "host" || style === "null") continue;
      const hub = net ? networkKey(net.id) : missingKey(i.network);
      if (!net && !missing.has(hub)) missing.set(hub, missingNode(hub, i));
      linked.add(hub);
      if (!firstHub.has(c.id)) firstHub.set(c.id, hub);
      links.push(interfaceLink(c, i, hub, net?.id ?? null));
    }
    flags.set(c.id, f);
    if (f.host) links.push(plain("host", c.id, HOST_KEY, containerKey(c.id), "host network"));
    const published = sortedPorts(c.ports).filter((p) => p.publicPort !== undefined);
    if (published.length) {
      const texts = published.map(portText);
      const label =
        texts.length > MAX_BINDINGS
          ? `${texts.slice(0, MAX_BINDINGS).join(", ")} +${texts.length - MAX_BINDINGS}`
          : texts.join(", ");
      links.push(plain("published", c.id, HOST_KEY, containerKey(c.id), label));
    }
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
  const hostUsed = links.some((l) => l.source === HOST_KEY);
  if (hostUsed || (hostNet && showEmpty)) nodes.push(hostNode(hostNet));
  for (const n of topology.networks) {
    const style = networkStyle(n);
    if (style === "host" || style === "null" || !shown(n)) continue;
    if (!showEmpty && !linked.has(networkKey(n.id))) continue;
    nodes.push(hubNode(n, style));
  }
  nodes.push(...missing.values());
  for (const c of containers) {
    const provider = c.sharesNamespaceWith;
    const providerShown = provider !== undefined && ids.has(provider.id);
    const near = firstHub.get(c.id) ?? (providerShown && provider ? containerKey(provider.id) : null);
    nodes.push(containerNode(c, providerShown, near, flags.get(c.id)?.none ?? false));
  }
  return { nodes, links, groups: groupsByProject(nodes) };
}

function groupsByProject(nodes: GraphNode[]): GraphGroup[] {
  const members = new Map<string, string[]>();
  for (const n of nodes)
    if (n.project !== null) members.set(n.project, [...(members.get(n.project) ?? []), n.key]);
  return [...members.keys()]
    .sort()
    .map((name) => ({ by: "project", name, color: groupColor(name), members: members.get(name) ?? [] }));
}

const base = {
  style: null,
  state: null,
  internal: false,
  iccOff: false,
  system: false,
  joiner: false,
  noNetwork: false,
  project: null,
  near: null,
} satisfies Partial<GraphNode>;

function hubNode(n: Network, style: NetworkStyle): GraphNode {
  return {
    ...base,
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
  };
}

function missingNode(key: string, i: Interface): GraphNode {
  return {
    ...base,
    key,
    id: i.networkId || `missing:${i.network}`,
    kind: "network",
    name: i.network,
    label: middleEllipsis(i.network),
    sub: ["not listed"],
    style: "missing",
  };
}

function hostNode(net: Network | undefined): GraphNode {
  return {
    ...base,
    key: HOST_KEY,
    id: net?.id ?? HOST_ID,
    kind: "host",
    name: "Docker host",
    label: "Docker host",
    sub: ["host network, published ports"],
    style: "host",
    system: true,
  };
}

function containerNode(c: Container, providerShown: boolean, near: string | null, none: boolean): GraphNode {
  const project = c.compose?.project ?? null;
  const sub = containerSub({ ...c, networkMode: none ? "none" : c.networkMode }, providerShown);
  return {
    ...base,
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
