import { addressOf, interfaceDown } from "../../server/model/export/labels.ts";
import { groupColor } from "../../server/model/graph-style.ts";
import type { Container, Interface, Network, Topology } from "../../server/model/topology.ts";
import type { ViewOptions } from "../store.ts";
import type { NetworkStyle } from "./style.ts";
import { containerBadge, networkBadges, networkStyle } from "./style.ts";

export type NodeKind = "container" | "network";
export type LinkKind = "interface" | "implicit" | "namespace" | "legacy";

/** A drawable node; `key` is the layout key, `id` the engine ID exposed as `data-id`. */
export interface GraphNode {
  key: string;
  id: string;
  kind: NodeKind;
  label: string;
  sub: string;
  /** CSS classes (driver / state). */
  cls: string;
  style: NetworkStyle | null;
  radius: number;
  /** Collision radius for the layout: the shape plus room for its label. */
  spread: number;
  /** Compose project of a container. */
  group: string | null;
  /** Layout key of a node a new node should appear next to. */
  near: string | null;
  /** Changes whenever anything drawn for this node changes, so updates can skip unchanged nodes. */
  sig: string;
  aria: string;
}

export interface GraphLink {
  key: string;
  kind: LinkKind;
  source: string;
  target: string;
  label: string;
  cls: string;
  containerId: string;
  networkId: string | null;
  sig: string;
}

export interface GraphGroup {
  project: string;
  color: string;
  members: string[];
}

export interface GraphModel {
  nodes: GraphNode[];
  links: GraphLink[];
  groups: GraphGroup[];
}

export const containerKey = (id: string): string => `c:${id}`;
export const networkKey = (id: string): string => `n:${id}`;

const MAX_LABEL = 24;
/** Swarm task containers are `service.slot.taskid`; the task ID adds nothing to a label. */
const SWARM_TASK = /^(.+\.\d+)\.[a-z0-9]{25}$/;

/**
 * A container's name shortened for the graph; the details panel shows it in full. Inside a compose
 * project's outline the project prefix is implied, so `shop-web-1` reads `web-1`.
 */
export function shortName(name: string, project?: string): string {
  let short = SWARM_TASK.exec(name)?.[1] ?? name;
  if (project && short.length > project.length + 1 && /^[-_]$/.test(short[project.length] ?? "")) {
    if (short.startsWith(project)) short = short.slice(project.length + 1);
  }
  return short.length > MAX_LABEL ? `${short.slice(0, MAX_LABEL - 1)}…` : short;
}

/** The address an interface edge is labelled with. */
function interfaceLabel(c: Container, iface: Interface, net: Network | undefined): string {
  // H-1 / NO-1: host and none endpoints have no address of their own; the hub's shape says it all.
  if (net?.driver === "host" || net?.driver === "null") return "";
  return addressOf(c, iface);
}

/** Turns the wire topology into nodes and links to draw. Pure, so a worker or a canvas renderer can reuse it. */
export function buildGraphModel(topology: Topology, view: ViewOptions): GraphModel {
  const networks = new Map(topology.networks.map((n) => [n.id, n]));
  const networksByName = new Map<string, Network>();
  for (const n of topology.networks) if (!networksByName.has(n.name)) networksByName.set(n.name, n);
  const containerIdsByName = new Map(topology.containers.map((c) => [c.name, c.id]));
  const containerIds = new Set(topology.containers.map((c) => c.id));
  const hidden = (n: Network): boolean => !view.showSystem && n.system;

  const links: GraphLink[] = [];
  const missing = new Map<string, GraphNode>();
  const linked = new Set<string>();
  for (const c of topology.containers) {
    for (const iface of c.interfaces) {
      const net = networks.get(iface.networkId) ?? networksByName.get(iface.network);
      if (net && hidden(net)) continue;
      const netId = net?.id ?? (iface.networkId || `name:${iface.network}`);
      if (!net && !missing.has(netId)) missing.set(netId, missingNetworkNode(netId, iface.network));
      linked.add(netId);
      links.push(interfaceLink(c, iface, netId, net));
    }
    const provider = c.sharesNamespaceWith;
    if (provider && containerIds.has(provider.id)) {
      links.push(plainLink("namespace", c.id, containerKey(c.id), containerKey(provider.id), "shares netns"));
    }
    for (const link of c.links) {
      const target = containerIdsByName.get(link.target);
      if (!target) continue;
      links.push(plainLink("legacy", c.id, containerKey(c.id), containerKey(target), `link ${link.alias}`));
    }
  }

  const nodes: GraphNode[] = [];
  for (const n of topology.networks) {
    if (hidden(n) || (!view.showEmpty && !linked.has(n.id))) continue;
    nodes.push(networkNode(n));
  }
  nodes.push(...missing.values());
  const firstNetwork = new Map<string, string>();
  for (const l of links)
    if (l.networkId && !firstNetwork.has(l.containerId)) firstNetwork.set(l.containerId, l.source);
  const groups = new Map<string, string[]>();
  for (const c of topology.containers) {
    const node = containerNode(c, containerIds, firstNetwork.get(c.id) ?? null);
    nodes.push(node);
    if (node.group) groups.set(node.group, [...(groups.get(node.group) ?? []), node.key]);
  }
  return {
    nodes,
    links,
    groups: [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([project, members]) => ({ project, color: groupColor(project), members })),
  };
}

function networkNode(n: Network): GraphNode {
  const style = networkStyle(n);
  const badges = networkBadges(n);
  const label = style === "null" ? "no network" : style === "host" ? "host" : n.name;
  // host and none say what they are in their label already.
  const driverText = style === "plugin" || style === "host" || style === "null" ? "" : n.driver;
  const sub = [driverText, ...badges].filter(Boolean).join(" · ");
  const cls = [
    `net-${style}`,
    n.internal ? "internal" : "",
    n.driver === "bridge" && !n.icc ? "icc-off" : "",
    n.system ? "system" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const aria = `network ${n.name}, driver ${n.driver}${badges.length ? `, ${badges.join(", ")}` : ""}`;
  return {
    key: networkKey(n.id),
    id: n.id,
    kind: "network",
    label,
    sub,
    cls,
    style,
    radius: style === "host" ? 16 : 14,
    spread: 40,
    group: null,
    near: null,
    sig: `${label}|${sub}|${cls}`,
    aria,
  };
}

function missingNetworkNode(id: string, name: string): GraphNode {
  return {
    key: networkKey(id),
    id,
    kind: "network",
    label: name,
    sub: "not listed",
    cls: "net-missing",
    style: "missing",
    radius: 12,
    spread: 36,
    group: null,
    near: null,
    sig: `${name}|missing`,
    aria: `network ${name}, not listed by the engine`,
  };
}

function containerNode(c: Container, containerIds: Set<string>, near: string | null): GraphNode {
  const provider = c.sharesNamespaceWith;
  const providerKnown = provider ? containerIds.has(provider.id) : true;
  const badge = containerBadge(c);
  const sub = [badge, providerKnown ? "" : "netns provider gone"].filter(Boolean).join(" · ");
  const group = c.compose?.project ?? null;
  const cls = [`state-${c.state}`, provider ? "joiner" : "", c.compose ? "compose" : ""]
    .filter(Boolean)
    .join(" ");
  const nearKey = near ?? (provider && providerKnown ? containerKey(provider.id) : null);
  return {
    key: containerKey(c.id),
    id: c.id,
    kind: "container",
    label: shortName(c.name, c.compose?.project),
    sub,
    cls,
    style: null,
    radius: 9,
    spread: 14 + Math.min(26, shortName(c.name, c.compose?.project).length * 1.6),
    group,
    near: nearKey,
    sig: `${c.name}|${sub}|${cls}|${group ?? ""}`,
    aria: `container ${c.name}, ${c.state}${group ? `, compose project ${group}` : ""}`,
  };
}

function interfaceLink(c: Container, iface: Interface, netId: string, net: Network | undefined): GraphLink {
  const kind: LinkKind = iface.implicit ? "implicit" : "interface";
  const live = !interfaceDown(c, iface) || net?.driver === "host";
  const label = interfaceLabel(c, iface, net);
  const cls = [kind, live ? "" : "down", net?.driver === "null" ? "to-none" : ""].filter(Boolean).join(" ");
  return {
    key: `i:${c.id}:${netId}${iface.implicit ? ":gw" : ""}`,
    kind,
    source: networkKey(netId),
    target: containerKey(c.id),
    label,
    cls,
    containerId: c.id,
    networkId: netId,
    sig: `${label}|${cls}`,
  };
}

function plainLink(
  kind: LinkKind,
  containerId: string,
  source: string,
  target: string,
  label: string,
): GraphLink {
  return {
    key: `${kind}:${source}>${target}`,
    kind,
    source,
    target,
    label,
    cls: kind,
    containerId,
    networkId: null,
    sig: `${label}|${kind}`,
  };
}
