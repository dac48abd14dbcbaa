import { groupStyleColor } from "../graph-style.ts";
import type { EngineEntry, Swarm, SwarmNode, SwarmService } from "../topology.ts";
import { middleEllipsis } from "./short-name.ts";
import type { GraphGroup, GraphNode } from "./types.ts";

/** Several engines, or a swarm: the picture gains machines and services. One engine alone draws as ever. */
export function isFleet(topology: { engines?: readonly EngineEntry[]; swarm?: Swarm }): boolean {
  return (topology.engines?.length ?? 0) > 1 || topology.swarm !== undefined;
}

/** A machine's group key, which a project or a one-machine service names as its `parent`. */
export const nodeGroupKey = (node: string): string => `node:${node}`;

/**
 * The machines of a fleet, each the group of what lives on it (containers, local networks, its Docker host),
 * in the engines' order, then the swarm nodes no engine is connected for; and a group per swarm service of
 * its tasks' containers. Machines and services with nothing drawn have no group.
 */
export function fleetGroups(
  topology: { engines?: readonly EngineEntry[]; swarm?: Swarm },
  nodes: readonly GraphNode[],
): GraphGroup[] {
  const members = new Map<string, string[]>();
  const tasks = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    if (n.node !== null) listOf(members, n.node).push(n.key);
    if (n.service !== null) listOf(tasks, n.service).push(n);
  }
  const swarmNodes = new Map<string, SwarmNode>();
  for (const s of topology.swarm?.nodes ?? []) swarmNodes.set(s.engine ?? s.hostname, s);
  const engines = new Map((topology.engines ?? []).map((e) => [e.key, e]));
  const groups: GraphGroup[] = machineOrder(topology, members.keys())
    .filter((m) => members.has(m))
    .map((m) => ({
      by: "node",
      key: nodeGroupKey(m),
      name: m,
      label: middleEllipsis(m, 40),
      color: groupStyleColor("node", m),
      members: members.get(m) ?? [],
      parent: null,
      sub: machineSub(engines.get(m), swarmNodes.get(m)),
      collapsed: false,
    }));
  for (const s of topology.swarm?.services ?? []) {
    const of = tasks.get(s.name);
    if (of) groups.push(serviceGroup(s, of));
  }
  return groups;
}

/**
 * A fleet's machines in the order they are shown: the engines as given, then the swarm nodes no engine is
 * connected for (in the manager's order, by hostname), then any other machine a container names.
 */
export function machineOrder(
  topology: { engines?: readonly EngineEntry[]; swarm?: Swarm },
  others: Iterable<string> = [],
): string[] {
  return [
    ...new Set([
      ...(topology.engines ?? []).map((e) => e.key),
      ...(topology.swarm?.nodes ?? []).map((s) => s.engine ?? s.hostname),
      ...[...others].sort(),
    ]),
  ];
}

/** `Docker 20.10.24 · manager (leader) · active · ready`, or `no engine connected` for a node seen only by the manager. */
function machineSub(engine: EngineEntry | undefined, node: SwarmNode | undefined): string[] {
  const parts = [engine ? `Docker ${engine.info.serverVersion}` : "no engine connected"];
  if (node) parts.push(`${node.role}${node.leader ? " (leader)" : ""}`, node.availability, node.state);
  return [parts.filter(Boolean).join(" · ")];
}

function serviceGroup(s: SwarmService, tasks: GraphNode[]): GraphGroup {
  const machines = [...new Set(tasks.map((t) => t.node ?? ""))].sort();
  return {
    by: "service",
    key: `service:${s.id}`,
    name: s.name,
    label: middleEllipsis(s.name, 40),
    color: groupStyleColor("service", s.name),
    members: tasks.map((t) => t.key),
    // A service on one machine is drawn inside it; one across machines spans them, as an overlay does.
    parent: machines.length === 1 && machines[0] ? nodeGroupKey(machines[0]) : null,
    sub: serviceSub(s, tasks, machines),
    collapsed: false,
  };
}

/** `replicated 2/3 · dnsrr` and `3 tasks on node2, node3`. */
export function serviceSub(
  s: SwarmService,
  tasks: readonly GraphNode[],
  machines: readonly string[],
): string[] {
  const running = tasks.filter((t) => t.state === "running").length;
  const replicas = s.replicas === null ? `${running} running` : `${running}/${s.replicas}`;
  const count = `${tasks.length} task${tasks.length === 1 ? "" : "s"}`;
  return [`${s.mode} ${replicas} · ${s.endpointMode}`, `${count} on ${machines.join(", ")}`];
}

function listOf<V>(map: Map<string, V[]>, key: string): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
