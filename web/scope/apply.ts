import type { Container, Interface, Network, Topology } from "../../server/model/topology.ts";
import type { Scope } from "./scope.ts";
import { collapsedGroupOf, collapsedId, narrowed } from "./scope.ts";

/** Containers a source can reach (IDs), from the reachability model; used by the focus view. */
export type ReachableFrom = (containerId: string) => Iterable<string>;

/**
 * The topology the graph draws for a scope: filtered, or reduced to one container's neighbourhood, then with
 * collapsed compose projects merged into one container each. Pure; O(containers + interfaces).
 */
export function scopeTopology(topology: Topology, scope: Scope, reachableFrom?: ReachableFrom): Topology {
  let out = topology;
  if (scope.focus !== null) out = focusOn(out, scope.focus, reachableFrom);
  else if (narrowed(scope)) out = filter(out, scope);
  return scope.collapsed.length > 0 ? collapse(out, new Set(scope.collapsed)) : out;
}

function netOf(topology: Topology): (iface: Interface) => Network | undefined {
  const byId = new Map(topology.networks.map((n) => [n.id, n]));
  const byName = new Map<string, Network>();
  for (const n of topology.networks) if (!byName.has(n.name)) byName.set(n.name, n);
  return (iface) => byId.get(iface.networkId) ?? byName.get(iface.network);
}

/** Keeps `containers` and `networks`, and only the interfaces between them. */
function restrict(topology: Topology, containers: Container[], networks: Set<Network>): Topology {
  const net = netOf(topology);
  return {
    ...topology,
    networks: topology.networks.filter((n) => networks.has(n)),
    containers: containers.map((c) => {
      const interfaces = c.interfaces.filter((i) => {
        const n = net(i);
        return n !== undefined && networks.has(n);
      });
      return interfaces.length === c.interfaces.length ? c : { ...c, interfaces };
    }),
  };
}

function filter(topology: Topology, scope: Scope): Topology {
  const net = netOf(topology);
  const byName = new Set(scope.networks);
  const drivers = new Set(scope.drivers);
  const projects = new Set(scope.projects);
  const states = new Set<string>(scope.states);
  const engines = new Set(scope.engines);
  const nodes = new Set(scope.nodes);
  const services = new Set(scope.services);
  const networkFilter = byName.size > 0 || drivers.size > 0;
  const netPasses = (n: Network): boolean =>
    (byName.size === 0 || byName.has(n.name)) && (drivers.size === 0 || drivers.has(n.driver));
  const containers = topology.containers.filter(
    (c) =>
      (states.size === 0 || states.has(c.state)) &&
      (projects.size === 0 || projects.has(c.compose?.project ?? "")) &&
      (engines.size === 0 || engines.has(c.engine ?? "")) &&
      (nodes.size === 0 || nodes.has(c.node ?? "")) &&
      (services.size === 0 || services.has(c.swarm?.service ?? "")) &&
      (!networkFilter ||
        c.interfaces.some((i) => {
          const n = net(i);
          return n !== undefined && netPasses(n);
        })),
  );
  // With only container filters, the networks shown are the kept containers' (not hundreds of empty ones).
  const networks = new Set<Network>();
  if (networkFilter) {
    for (const n of topology.networks) if (netPasses(n)) networks.add(n);
  } else {
    for (const c of containers)
      for (const i of c.interfaces) {
        const n = net(i);
        if (n) networks.add(n);
      }
  }
  return restrict(topology, containers, networks);
}

/** One container, its networks, everything on them (one hop out) and whatever else it can reach. */
function focusOn(topology: Topology, id: string, reachableFrom?: ReachableFrom): Topology {
  const centre = topology.containers.find((c) => c.id === id);
  if (!centre) return topology;
  const net = netOf(topology);
  const networks = new Set<Network>();
  for (const i of centre.interfaces) {
    const n = net(i);
    if (n) networks.add(n);
  }
  const keep = new Set<string>([id, ...(reachableFrom?.(id) ?? [])]);
  if (centre.sharesNamespaceWith) keep.add(centre.sharesNamespaceWith.id);
  const containers = topology.containers.filter(
    (c) =>
      keep.has(c.id) ||
      c.sharesNamespaceWith?.id === id ||
      c.interfaces.some((i) => {
        const n = net(i);
        return n !== undefined && networks.has(n);
      }),
  );
  return restrict(topology, containers, networks);
}

/** Merges the members of each collapsed project (or replica set) into one container standing for them. */
function collapse(topology: Topology, collapsed: ReadonlySet<string>): Topology {
  const groups = new Map<string, Container[]>();
  const containers: Container[] = [];
  for (const c of topology.containers) {
    const group = collapsedGroupOf(c.compose, collapsed);
    if (group === null) containers.push(c);
    else if (groups.has(group)) groups.get(group)?.push(c);
    else {
      groups.set(group, [c]);
      containers.push(c);
    }
  }
  return {
    ...topology,
    containers: containers.map((c) => {
      const group = collapsedGroupOf(c.compose, collapsed);
      return group === null ? c : merged(group, groups.get(group) ?? [c]);
    }),
  };
}

function merged(group: string, members: Container[]): Container {
  const [project, service] = group.split("/");
  const first = members[0];
  const interfaces = new Map<string, Interface & { count: number }>();
  for (const m of members)
    for (const i of m.interfaces) {
      const key = i.networkId || i.network;
      const seen = interfaces.get(key);
      if (seen) seen.count++;
      else interfaces.set(key, { ...i, count: 1 });
    }
  const running = members.some((m) => m.state === "running");
  return {
    ...first,
    id: collapsedId(group),
    name: `${service ? `${project}-${service}` : project} ×${members.length}`,
    image: [...new Set(members.map((m) => m.image))].join(", "),
    state: running ? "running" : first.state,
    status: `${members.length} containers, collapsed`,
    // Members on several machines of a fleet: the merged node is on none of them, drawn between them.
    node: members.every((m) => m.node === first.node) ? first.node : undefined,
    compose: { project, service: service ?? "*", number: 0, oneoff: false },
    sharesNamespaceWith: undefined,
    labels: {},
    ports: [],
    links: [],
    interfaces: [...interfaces.values()].map(({ count, ...i }) => ({
      ...i,
      ipv4: count > 1 ? `${count} addresses` : i.ipv4,
      ipv6: count > 1 ? null : i.ipv6,
    })),
  };
}
