import type { Container, Network, Topology } from "../topology.ts";
import { isFleet } from "./fleet-groups.ts";
import { networkResolver } from "./network-of.ts";

/**
 * The fleet filters the page's URL and every export share (`?engine=`, `--engine`; node; service): each set
 * keeps only what matches it, and together they keep what matches all.
 */
export interface FleetFilter {
  /** An engine's key (`EngineEntry.key`): the containers it reported. */
  engine?: string;
  /** A machine: an engine's key or a swarm node's hostname, with the tasks placed on it. */
  node?: string;
  /** A swarm service by name: its tasks' containers. */
  service?: string;
}

/** The values each filter accepts here, sorted. */
export interface FleetChoices {
  engines: string[];
  nodes: string[];
  services: string[];
}

type FilterInput = Pick<Topology, "engines" | "networks" | "containers" | "swarm">;

/** A container's engine; one normalised alone (no `node` stamped) is its topology's one engine's. */
function engineOf(t: FilterInput, c: Container): string | undefined {
  return c.engine ?? (c.node === undefined ? t.engines[0]?.key : undefined);
}

function nodeOf(t: FilterInput, c: Container): string | undefined {
  return c.node ?? t.engines[0]?.key;
}

const sorted = (values: Iterable<string | undefined>): string[] =>
  [...new Set(values)].filter((v): v is string => v !== undefined && v !== "").sort();

/** What `engine`, `node` and `service` may name in this topology. */
export function fleetChoices(t: FilterInput): FleetChoices {
  return {
    engines: sorted([...t.engines.map((e) => e.key), ...t.containers.map((c) => engineOf(t, c))]),
    nodes: sorted([
      ...t.engines.map((e) => e.key),
      ...(t.swarm?.nodes ?? []).map((n) => n.engine ?? n.hostname),
      ...t.containers.map((c) => nodeOf(t, c)),
    ]),
    services: sorted([
      ...(t.swarm?.services ?? []).map((s) => s.name),
      ...t.containers.map((c) => c.swarm?.service),
    ]),
  };
}

/** A filter value that names nothing here: which filter, the value, and what it could be. */
export function fleetFilterProblem(t: FilterInput, filter: FleetFilter): string | null {
  const choices = fleetChoices(t);
  const checks = [
    ["engine", filter.engine, choices.engines],
    ["node", filter.node, choices.nodes],
    ["service", filter.service, choices.services],
  ] as const;
  for (const [what, value, known] of checks) {
    if (value === undefined || known.includes(value)) continue;
    const plural = what === "node" ? "nodes" : `${what}s`;
    return `no ${what} "${value}" in this topology; ${known.length ? `${plural}: ${known.join(", ")}` : `it has no ${plural}`}`;
  }
  return null;
}

/** Whether any filter is set. */
export function hasFleetFilter(filter: FleetFilter): boolean {
  return filter.engine !== undefined || filter.node !== undefined || filter.service !== undefined;
}

/**
 * The containers and networks (IDs) a filter keeps: the matching containers, the networks they are on, and,
 * without a service filter, the networks of the chosen machine (its local ones, the overlays that span it).
 * Throws when a value names nothing here (`fleetFilterProblem`).
 */
export function applyFleetFilter(
  t: FilterInput,
  filter: FleetFilter,
): { containers: Set<string>; networks: Set<string> } {
  const problem = fleetFilterProblem(t, filter);
  if (problem) throw new Error(problem);
  const { engine, node, service } = filter;
  const keep = (c: Container): boolean =>
    (engine === undefined || engineOf(t, c) === engine) &&
    (node === undefined || nodeOf(t, c) === node) &&
    (service === undefined || c.swarm?.service === service);
  const containers = t.containers.filter(keep);
  const networkOf = networkResolver(t.networks, isFleet(t));
  const networks = new Set<string>();
  for (const c of containers)
    for (const i of c.interfaces) {
      const n = networkOf(c, i);
      if (n) networks.add(n.id);
    }
  if (service === undefined)
    for (const n of t.networks) if (onMachine(t, n, engine) && onMachine(t, n, node)) networks.add(n.id);
  return { containers: new Set(containers.map((c) => c.id)), networks };
}

/** A network lives on a machine: its own local one, or an overlay spanning it. */
function onMachine(t: FilterInput, n: Network, machine: string | undefined): boolean {
  if (machine === undefined) return true;
  if (n.scope === "swarm") return (n.nodes ?? [t.engines[0]?.key]).includes(machine);
  return (n.node ?? t.engines[0]?.key) === machine;
}
