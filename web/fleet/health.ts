import type { EngineHealth, EngineStatus, SwarmNode, Topology } from "../../server/model/topology.ts";

/** How a machine of the map is doing: its engine's connection, and the manager's word on its swarm node. */
export type MachineState = "live" | "stale" | "down";

/** One machine of a fleet: an engine read, a swarm node, or both (a node whose engine is connected). */
export interface Machine {
  /** The map key containers carry as `node`: the engine's key, or the swarm node's hostname. */
  key: string;
  engine: EngineHealth | null;
  node: SwarmNode | null;
  state: MachineState;
  /** The swarm node's `Spec.Availability` when it is not `active` (`drain`, `pause`); else null. */
  availability: string | null;
  /** One line: role, state, API version, availability; the error follows when there is one. */
  text: string;
}

/** A swarm node is up only when the manager says `ready` (down, unknown and disconnected are not). */
const nodeUp = (n: SwarmNode): boolean => n.state === "ready";

/**
 * Every machine of the topology with its health, in the engines' order and then the swarm's other nodes: an
 * engine that is unreachable, or a node the manager reports down, is `down`; an engine whose data may be out of
 * date is `stale`. Pure.
 */
export function machinesOf(topology: Topology | null, status: EngineStatus | null): Machine[] {
  if (!topology) return [];
  const health = new Map((status?.engines ?? []).map((e) => [e.key, e]));
  const nodes = topology.swarm?.nodes ?? [];
  const nodeOf = new Map(nodes.map((n) => [n.engine ?? n.hostname, n]));
  const keys = [...new Set([...topology.engines.map((e) => e.key), ...health.keys(), ...nodeOf.keys()])];
  return keys.map((key) => {
    const engine = health.get(key) ?? null;
    const node = nodeOf.get(key) ?? null;
    const state: MachineState =
      (engine && !engine.reachable) || (node && !nodeUp(node)) ? "down" : engine?.stale ? "stale" : "live";
    const availability = node && node.availability !== "active" ? node.availability : null;
    const role = node?.role ?? engine?.swarmRole ?? null;
    // Only what is worth reading: a ready node and a live engine are the normal case, said once ("live").
    const connection = engine
      ? engine.reachable
        ? engine.stale
          ? "stale"
          : "live"
        : "unreachable"
      : node && health.size > 0 && !topology.engines.some((e) => e.key === key)
        ? "tasks via the manager"
        : null;
    const parts = [
      role ? `${role}${node?.leader ? " (leader)" : ""}` : null,
      connection,
      node && !nodeUp(node) ? `node ${node.state}` : null,
      availability,
      engine?.apiVersion ? `API ${engine.apiVersion}` : null,
    ];
    return { key, engine, node, state, availability, text: parts.filter(Boolean).join(" · ") };
  });
}

/** The machines whose containers are kept but may no longer be true: engine lost or stale, node down. */
export function staleMachines(machines: readonly Machine[]): Set<string> {
  return new Set(machines.filter((m) => m.state !== "live").map((m) => m.key));
}

/** `machinesOf`, memoised: the same array while no machine's health changed, so panels can watch it by identity. */
export function createMachines(): (topology: Topology | null, status: EngineStatus | null) => Machine[] {
  let last: { key: string; machines: Machine[] } = { key: "[]", machines: [] };
  return (topology, status) => {
    const machines = machinesOf(topology, status);
    const key = JSON.stringify(machines);
    if (key !== last.key) last = { key, machines };
    return last.machines;
  };
}
