import type { Decision } from "./routes.ts";
import { BLOCKED_NONE, best, hasGwbridge, isGwbridge, isShimmed, noEndpoint } from "./routes.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { RuleId, Verdict } from "./types.ts";

/** HC-1..HC-3, H-2: can the host's namespace reach this (networks-mode) namespace directly? */
export function fromHostNetns(index: TopologyIndex, sandbox: Sandbox): Decision {
  if (sandbox.mode === "host")
    return { verdict: "reachable", rule: "H-1", text: "same namespace", address: "127.0.0.1", network: null };
  if (sandbox.mode === "none") return BLOCKED_NONE;
  const gw = hasGwbridge(sandbox);
  const decisions: Decision[] = [];
  for (const l of sandbox.ifaces) {
    const net = l.net;
    const address = l.iface.ipv4 ?? l.iface.ipv6;
    const at = (verdict: Verdict, rule: RuleId, text: string, addr: string | null = address): void => {
      decisions.push({ verdict, rule, text, address: addr, network: l.iface.network });
    };
    if (!net || !net.knownDriver) at("unknown", "§5 plugin driver", `${l.iface.network}'s policy is unknown`);
    else if (net.driver === "bridge")
      at("reachable", isGwbridge(net) ? "HC-2" : "HC-1", `the host reaches ${net.name} IPs, any port`);
    else if (net.driver === "overlay" && !net.ingress && !gw) {
      if (net.internal) at("blocked", "HC-2", `the host has no route into internal overlay ${net.name}`);
      else at("reachable", "HC-2", `via its docker_gwbridge IP (not collected, OV-2)`, null);
    } else if (net.driver === "macvlan" || net.driver === "ipvlan") {
      if (isShimmed(index, net))
        at("reachable", "MV-4", `through the host shim on ${net.parent ?? "the parent"}`);
      else at("blocked", "HC-3", `host and ${net.driver} children are isolated (MV-3)`);
    } else if (net.driver === "overlay" && !net.ingress)
      at("blocked", "HC-2", `the host has no route to overlay ${net.name}; it uses the gwbridge IP`);
  }
  return best(decisions, noEndpoint());
}

/** V6-2: the namespace's IPv6 endpoints on IPv6-enabled bridge networks. */
export function v6BridgeIfaces(sandbox: Sandbox): LiveIface[] {
  return sandbox.ifaces.filter(
    (l) =>
      l.iface.ipv6 &&
      l.net &&
      l.net.driver === "bridge" &&
      l.net.ipv6 &&
      l.net.knownDriver &&
      !isGwbridge(l.net),
  );
}

/** MV-4: endpoints on macvlan/ipvlan networks whose parent has a host shim. */
export function shimIfaces(index: TopologyIndex, sandbox: Sandbox): LiveIface[] {
  return sandbox.ifaces.filter((l) => l.net !== null && isShimmed(index, l.net));
}
