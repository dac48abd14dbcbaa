import { REF_EXPECTED, resolveContainerRef } from "../model/container-ref.ts";
import type { CheckKind, CheckRole, ProbeEnd } from "../model/probe-types.ts";
import { PROBE_HOST } from "../model/probe-types.ts";
import { modeOf } from "../model/reachability/topology-index.ts";
import type { Container, Network, Topology } from "../model/topology.ts";

/** One distinct check a helper runs; shared by every target that needs it. */
export interface PlannedCheck {
  id: number;
  kind: CheckKind;
  address: string | null;
  port: number | null;
  name: string | null;
}

export interface PairPlan {
  to: ProbeEnd;
  targetAddresses: string[];
  /**
   * OV-6, OV-7: the virtual IPs of the target's VIP-mode service on networks the source shares with it. A name
   * answering one of them leads to the target through IPVS; they are checked by name only, never dialled
   * (this kernel may have no IPVS, and a VIP answers for every task, not this one).
   */
  serviceAddresses: string[];
  checks: { check: number; role: CheckRole; network: string | null }[];
  names: string[];
  skipped: { address: string; reason: string }[];
}

export interface SourcePlan {
  source: ProbeEnd;
  /**
   * The engine (an `EngineEntry` key) whose helper joins the source's namespace: the engine that reported
   * it. null when none did: a task known only from the manager's `/tasks`.
   */
  engine: string | null;
  /** The machine the source runs on (an `EngineEntry` key or swarm node hostname); null when unknown. */
  node: string | null;
  /** `container:<id>` or `host`. */
  networkMode: string;
  checks: PlannedCheck[];
  pairs: PairPlan[];
}

export interface PlanOptions {
  /** Sources (names, IDs, 12-hex short IDs or `@host`); default every container and the host. */
  from?: string[];
  /** Targets, as `from`; default every container and the host. */
  to?: string[];
  /** Ports tried on every target besides those the topology knows (`ports[].privatePort`). */
  extraPorts?: number[];
}

const UP = new Set(["running", "paused", "restarting"]);
const LOOPBACK = "127.0.0.1";
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

interface Namespace {
  /** The container owning the namespace (CN-1); null for the host. */
  owner: Container | null;
  mode: "host" | "none" | "networks";
}

/** Plans one helper per source: the distinct checks, and which of them answer for each target. */
export function planProbes(topology: Topology, options: PlanOptions = {}): SourcePlan[] {
  const ctx = new PlanContext(topology, options.extraPorts ?? []);
  // A name, its ID and its short ID are one container: one helper per source, one entry per target.
  const sources = options.from
    ? unique(options.from.map((r) => ctx.resolve(r)))
    : [PROBE_HOST, ...ctx.allIds()];
  const targets = options.to ? unique(options.to.map((r) => ctx.resolve(r))) : [PROBE_HOST, ...ctx.allIds()];
  return sources.map((s) =>
    ctx.planSource(
      s,
      targets.filter((t) => t !== s),
    ),
  );
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

class PlanContext {
  private readonly byRef = new Map<string, Container>();
  private readonly networks = new Map<string, Network>();
  private readonly networksByName = new Map<string, Network>();
  private readonly fallbackHosts = new Map<string | null, string | null>();
  /** `@host` and the machine of a topology that names none: the first engine's (the manager's, in a fleet). */
  private readonly hostNode: string | null;

  constructor(
    private readonly topology: Topology,
    private readonly extraPorts: number[],
  ) {
    this.hostNode = topology.engines[0]?.key ?? null;
    for (const c of topology.containers) {
      this.byRef.set(c.id, c);
      this.byRef.set(c.id.slice(0, 12), c);
    }
    for (const c of topology.containers) this.byRef.set(c.name, c);
    for (const n of topology.networks) {
      this.networks.set(n.id, n);
      this.networksByName.set(n.name, n);
    }
  }

  allIds(): string[] {
    return this.topology.containers.map((c) => c.id);
  }

  resolve(ref: string): string {
    if (ref === PROBE_HOST) return PROBE_HOST;
    const c =
      this.byRef.get(ref.replace(/^\//, "")) ??
      this.topology.containers[
        resolveContainerRef(this.topology.containers, ref, `${REF_EXPECTED}, or ${PROBE_HOST}`)
      ];
    return c.id;
  }

  planSource(sourceId: string, targetIds: string[]): SourcePlan {
    const source = this.end(sourceId);
    const ns = this.namespace(sourceId);
    const checks = new Map<string, PlannedCheck>();
    const add = (
      kind: CheckKind,
      address: string | null,
      port: number | null,
      name: string | null,
    ): number => {
      const key = `${kind}|${address}|${port}|${name?.toLowerCase()}`;
      let check = checks.get(key);
      if (!check) {
        check = { id: checks.size, kind, address, port, name };
        checks.set(key, check);
      }
      return check.id;
    };
    const pairs = targetIds.map((t) => this.planPair(sourceId, ns, t, add));
    const container = sourceId === PROBE_HOST ? null : (this.byRef.get(sourceId) as Container);
    return {
      source,
      engine: container ? this.engineOf(container) : this.hostNode,
      node: this.nodeOf(container),
      networkMode: sourceId === PROBE_HOST ? "host" : `container:${sourceId}`,
      checks: [...checks.values()],
      pairs,
    };
  }

  private planPair(
    sourceId: string,
    sns: Namespace,
    targetId: string,
    add: (kind: CheckKind, address: string | null, port: number | null, name: string | null) => number,
  ): PairPlan {
    const tns = this.namespace(targetId);
    const target = targetId === PROBE_HOST ? null : (this.byRef.get(targetId) as Container);
    const plan: PairPlan = {
      to: this.end(targetId),
      targetAddresses: [],
      serviceAddresses: this.serviceAddresses(sns, tns),
      checks: [],
      names: [],
      skipped: [],
    };
    const ports = this.portsOf(target, tns.owner);
    const probeAddress = (address: string, role: CheckRole, network: string | null) => {
      plan.checks.push({ check: add("icmp", address, null, null), role, network });
      for (const port of ports) plan.checks.push({ check: add("tcp", address, port, null), role, network });
    };
    // The target's host is the source's own, or another node reached at its underlay address.
    const remote = this.nodeOf(sns.owner) !== this.nodeOf(tns.owner);
    const hostAddresses = remote ? this.nodeAddresses(this.nodeOf(tns.owner), plan) : this.hostAddresses(sns);
    const sameNamespace = sns.mode !== "host" && sns.owner !== null && sns.owner === tns.owner;
    // §5: a stopped target has no endpoint, even when it joins a running namespace (CN-1).
    const targetUp = target === null || UP.has(target.state);
    if (targetUp && tns.mode === "host") {
      // H-1: the host and host-mode containers are reached at host addresses.
      plan.targetAddresses.push(...hostAddresses);
      for (const a of hostAddresses) probeAddress(a, "host", null);
    } else if (targetUp) {
      if (sameNamespace) probeAddress(LOOPBACK, "shared-namespace", null);
      for (const { address, network } of this.liveAddresses(tns)) {
        plan.targetAddresses.push(address);
        const unsafe = this.unsafeReason(sns, network);
        if (unsafe) plan.skipped.push({ address, reason: unsafe });
        else probeAddress(address, "direct", network.name);
      }
      for (const { address, port } of this.publishedAddresses(tns, hostAddresses, remote))
        plan.checks.push({ check: add("tcp", address, port, null), role: "published", network: null });
    }
    if (target) {
      plan.names = this.candidateNames(target, tns);
      for (const name of plan.names)
        plan.checks.push({ check: add("name", null, null, name), role: "name", network: null });
    }
    return plan;
  }

  private end(id: string): ProbeEnd {
    if (id === PROBE_HOST) return { id, name: PROBE_HOST };
    const c = this.byRef.get(id) as Container;
    return { id: c.id, name: c.name };
  }

  /** CN-1: follows `container:` joins to the namespace owner. */
  private namespace(id: string): Namespace {
    if (id === PROBE_HOST) return { owner: null, mode: "host" };
    let c = this.byRef.get(id) as Container;
    for (let depth = 0; depth < 8 && c.sharesNamespaceWith; depth++) {
      const next =
        this.byRef.get(c.sharesNamespaceWith.id) ??
        (c.sharesNamespaceWith.name ? this.byRef.get(c.sharesNamespaceWith.name) : undefined);
      if (!next || next === c) break;
      c = next;
    }
    return { owner: c, mode: modeOf(c) };
  }

  private liveAddresses(ns: Namespace): { address: string; network: Network }[] {
    if (!ns.owner || ns.mode !== "networks" || !UP.has(ns.owner.state)) return [];
    const out: { address: string; network: Network }[] = [];
    for (const i of ns.owner.interfaces) {
      const network = this.networks.get(i.networkId) ?? this.networksByName.get(i.network);
      if (i.ipv4 && IPV4.test(i.ipv4) && network) out.push({ address: i.ipv4, network });
    }
    return out;
  }

  /**
   * Probe safety (§0, OV-5): an address is dialled only when the source has an endpoint on its network, or
   * the network is a bridge (the host itself routes it, so the packet never leaves the machine).
   */
  private unsafeReason(sns: Namespace, network: Network): string | null {
    // A none-mode namespace has only lo (NO-1): nothing it sends can leave.
    if (sns.mode === "none") return null;
    const there = this.networkNode(network);
    const here = this.nodeOf(sns.owner);
    // Another node's local network: its subnet means nothing here, or another bridge with the same subnet.
    if (there !== null && there !== here)
      return (
        `${network.driver} network ${network.name} is local to node ${there}, the source runs on ` +
        `${here ?? "another node"}: a probe could leave the machine or reach a container of this node at the same address`
      );
    if (network.driver === "bridge") return null;
    if (this.liveAddresses(sns).some((a) => a.network.id === network.id)) return null;
    return `${network.driver} network ${network.name} is not routed by this host: a probe could leave the machine (OV-5)`;
  }

  /** Host addresses the source can dial: 127.0.0.1 in the host namespace, else its bridge gateways (UB-9). */
  private hostAddresses(ns: Namespace): string[] {
    if (ns.mode === "host") return [LOOPBACK];
    const gateways = new Set<string>();
    if (ns.owner && ns.mode === "networks" && UP.has(ns.owner.state))
      for (const i of ns.owner.interfaces) {
        const network = this.networks.get(i.networkId) ?? this.networksByName.get(i.network);
        if (network?.driver === "bridge" && i.gateway && IPV4.test(i.gateway)) gateways.add(i.gateway);
      }
    // A source without a bridge gateway (macvlan, none) still tries docker0's: that is a host address.
    const fallback = this.fallbackHost(this.nodeOf(ns.owner));
    if (gateways.size === 0 && fallback) gateways.add(fallback);
    return [...gateways];
  }

  /**
   * Another node's host addresses, as a source elsewhere dials them: the node's underlay address (`Status.Addr`
   * from the manager). Unknown: nothing is dialled and the plan says why.
   */
  private nodeAddresses(node: string | null, plan: PairPlan): string[] {
    const addr = this.topology.swarm?.nodes.find((n) => n.hostname === node || n.engine === node)?.addr;
    if (addr && IPV4.test(addr) && addr !== "0.0.0.0") return [addr];
    plan.skipped.push({
      address: `host of ${node ?? "an unknown node"}`,
      reason: `the address of node ${node ?? "(unknown)"} is not known: the manager lists no such swarm node`,
    });
    return [];
  }

  private fallbackHost(node: string | null): string | null {
    if (!this.fallbackHosts.has(node)) this.fallbackHosts.set(node, this.defaultBridgeGateway(node));
    return this.fallbackHosts.get(node) ?? null;
  }

  private defaultBridgeGateway(node: string | null): string | null {
    const bridges = this.topology.networks.filter(
      (n) => n.driver === "bridge" && this.networkNode(n) === node,
    );
    const ordered = [...bridges.filter((n) => n.defaultBridge), ...bridges.filter((n) => !n.defaultBridge)];
    for (const n of ordered) {
      const fromSubnet = n.subnets.find((s) => s.gateway && IPV4.test(s.gateway))?.gateway;
      if (fromSubnet) return fromSubnet;
      for (const c of this.topology.containers)
        for (const i of c.interfaces)
          if (i.networkId === n.id && i.gateway && IPV4.test(i.gateway)) return i.gateway;
    }
    return null;
  }

  /** PP-1..PP-4: each published binding, at the binding's own address or (wildcards) the source's host addresses. */
  private publishedAddresses(
    tns: Namespace,
    hostAddresses: string[],
    remote: boolean,
  ): { address: string; port: number }[] {
    if (!tns.owner || !UP.has(tns.owner.state)) return [];
    const out = new Map<string, { address: string; port: number }>();
    for (const p of tns.owner.ports) {
      if (p.publicPort === undefined || p.protocol !== "tcp") continue;
      const hostIp = p.hostIp ?? "";
      const wildcard = hostIp === "" || hostIp === "0.0.0.0" || hostIp === "::";
      // On another node, an address bound there is dialled only when it is that node's own underlay address
      // (127.0.0.1 on node2 is not this node's loopback).
      const addresses = wildcard
        ? hostAddresses
        : IPV4.test(hostIp) && (!remote || hostAddresses.includes(hostIp))
          ? [hostIp]
          : [];
      for (const address of addresses) out.set(`${address}:${p.publicPort}`, { address, port: p.publicPort });
    }
    return [...out.values()];
  }

  /** The machine of a namespace's owner; the host's for `@host` and for a topology that names none. */
  private nodeOf(owner: Container | null): string | null {
    return owner ? (owner.node ?? owner.engine ?? this.hostNode) : this.hostNode;
  }

  /** The engine that reported a container; none for a task known only from the manager (it names a node). */
  private engineOf(c: Container): string | null {
    return c.engine ?? (c.node === undefined ? this.hostNode : null);
  }

  /** The machine a local-scope network lives on; null for a swarm-scope one, which spans nodes. */
  private networkNode(n: Network): string | null {
    return n.scope === "swarm" ? null : (n.node ?? this.hostNode);
  }

  private serviceAddresses(sns: Namespace, tns: Namespace): string[] {
    const serviceId = tns.owner?.swarm?.serviceId;
    const service = serviceId && this.topology.swarm?.services.find((s) => s.id === serviceId);
    if (!service || service.endpointMode !== "vip") return [];
    const shared = new Set(this.liveAddresses(sns).map((a) => a.network.id));
    return service.virtualIps
      .filter((v) => shared.has(v.networkId))
      .map((v) => v.addr.split("/")[0])
      .filter((a) => IPV4.test(a));
  }

  private portsOf(target: Container | null, owner: Container | null): number[] {
    const ports = new Set<number>();
    for (const c of [target, owner])
      for (const p of c?.ports ?? []) if (p.protocol === "tcp" && p.privatePort > 0) ports.add(p.privatePort);
    for (const p of this.extraPorts) ports.add(p);
    return [...ports].sort((a, b) => a - b);
  }

  /**
   * Every name that could lead to the target, so the probes also catch names the model leaves out: its names
   * and aliases on every network, with the `.<network>` form (UB-2), its name and short ID (DB-3, CN-1),
   * link aliases pointing at it (DB-3, UB-7) and swarm names (OV-6).
   */
  private candidateNames(target: Container, tns: Namespace): string[] {
    const names = new Map<string, string>();
    const add = (n: string | null | undefined) => {
      if (n && /^[A-Za-z0-9_.-]+$/.test(n) && !names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
    };
    const owner = tns.owner ?? target;
    for (const c of new Set([target, owner])) {
      add(c.name);
      add(c.id.slice(0, 12));
    }
    if (tns.mode === "host") return [...names.values()];
    add(owner.hostname);
    for (const i of owner.interfaces) {
      for (const n of [...(i.dnsNames ?? []), ...(i.aliases ?? []), owner.name]) {
        add(n);
        add(`${n}.${i.network}`);
      }
    }
    for (const c of this.topology.containers) {
      for (const link of c.links)
        if (link.target === owner.name || link.target === target.name) add(link.alias);
      for (const i of c.interfaces)
        for (const link of i.links) {
          const [name, alias] = link.split(":");
          if (name === owner.name || name === target.name) add(alias);
        }
    }
    if (owner.swarm) {
      add(owner.swarm.service);
      add(`tasks.${owner.swarm.service}`);
    }
    return [...names.values()];
  }
}
