import type { Topology } from "../topology.ts";
import type { Decision } from "./routes.ts";
import { BLOCKED_NONE, best, hasGwbridge, isGwbridge, noEndpoint } from "./routes.ts";
import type { Sandbox, TopologyIndex } from "./topology-index.ts";
import type { RuleId, Verdict } from "./types.ts";

/** One machine of the map: an engine's host, or a swarm node known only from the manager. */
export interface Machine {
  key: string;
  /** The address other machines reach it at: the swarm node's `Status.Addr`, else the engine URL's host. */
  address: string | null;
  /** A node of the topology's swarm: its peers reach it over the underlay (SW-10). */
  swarmNode: boolean;
}

/** The machines of a topology: each namespace lives on one (SW-2), `@host` is the first engine's (SW-11). */
export interface Machines {
  /** SW-11: the machine whose host namespace `@host` stands for. "" for a topology without engines. */
  host: string;
  byKey: ReadonlyMap<string, Machine>;
  /** More than one machine: cross-machine rules apply. */
  several: boolean;
}

/** Collects the machines from the engines and the swarm's nodes. O(engines + nodes). */
export function machinesOf(topology: Topology): Machines {
  const byKey = new Map<string, Machine>();
  for (const e of topology.engines ?? [])
    byKey.set(e.key, { key: e.key, address: urlHost(e.url), swarmNode: false });
  for (const n of topology.swarm?.nodes ?? []) {
    const key = n.engine ?? n.hostname;
    byKey.set(key, { key, address: n.addr || byKey.get(key)?.address || null, swarmNode: true });
  }
  for (const c of topology.containers)
    if (c.node && !byKey.has(c.node)) byKey.set(c.node, { key: c.node, address: null, swarmNode: false });
  const host = topology.engines?.[0]?.key ?? "";
  return { host, byKey, several: byKey.size > 1 };
}

/** The host part of a tcp://, ssh:// or http(s):// engine URL; null for a unix socket or none. */
function urlHost(url: string | null): string | null {
  const match = url ? /^(?:tcp|ssh|https?):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(url) : null;
  return match ? match[1].replace(/^\[|\]$/g, "") : null;
}

/** SW-2: the machine a namespace lives on; `@host`'s is the first engine's machine (SW-11). */
export function machineOf(index: TopologyIndex, box: Sandbox): string {
  if (box.owner < 0) return index.machines.host;
  return index.containers[box.owner].node ?? index.machines.host;
}

/** Whether two namespaces are on different machines (only ever true for a fleet). */
export function onDifferentMachines(index: TopologyIndex, a: Sandbox, b: Sandbox): boolean {
  return index.machines.several && machineOf(index, a) !== machineOf(index, b);
}

/** The machine record of a key; one with no address when the topology does not know it. */
export function machine(index: TopologyIndex, key: string): Machine {
  return index.machines.byKey.get(key) ?? { key, address: null, swarmNode: false };
}

/**
 * SW-10: can namespace `s` send to an address of another machine `to`? Its traffic must leave its own host
 * (HC-5: NAT out of a non-internal bridge, or docker_gwbridge for an overlay member), and the two machines
 * must reach each other: proved for nodes of one swarm (their underlay carries the swarm), not visible in
 * the API for other machines (unknown).
 */
export function remoteRoute(index: TopologyIndex, s: Sandbox, to: string): Decision {
  const target = machine(index, to);
  const own = machine(index, machineOf(index, s));
  const leave = egressRoute(s);
  if (leave.verdict === "blocked") return leave;
  const peers = own.swarmNode && target.swarmNode;
  const verdict: Verdict = peers ? leave.verdict : "unknown";
  const text = peers
    ? `${leave.text}, then over the swarm's underlay to ${to} at ${target.address ?? "its address"}`
    : `${leave.text}; whether ${own.key} reaches ${to}${target.address ? ` at ${target.address}` : ""} is not visible in the API (not nodes of one swarm)`;
  return { verdict, rule: "SW-10", text, address: target.address, network: null };
}

/** HC-5: whether the namespace's packets can leave its host at all (to another machine). */
function egressRoute(s: Sandbox): Decision {
  if (s.mode === "host")
    return {
      verdict: "reachable",
      rule: "SW-10",
      text: "from the host's namespace",
      address: null,
      network: null,
    };
  if (s.mode === "none") return BLOCKED_NONE;
  const gw = hasGwbridge(s);
  const decisions: Decision[] = [];
  for (const l of s.ifaces) {
    const net = l.net;
    const at = (verdict: Verdict, rule: RuleId, text: string): void => {
      decisions.push({ verdict, rule, text, address: null, network: l.iface.network });
    };
    if (!net || !net.knownDriver) at("unknown", "§5 plugin driver", `${l.iface.network}'s policy is unknown`);
    else if (net.driver === "bridge") {
      if (net.internal) at("blocked", "INT-6", `internal ${net.name} has no route off the host`);
      else if (isGwbridge(net)) at("reachable", "HC-5", `out through docker_gwbridge (NAT)`);
      else at("reachable", "HC-5", `out through ${net.name}'s NAT`);
    } else if (net.driver === "overlay" && !net.ingress && !gw) {
      if (net.internal) at("blocked", "OV-2", `internal overlay ${net.name} has no docker_gwbridge`);
      else at("reachable", "HC-5", `out through its docker_gwbridge endpoint (NAT)`);
    } else if (net.driver === "macvlan" || net.driver === "ipvlan")
      at(
        "unknown",
        "HC-5",
        `a ${net.driver} child leaves through the parent onto its LAN, not through the host`,
      );
  }
  return best(decisions, noEndpoint());
}
