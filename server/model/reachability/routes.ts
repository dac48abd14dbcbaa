import type { Network } from "../topology.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { RuleId, Verdict } from "./types.ts";

/** A decision with the rule behind it and, when it is a route, the address and network used. */
export interface Decision {
  verdict: Verdict;
  rule: RuleId;
  text: string;
  address: string | null;
  network: string | null;
}

/** Whether a network carries container-to-container traffic, before the pair's own details. */
export interface Medium {
  verdict: Verdict | "none";
  rule: RuleId;
  text: string;
}

const GWBRIDGE = "docker_gwbridge";

/** OV-2/OV-3: the bridge that carries overlay containers' host traffic. */
export function isGwbridge(net: Network): boolean {
  return net.name === GWBRIDGE || net.options["com.docker.network.bridge.name"] === GWBRIDGE;
}

/** Same-network traffic on `net` (§1.2 "Direct path"). */
export function directMedium(net: Network | null): Medium {
  if (!net)
    return { verdict: "unknown", rule: "§5 unknown network", text: "the network is not in the topology" };
  if (net.ingress)
    return {
      verdict: "none",
      rule: "OV-7",
      text: `${net.name} is the routing-mesh network; no edges over it`,
    };
  if (!net.knownDriver)
    return {
      verdict: "unknown",
      rule: "§5 plugin driver",
      text: `${net.name} uses plugin driver ${net.driver}; its policy decides`,
    };
  switch (net.driver) {
    case "bridge":
      if (isGwbridge(net))
        return {
          verdict: "blocked",
          rule: "OV-3",
          text: `${net.name} has icc=false and is no container medium`,
        };
      if (!net.icc)
        return net.defaultBridge
          ? { verdict: "blocked", rule: "DB-6", text: `${net.name} has icc=false; only linked pairs pass` }
          : { verdict: "blocked", rule: "ICC-1", text: `${net.name} has icc=false: peers' IPs are dropped` };
      if (net.defaultBridge)
        return { verdict: "reachable", rule: "DB-1", text: `docker0 forwards peers (icc on)` };
      if (net.internal)
        return {
          verdict: "reachable",
          rule: "INT-1",
          text: `same-network traffic on internal ${net.name} passes`,
        };
      return {
        verdict: "reachable",
        rule: "UB-1",
        text: `all ports of members of ${net.name} are reachable`,
      };
    case "overlay":
      return {
        verdict: "reachable",
        rule: "OV-1",
        text: `overlay ${net.name} carries members' traffic (VXLAN)`,
      };
    case "macvlan":
      return { verdict: "reachable", rule: "MV-1", text: `children of macvlan ${net.name} reach each other` };
    case "ipvlan":
      return {
        verdict: "reachable",
        rule: "IV-2",
        text: `${ipvlanMode(net)} children of ${net.name} reach each other`,
      };
    default:
      return { verdict: "none", rule: "H-1", text: `${net.name} (${net.driver}) has no container addresses` };
  }
}

export function ipvlanMode(net: Network): string {
  return net.options.ipvlan_mode || "l2";
}

/** §5 multiple subnets: l2 macvlan/ipvlan children on different subnets need an external router. */
export function needsSubnetSplit(net: Network | null): boolean {
  if (!net || !(net.driver === "macvlan" || (net.driver === "ipvlan" && ipvlanMode(net) === "l2")))
    return false;
  return net.subnets.filter((s) => !s.subnet.includes(":")).length > 1;
}

/** The IPv4 network address of an endpoint ("10.210.9.0/24"), or "?" when its prefix is unknown. */
export function subnetKey(l: LiveIface): string {
  const { ipv4, prefixLength } = l.iface;
  if (!ipv4 || prefixLength === null) return "?";
  const parts = ipv4.split(".").map(Number);
  const value = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  const net = (value & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join(".")}/${prefixLength}`;
}

export function isShimmed(index: TopologyIndex, net: Network): boolean {
  return (
    (net.driver === "macvlan" || net.driver === "ipvlan") &&
    (index.config.macvlanShims.has(net.name) || index.config.macvlanShims.has(net.id))
  );
}

function isolatedGateway(net: Network): boolean {
  return net.options["com.docker.network.bridge.gateway_mode_ipv4"] === "isolated";
}

export const BLOCKED_NONE: Decision = {
  verdict: "blocked",
  rule: "NO-1",
  text: "a none-mode namespace has only lo",
  address: null,
  network: null,
};

/** Picks the best of several decisions: reachable, then unknown, then the first blocked one. */
export function best(decisions: Decision[], fallback: Decision): Decision {
  return (
    decisions.find((d) => d.verdict === "reachable") ??
    decisions.find((d) => d.verdict === "unknown") ??
    decisions[0] ??
    fallback
  );
}

export function noEndpoint(): Decision {
  return { verdict: "blocked", rule: "§1.1", text: "it has no live endpoint", address: null, network: null };
}

/** HC-4: can this namespace reach host addresses (host services, host-mode containers)? */
export function hostRoute(index: TopologyIndex, sandbox: Sandbox): Decision {
  if (sandbox.mode === "host")
    return {
      verdict: "reachable",
      rule: "H-1",
      text: "it is the host's namespace",
      address: "127.0.0.1",
      network: null,
    };
  if (sandbox.mode === "none") return BLOCKED_NONE;
  return best(
    sandbox.ifaces.map((l) => ifaceHostRoute(index, sandbox, l)).filter((d): d is Decision => d !== null),
    noEndpoint(),
  );
}

function ifaceHostRoute(index: TopologyIndex, sandbox: Sandbox, l: LiveIface): Decision | null {
  const net = l.net;
  const at = (verdict: Verdict, rule: RuleId, text: string, address = l.iface.gateway): Decision => ({
    verdict,
    rule,
    text,
    address,
    network: l.iface.network,
  });
  if (!net) return at("unknown", "§5 unknown network", `${l.iface.network} is not in the topology`);
  if (!net.knownDriver)
    return at("unknown", "§5 plugin driver", `${net.name} uses plugin driver ${net.driver}`);
  if (net.driver === "bridge") {
    if (net.internal && isolatedGateway(net))
      return at("blocked", "INT-7", `internal ${net.name} has gateway mode isolated: no host address`);
    if (isGwbridge(net)) return at("reachable", "OV-2", `via its docker_gwbridge endpoint`);
    if (net.internal) return at("reachable", "INT-3", `internal ${net.name} still has the host gateway`);
    if (!net.icc) return at("reachable", "ICC-3", `icc=false on ${net.name} does not block host addresses`);
    return at("reachable", "HC-4", `via ${net.name}'s gateway (any host address works, UB-9)`);
  }
  if (net.driver === "overlay" && !net.ingress) {
    if (net.internal) return at("blocked", "OV-2", `internal overlay ${net.name} has no docker_gwbridge`);
    if (hasGwbridge(sandbox)) return null;
    return at("reachable", "OV-2", `every non-internal overlay member has a docker_gwbridge endpoint`, null);
  }
  if (net.driver === "macvlan" || net.driver === "ipvlan") {
    if (isShimmed(index, net))
      return at("reachable", "MV-4", `a host shim on ${net.parent ?? "the parent"}`, null);
    return at(
      "blocked",
      net.driver === "ipvlan" ? "IV-2" : "MV-3",
      `${net.driver} children cannot reach the host`,
    );
  }
  return null;
}

export function hasGwbridge(sandbox: Sandbox): boolean {
  return sandbox.ifaces.some((l) => l.net !== null && isGwbridge(l.net));
}

/** PP-4: can this namespace use ports published on host addresses of the given family? */
export function publishRoute(index: TopologyIndex, sandbox: Sandbox, family: 4 | 6): Decision {
  if (sandbox.mode === "host")
    return {
      verdict: "reachable",
      rule: "PP-2",
      text: "the host's namespace uses every binding",
      address: null,
      network: null,
    };
  if (sandbox.mode === "none") return BLOCKED_NONE;
  if (!index.config.userlandProxy)
    return {
      verdict: "blocked",
      rule: "PP-7",
      text: "without userland-proxy, containers' published-port traffic is DNATed, then dropped",
      address: null,
      network: null,
    };
  return forwardRoute(index, sandbox, family, true);
}

/**
 * Whether the namespace's traffic leaves through the host's forwarding path (non-internal bridge, overlay
 * via docker_gwbridge). Used for published ports (PP-4) and for shimmed macvlan children (MV-4).
 */
export function forwardRoute(
  index: TopologyIndex,
  sandbox: Sandbox,
  family: 4 | 6,
  publish: boolean,
): Decision {
  if (sandbox.mode !== "networks") return sandbox.mode === "none" ? BLOCKED_NONE : noEndpoint();
  const decisions: Decision[] = [];
  const gw = hasGwbridge(sandbox);
  for (const l of sandbox.ifaces) {
    const net = l.net;
    const address = family === 4 ? l.iface.gateway : l.iface.ipv6Gateway;
    const at = (verdict: Verdict, rule: RuleId, text: string, addr: string | null = address): void => {
      decisions.push({ verdict, rule, text, address: addr, network: l.iface.network });
    };
    if (!net || !net.knownDriver) at("unknown", "§5 plugin driver", `${l.iface.network}'s policy is unknown`);
    else if (net.driver === "bridge") {
      if (family === 6 && !l.iface.ipv6) continue;
      if (net.internal)
        at("blocked", "INT-4", `internal ${net.name}: DNAT, then the isolation rule drops it`);
      else if (isGwbridge(net))
        at("reachable", publish ? "OV-8" : "OV-2", `via the docker_gwbridge endpoint`);
      else if (!net.icc) at("reachable", "ICC-3", `through docker-proxy, despite icc=false on ${net.name}`);
      else at("reachable", publish ? "PP-4" : "MV-4", `via ${net.name}'s gateway (any host address)`);
    } else if (net.driver === "overlay" && !net.ingress && !gw && family === 4) {
      if (net.internal) at("blocked", "OV-2", `internal overlay ${net.name} has no docker_gwbridge`);
      else at("reachable", "OV-2", `via its docker_gwbridge endpoint (not collected)`, null);
    } else if (net.driver === "macvlan" || net.driver === "ipvlan") {
      if (publish && family === 4 && isShimmed(index, net))
        at("reachable", "MV-4", `via the host shim on ${net.parent ?? "the parent"}`, null);
      else
        at(
          "blocked",
          net.driver === "ipvlan" ? "IV-2" : "MV-3",
          `${net.driver} children cannot reach the host`,
        );
    }
  }
  return best(decisions, {
    verdict: "blocked",
    rule: family === 6 ? "V6-4" : "§1.1",
    text: family === 6 ? "it has no IPv6 route to the host" : "it has no route to the host",
    address: null,
    network: null,
  });
}
