import type { Port } from "../topology.ts";
import type { Decision } from "./routes.ts";
import type { Sandbox, TopologyIndex } from "./topology-index.ts";
import { managerHostPorts } from "./swarm.ts";
import type { Path, PortAccess, Reason, RuleId } from "./types.ts";

/** A published binding of the target's namespace. */
export interface Binding {
  port: Port;
  hostIp: string;
  hostPort: number;
  family: 4 | 6;
  loopback: boolean;
}

/**
 * The bindings the engine really programmed for a namespace (PP-11: `Ports`, not `PortBindings`), with the
 * reason when it programmed none although some are listed.
 */
export function programmedBindings(
  index: TopologyIndex,
  sandbox: Sandbox,
): { bindings: Binding[]; reason?: Reason } {
  const owner = index.containers[sandbox.owner];
  const listed = owner.ports.filter((p) => p.publicPort !== undefined);
  if (!sandbox.up) return { bindings: [] };
  // SW-9, SW-12: no engine reported the task's container; its node publishes the service's host-mode ports.
  if (listed.length === 0) return { bindings: managerHostPorts(index.swarm, owner).map(toBinding) };
  if (sandbox.mode === "host")
    return { bindings: [], reason: { rule: "H-1", text: "-p is ignored in host mode", layer: "ports" } };
  const natted = sandbox.ifaces.some(
    (l) =>
      l.net &&
      l.net.knownDriver &&
      !l.net.internal &&
      (l.net.driver === "bridge" || l.net.driver === "overlay"),
  );
  if (!natted) {
    const internal = sandbox.ifaces.some((l) => l.net?.internal);
    return {
      bindings: [],
      reason: internal
        ? {
            rule: "INT-5",
            text: "ports on a container only on internal networks are not programmed",
            layer: "ports",
          }
        : { rule: "MV-5", text: "publishing does not apply to macvlan/ipvlan endpoints", layer: "ports" },
    };
  }
  return { bindings: listed.map(toBinding) };
}

function toBinding(port: Port): Binding {
  const hostIp = port.hostIp || "0.0.0.0";
  const family = hostIp.includes(":") ? 6 : 4;
  return {
    port,
    hostIp,
    hostPort: port.publicPort as number,
    family,
    loopback: hostIp.startsWith("127.") || hostIp === "::1",
  };
}

/** The address a source dials for a binding: the binding's own IP, or for a wildcard the source's route. */
export function bindingAddress(binding: Binding, route: Decision, hostNetns: boolean): string | null {
  if (binding.hostIp === "0.0.0.0") return hostNetns ? "127.0.0.1" : route.address;
  if (binding.hostIp === "::") return hostNetns ? "::1" : route.address;
  return binding.hostIp;
}

/** Whether a source can use a binding, and by which rule (PP-1..PP-4). */
export function bindingUse(
  binding: Binding,
  routes: { 4: Decision; 6: Decision },
  hostNetns: boolean,
): { usable: boolean; verdict: "reachable" | "unknown" | "blocked"; rule: RuleId; address: string | null } {
  const route = routes[binding.family];
  if (hostNetns)
    return {
      usable: true,
      verdict: "reachable",
      rule: binding.loopback ? "PP-2" : binding.hostIp.match(/^(0\.0\.0\.0|::)$/) ? "PP-1" : "PP-3",
      address: bindingAddress(binding, route, true),
    };
  if (binding.loopback) return { usable: false, verdict: "blocked", rule: "PP-2", address: null };
  const specific = !/^(0\.0\.0\.0|::)$/.test(binding.hostIp);
  const usable = route.verdict !== "blocked";
  return {
    usable,
    verdict: route.verdict,
    rule: usable ? (specific ? "PP-3" : route.rule) : route.rule,
    address: bindingAddress(binding, route, false),
  };
}

/**
 * SW-10: whether a source on another machine can use a binding, given its route there (`remoteRoute`) and the
 * address that machine is reached at. Loopback bindings stay on their host (PP-2); a specific address works
 * when it is the machine's own (PP-3), anything else is unknown (another address of that host may or may not
 * be routable from here).
 */
export function remoteBindingUse(
  binding: Binding,
  route: Decision,
  address: string | null,
): ReturnType<typeof bindingUse> {
  if (binding.loopback) return { usable: false, verdict: "blocked", rule: "PP-2", address: null };
  if (route.verdict === "blocked")
    return { usable: false, verdict: "blocked", rule: route.rule, address: null };
  if (remoteFit(binding, address)) return { usable: true, verdict: route.verdict, rule: "SW-10", address };
  const wildcard = /^(0\.0\.0\.0|::)$/.test(binding.hostIp);
  return {
    usable: true,
    verdict: "unknown",
    rule: wildcard ? "SW-10" : "PP-3",
    address: wildcard ? null : binding.hostIp,
  };
}

/** SW-10: a non-loopback binding that answers at the machine's known address (its family's wildcard, or it). */
export function remoteFit(binding: Binding, address: string | null): boolean {
  if (binding.loopback || address === null) return false;
  if (/^(0\.0\.0\.0|::)$/.test(binding.hostIp)) return (binding.family === 6) === address.includes(":");
  return binding.hostIp === address;
}

/** Per known port of the target: what the source can dial for it over the pair's paths and bindings. */
export function portAccess(
  index: TopologyIndex,
  target: Sandbox,
  paths: Path[],
  bindings: Binding[],
  uses: ReturnType<typeof bindingUse>[],
): PortAccess[] {
  const owner = index.containers[target.owner];
  const out = new Map<string, PortAccess>();
  const entry = (port: number, protocol: string): PortAccess => {
    const key = `${port}/${protocol}`;
    let access = out.get(key);
    if (!access) out.set(key, (access = { port, protocol, published: false, routes: [], unusable: [] }));
    return access;
  };
  for (const p of owner.ports) entry(p.privatePort, p.protocol);
  for (const b of bindings) entry(b.port.privatePort, b.port.protocol);
  // SW-8: the routing mesh publishes the service's port without a binding on the task's container.
  const mesh = paths.filter((p) => p.rule === "SW-8" && p.targetPort !== undefined && p.port !== undefined);
  for (const p of mesh) entry(p.targetPort as number, p.protocol ?? "tcp");
  for (const access of out.values()) {
    const key = `${access.port}/${access.protocol}`;
    for (const path of paths) {
      if (path.verdict !== "reachable" || path.kind === "published" || path.kind === "host") continue;
      if (path.onlyPorts && !path.onlyPorts.includes(key)) continue;
      access.routes.push({ kind: path.kind, address: path.address, port: access.port, rule: path.rule });
    }
  }
  bindings.forEach((b, i) => {
    const access = out.get(`${b.port.privatePort}/${b.port.protocol}`);
    if (!access) return;
    access.published = true;
    const use = uses[i];
    if (use.usable)
      access.routes.push({ kind: "published", address: use.address, port: b.hostPort, rule: use.rule });
    else access.unusable.push({ hostIp: b.hostIp, hostPort: b.hostPort, rule: use.rule });
  });
  for (const p of mesh) {
    const access = entry(p.targetPort as number, p.protocol ?? "tcp");
    access.published = true;
    access.routes.push({
      kind: "published",
      address: p.address,
      port: p.port as number,
      rule: "SW-8",
      caveat: "ipvs",
    });
  }
  return [...out.values()];
}
