import type { NetworkStyle } from "../graph-style.ts";
import { groupColor, networkStyle } from "../graph-style.ts";
import { modeOf } from "../reachability/topology-index.ts";
import type { Container, ContainerState, Network } from "../topology.ts";
import {
  addressOf,
  containerSub,
  interfaceDown,
  networkSubLines,
  portText,
  shortName,
  sortedPorts,
} from "./labels.ts";
import type { ExportView } from "./view.ts";

export type ExportNodeKind = "network" | "container" | "host";
export type ExportLinkKind = "interface" | "implicit" | "namespace" | "legacy" | "host" | "published";

/** A node of a drawn export: a network hub, a container, or the Docker host. */
export interface ExportNode {
  key: string;
  kind: ExportNodeKind;
  /** Full text of the label (formats that truncate keep this for tooltips). */
  name: string;
  label: string;
  /** Lines under the label. */
  sub: string[];
  style: NetworkStyle | null;
  state: ContainerState | null;
  /** INT-2 */
  internal: boolean;
  /** ICC-1 */
  iccOff: boolean;
  /** CN-1: the container runs in another container's namespace. */
  joiner: boolean;
  /** NO-1: `--network none`. */
  noNetwork: boolean;
  project: string | null;
}

export interface ExportLink {
  key: string;
  kind: ExportLinkKind;
  source: string;
  target: string;
  label: string;
  /** An interface without an address (stopped container, §5). */
  down: boolean;
}

export interface ExportGroup {
  project: string;
  color: string;
  members: string[];
}

export interface ExportGraph {
  nodes: ExportNode[];
  links: ExportLink[];
  groups: ExportGroup[];
}

export const HOST_KEY = "host";
/** Published-port edges list at most this many bindings; the Markdown report has them all. */
const MAX_BINDINGS = 3;

/** The nodes, edges and compose groups every drawn format (SVG, Mermaid, DOT) shows. Pure. */
export function buildExportGraph(view: ExportView): ExportGraph {
  const nodes: ExportNode[] = [];
  const links: ExportLink[] = [];
  const netById = new Map(view.networks.map((n) => [n.id, n]));
  const netByName = new Map<string, Network>();
  for (const n of view.networks) if (!netByName.has(n.name)) netByName.set(n.name, n);
  const hubs = new Map<string, string>();
  const hubByName = new Map<string, string>();
  for (const n of view.networks) {
    const style = networkStyle(n);
    if (style === "host" || style === "null") continue; // H-1/NO-1: drawn as the host node and a mark
    const key = `n:${n.id}`;
    hubs.set(n.id, key);
    if (!hubByName.has(n.name)) hubByName.set(n.name, key);
    nodes.push(hubNode(key, n, style));
  }
  const shown = new Map(view.containers.map((c) => [c.id, c]));
  const shownNames = new Map(view.containers.map((c) => [c.name, c]));
  let hostUsed = false;
  for (const c of view.containers) {
    const key = `c:${c.id}`;
    for (const i of c.interfaces) {
      const net = netById.get(i.networkId) ?? netByName.get(i.network);
      const style = net ? networkStyle(net) : "missing";
      if (style === "host" || style === "null") continue;
      let hub = (net && hubs.get(net.id)) ?? hubByName.get(i.network);
      if (!hub) {
        hub = `n:missing:${i.network}`;
        hubByName.set(i.network, hub);
        nodes.push(missingNode(hub, i.network));
      }
      const kind = i.implicit ? "implicit" : "interface";
      const down = interfaceDown(c, i);
      links.push({
        key: `${kind}:${c.id}:${hub}`,
        kind,
        source: key,
        target: hub,
        label: addressOf(c, i),
        down,
      });
    }
    if (c.networkMode === "host") {
      hostUsed = true;
      links.push({
        key: `host:${c.id}`,
        kind: "host",
        source: key,
        target: HOST_KEY,
        label: "host network",
        down: false,
      });
    }
    const published = sortedPorts(c.ports).filter((p) => p.publicPort !== undefined);
    if (published.length) {
      hostUsed = true;
      const texts = published.map(portText);
      const label =
        texts.length > MAX_BINDINGS
          ? `${texts.slice(0, MAX_BINDINGS).join(", ")} +${texts.length - MAX_BINDINGS}`
          : texts.join(", ");
      links.push({
        key: `published:${c.id}`,
        kind: "published",
        source: HOST_KEY,
        target: key,
        label,
        down: false,
      });
    }
    const provider = c.sharesNamespaceWith ? shown.get(c.sharesNamespaceWith.id) : undefined;
    if (provider)
      links.push({
        key: `namespace:${c.id}`,
        kind: "namespace",
        source: key,
        target: `c:${provider.id}`,
        label: "container:",
        down: false,
      });
    for (const l of c.links) {
      const target = shownNames.get(l.target);
      if (target)
        links.push({
          key: `legacy:${c.id}:${target.id}:${l.alias}`,
          kind: "legacy",
          source: key,
          target: `c:${target.id}`,
          label: `link ${l.alias}`,
          down: false,
        });
    }
    nodes.push(containerNode(key, c, provider !== undefined));
  }
  if (hostUsed) nodes.unshift(hostNode());
  const groups = new Map<string, string[]>();
  for (const n of nodes)
    if (n.project !== null) groups.set(n.project, [...(groups.get(n.project) ?? []), n.key]);
  return {
    nodes,
    links,
    groups: [...groups.keys()]
      .sort()
      .map((project) => ({ project, color: groupColor(project), members: groups.get(project) ?? [] })),
  };
}

const base = {
  state: null,
  internal: false,
  iccOff: false,
  joiner: false,
  noNetwork: false,
  project: null,
} satisfies Partial<ExportNode>;

function hubNode(key: string, n: Network, style: NetworkStyle): ExportNode {
  return {
    ...base,
    key,
    kind: "network",
    name: n.name,
    label: n.name,
    sub: networkSubLines(n),
    style,
    internal: n.internal,
    iccOff: n.driver === "bridge" && !n.icc,
  };
}

function missingNode(key: string, name: string): ExportNode {
  return { ...base, key, kind: "network", name, label: name, sub: ["not listed"], style: "missing" };
}

function hostNode(): ExportNode {
  return {
    ...base,
    key: HOST_KEY,
    kind: "host",
    name: "Docker host",
    label: "Docker host",
    sub: ["host network, published ports"],
    style: "host",
  };
}

function containerNode(key: string, c: Container, providerShown: boolean): ExportNode {
  const project = c.compose?.project ?? null;
  const sub = containerSub(c, providerShown);
  return {
    ...base,
    key,
    kind: "container",
    name: c.name,
    label: shortName(c.name, project ?? undefined),
    sub: sub ? [sub] : [],
    style: null,
    state: c.state,
    joiner: c.sharesNamespaceWith !== undefined,
    noNetwork: modeOf(c) === "none",
    project,
  };
}
