import type { Container } from "../topology.ts";
import type { Binding } from "./ports.ts";
import { bindingUse, programmedBindings, remoteBindingUse } from "./ports.ts";
import { machine, machineOf, onDifferentMachines, remoteRoute } from "./machines.ts";
import { meshPaths } from "./mesh.ts";
import { serviceOf } from "./swarm.ts";
import type { Decision } from "./routes.ts";
import { fromHostNetns, shimIfaces, v6BridgeIfaces } from "./host.ts";
import {
  directMedium,
  forwardRoute,
  hostRoute,
  isGwbridge,
  needsSubnetSplit,
  publishRoute,
  subnetKey,
} from "./routes.ts";
import { netKey } from "./topology-index.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { Path, Reason, RuleId, Verdict } from "./types.ts";

/** The host's own namespace as a sandbox: host-mode containers share it (H-1). */
export const HOST_SANDBOX: Sandbox = { owner: -1, mode: "host", up: true, ifaces: [] };

export interface PairPaths {
  /** Every non-blocked path, published ones included. */
  paths: Path[];
  reasons: Reason[];
  bindings: Binding[];
  uses: ReturnType<typeof bindingUse>[];
}

const net = (rule: RuleId, text: string): Reason => ({ rule, text, layer: "network" });

/** The paths from namespace `s` to namespace `t` (target null = the host itself), by §1.2. */
export function pairPaths(index: TopologyIndex, s: Sandbox, t: Sandbox, target: Container | null): PairPaths {
  const out: PairPaths = { paths: [], reasons: [], bindings: [], uses: [] };
  const remote = onDifferentMachines(index, s, t);
  const shared = s === t || (s.mode === "host" && t.mode === "host" && !remote);
  if (shared) {
    const rule = s.mode === "host" ? "H-1" : "CN-1";
    out.paths.push({
      kind: "shared-namespace",
      verdict: "reachable",
      network: null,
      address: "127.0.0.1",
      rule,
    });
    out.reasons.push(net(rule, "same network namespace: 127.0.0.1 and every address of it"));
  } else if (s.mode === "none" || t.mode === "none") {
    out.reasons.push(
      net("NO-1", `${s.mode === "none" ? "the source" : "the target"} runs with --network none: only lo`),
    );
  } else if (remote) {
    remotePaths(index, s, t, out);
  } else if (target === null) {
    addRoute(out, hostRoute(index, s), "host");
  } else if (s.mode === "host") {
    addRoute(out, fromHostNetns(index, t), "direct");
  } else if (t.mode === "host") {
    const route = hostRoute(index, s);
    addRoute(out, { ...route, rule: route.verdict === "blocked" ? route.rule : "H-3" }, "host");
  } else {
    directPaths(index, s, t, out, false);
    crossPaths(index, s, t, out);
  }
  if (target !== null && t.mode === "networks" && s.mode !== "none") {
    publishedPaths(index, s, t, out, remote);
    const mesh = meshPaths(index, s, t);
    out.paths.push(...mesh.paths);
    out.reasons.push(...mesh.reasons);
  }
  return out;
}

/**
 * Paths between namespaces on different machines: only a swarm overlay both are on carries traffic directly
 * (SW-1); local networks stay on their machine (SW-2); the other machine's host namespace and its published
 * ports are reached at its address (SW-10). Published paths are added by the caller.
 */
function remotePaths(index: TopologyIndex, s: Sandbox, t: Sandbox, out: PairPaths): void {
  const from = machineOf(index, s);
  const to = machineOf(index, t);
  if (t.mode === "host") {
    const route = remoteRoute(index, s, to);
    addRoute(out, route, "host");
    return;
  }
  if (s.mode === "networks") directPaths(index, s, t, out, true);
  if (out.paths.some((p) => p.verdict === "reachable")) return;
  out.reasons.push(
    net(
      "SW-2",
      `${from} and ${to} are different machines: their local networks (bridges, docker0, macvlan, the host) never reach each other's container addresses; only a swarm overlay on both does`,
    ),
  );
  if (s.mode === "networks") pluginPath(s, t, out);
}

function addRoute(out: PairPaths, d: Decision, kind: "host" | "direct"): void {
  out.reasons.push(net(d.rule, d.text));
  if (d.verdict === "blocked") return;
  out.paths.push({ kind, verdict: d.verdict, network: d.network, address: d.address, rule: d.rule });
}

function directPaths(index: TopologyIndex, s: Sandbox, t: Sandbox, out: PairPaths, remote: boolean): void {
  const mine = new Map(s.ifaces.map((l) => [netKey(l), l]));
  for (const tl of t.ifaces) {
    const sl = mine.get(netKey(tl));
    if (!sl) continue;
    const medium = directMedium(tl.net);
    const network = tl.iface.network;
    if (medium.verdict === "none" || medium.verdict === "blocked") {
      if (!legacyLinkPath(index, s, t, tl, out)) out.reasons.push(net(medium.rule, medium.text));
      continue;
    }
    let verdict: Exclude<Verdict, "blocked"> = medium.verdict;
    let rule = medium.rule;
    if (remote && medium.rule === "OV-1") {
      // SW-1: the overlay is one network (one ID) on both nodes; VXLAN carries it over the underlay.
      rule = "SW-1";
      out.reasons.push(
        net(
          "SW-1",
          `overlay ${network} spans ${machineOf(index, s)} and ${machineOf(index, t)}: VXLAN between the nodes carries members' traffic`,
        ),
      );
    }
    if (verdict === "reachable" && needsSubnetSplit(tl.net)) {
      const a = subnetKey(sl);
      if (a === "?" || a !== subnetKey(tl)) {
        verdict = "unknown";
        rule = "§5 multiple subnets";
        out.reasons.push(net(rule, `different subnets of ${network} need an external router`));
      }
    }
    out.reasons.push(net(medium.rule, medium.text));
    if (tl.iface.ipv4) out.paths.push({ kind: "direct", verdict, network, address: tl.iface.ipv4, rule });
    if (tl.iface.ipv6 && sl.iface.ipv6)
      out.paths.push({ kind: "direct", verdict, network, address: tl.iface.ipv6, rule });
    // A predicted endpoint (compose) has no address yet; the path exists all the same.
    if (!tl.iface.ipv4 && !tl.iface.ipv6)
      out.paths.push({ kind: "direct", verdict, network, address: null, rule });
  }
}

/** DB-6: with icc=false on docker0, a legacy link opens the target's exposed ports to the linker. */
function legacyLinkPath(
  index: TopologyIndex,
  s: Sandbox,
  t: Sandbox,
  tl: LiveIface,
  out: PairPaths,
): boolean {
  if (!tl.net?.defaultBridge || tl.net.icc) return false;
  const linker = index.containers[s.owner];
  const owner = index.containers[t.owner];
  if (!linker.links.some((l) => l.target === owner.name)) return false;
  const exposed = [...new Set(owner.ports.map((p) => `${p.privatePort}/${p.protocol}`))];
  if (exposed.length === 0) {
    out.reasons.push(
      net("DB-6", `icc=false on docker0: the link opens only exposed ports, and it exposes none`),
    );
    return true;
  }
  out.reasons.push(net("DB-6", `icc=false on docker0, but the legacy link opens ${exposed.join(", ")}`));
  out.paths.push({
    kind: "direct",
    verdict: "reachable",
    network: tl.iface.network,
    address: tl.iface.ipv4,
    onlyPorts: exposed,
    rule: "DB-6",
  });
  return true;
}

/** Paths between namespaces on different networks: V6-2, MV-4, plugin drivers; otherwise isolation. */
function crossPaths(index: TopologyIndex, s: Sandbox, t: Sandbox, out: PairPaths): void {
  const covered = new Set(out.paths.filter((p) => p.verdict === "reachable").map((p) => p.network));
  if (covered.size === 0) isolationReasons(s, t, out);
  const ip6tables = index.config.ip6tables;
  const tv6 = v6BridgeIfaces(t).filter((l) => !covered.has(l.iface.network));
  if (ip6tables !== true && v6BridgeIfaces(s).length && tv6.length) {
    const verdict = ip6tables === false ? "reachable" : "unknown";
    for (const l of tv6)
      out.paths.push({
        kind: "direct",
        verdict,
        network: l.iface.network,
        address: l.iface.ipv6,
        rule: "V6-2",
      });
    out.reasons.push(
      ip6tables === false
        ? net("V6-2", "ip6tables is off (default before 27.0): IPv6 bridge networks are not isolated")
        : net("V6-3", "the engine version is unknown, so whether ip6tables isolates IPv6 is unknown"),
    );
  } else if (ip6tables === true && v6BridgeIfaces(s).length && tv6.length) {
    out.reasons.push(net("V6-3", "ip6tables is on (27.0+): IPv6 gets the same isolation as IPv4"));
  }
  const shim = shimIfaces(index, t).filter((l) => !covered.has(l.iface.network));
  if (shim.length) {
    const route = forwardRoute(index, s, 4, false);
    out.reasons.push(net(route.verdict === "blocked" ? route.rule : "MV-4", route.text));
    if (route.verdict !== "blocked")
      for (const l of shim)
        out.paths.push({
          kind: "direct",
          verdict: route.verdict,
          network: l.iface.network,
          address: l.iface.ipv4,
          rule: "MV-4",
        });
  }
  pluginPath(s, t, out);
}

/** §5 plugin driver: with a plugin network on either side and nothing reachable, the plugin's policy decides. */
function pluginPath(s: Sandbox, t: Sandbox, out: PairPaths): void {
  const plugin = [...s.ifaces, ...t.ifaces].find((l) => !l.net || !l.net.knownDriver);
  if (plugin && !out.paths.some((p) => p.verdict === "reachable")) {
    const name = plugin.iface.network;
    out.paths.push({
      kind: "direct",
      verdict: "unknown",
      network: name,
      address: null,
      rule: "§5 plugin driver",
    });
    out.reasons.push(
      net("§5 plugin driver", `${name}'s driver is a plugin: cross-network reachability is unknown`),
    );
  }
}

function isolationReasons(s: Sandbox, t: Sandbox, out: PairPaths): void {
  const shared = new Set(s.ifaces.map(netKey));
  const seen = new Set<string>();
  for (const sl of s.ifaces)
    for (const tl of t.ifaces) {
      if (shared.has(netKey(tl)) || !sl.net || !tl.net) continue;
      const [rule, text] = isolationRule(sl, tl);
      if (seen.has(rule + text)) continue;
      seen.add(rule + text);
      out.reasons.push(net(rule, text));
    }
}

/** Why IPv4 from network A to an IP on network B is dropped (§1.2 "If A has no endpoint on B's network"). */
function isolationRule(sl: LiveIface, tl: LiveIface): [RuleId, string] {
  const a = sl.net!;
  const b = tl.net!;
  const pair = `${a.name} -> ${b.name}`;
  if (b.driver === "macvlan" || b.driver === "ipvlan") {
    if (a.driver === b.driver)
      return ["MV-6", `${pair}: separate ${b.driver} networks (parents) are isolated`];
    return ["MV-3", `${pair}: the host forwards it out the parent, and parent-child isolation drops it`];
  }
  if (a.driver === "macvlan" || a.driver === "ipvlan")
    return ["MV-3", `${pair}: a ${a.driver} child's default route is the LAN gateway, not the host`];
  if (isGwbridge(a))
    return ["OV-4", `${pair}: gwbridge traffic reaches other networks only via published ports`];
  if (isGwbridge(b)) return ["OV-3", `${pair}: gwbridge IPs are not reachable from other networks`];
  if (a.driver === "overlay" && b.driver === "overlay")
    return ["OV-5", `${pair}: different overlays do not route`];
  if (a.driver === "overlay")
    return ["OV-4", `${pair}: overlay containers reach bridges only via published ports`];
  if (a.internal || b.internal) return ["INT-2", `${pair}: an internal network forwards nothing in or out`];
  if (a.defaultBridge || b.defaultBridge) return ["DB-7", `${pair}: docker0 is isolated from other bridges`];
  if (b.driver === "overlay") return ["OV-4", `${pair}: bridge containers cannot reach overlay IPs`];
  return ["UB-8", `${pair}: user-defined bridges are isolated from each other`];
}

function publishedPaths(index: TopologyIndex, s: Sandbox, t: Sandbox, out: PairPaths, remote: boolean): void {
  const { bindings, reason } = programmedBindings(index, t);
  if (reason) out.reasons.push(reason);
  const service = serviceOf(index.swarm, index.containers[t.owner]);
  const hostMode = service?.ports.filter((p) => p.publishMode === "host") ?? [];
  if (service && hostMode.length)
    out.reasons.push({
      rule: "SW-9",
      text: `${service.name} publishes ${hostMode.map((p) => `${p.publishedPort ?? "(a port the engine picks)"}->${p.targetPort}/${p.protocol}`).join(", ")} in host mode: only on the node of each task, here ${machineOf(index, t)}`,
      layer: "ports",
    });
  if (!bindings.length) return;
  out.bindings = bindings;
  if (remote) {
    // SW-9, SW-10: a binding answers on its own machine only; from another one, at that machine's address.
    const to = machineOf(index, t);
    const route = remoteRoute(index, s, to);
    const address = machine(index, to).address;
    out.uses = bindings.map((b) => remoteBindingUse(b, route, address));
    out.reasons.push({ rule: "SW-10", text: route.text, layer: "ports" });
  } else {
    const hostNetns = s.mode === "host";
    const routes = hostNetns
      ? { 4: hostRoute(index, s), 6: hostRoute(index, s) }
      : { 4: publishRoute(index, s, 4), 6: publishRoute(index, s, 6) };
    out.uses = bindings.map((b) => bindingUse(b, routes, hostNetns));
  }
  bindings.forEach((b, i) => {
    const use = out.uses[i];
    if (use.verdict === "blocked") return;
    out.paths.push({
      kind: "published",
      verdict: use.verdict,
      network: null,
      address: use.address,
      port: b.hostPort,
      targetPort: b.port.privatePort,
      protocol: b.port.protocol,
      rule: use.rule,
    });
  });
}
