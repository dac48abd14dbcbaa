import { apiVersionBelow } from "../api-version.ts";
import { quoteShell } from "../escape/shell.ts";
import { defaultGateway, isIpv4 } from "../compose/addresses.ts";
import { isUp } from "../reachability/topology-index.ts";
import type { RuleId } from "../reachability/types.ts";
import type { Container, Interface, Network, Port, Topology } from "../topology.ts";
import { findContainer, findNetwork, isOn, memberRules, refuseJoiner } from "./lookup.ts";
import type { ConnectWhatIf, DisconnectWhatIf, PublishWhatIf, WhatIfChange, WhatIfResult } from "./types.ts";
import { WhatIfError } from "./types.ts";

const replace = (t: Topology, c: Container): Topology => ({
  ...t,
  containers: t.containers.map((o) => (o.id === c.id ? c : o)),
});

const one = (topology: Topology, change: WhatIfChange): WhatIfResult => ({ topology, changes: [change] });

/** `docker network disconnect`: the container loses its endpoint (and OV-2's gwbridge with its last overlay). */
export function disconnectWhatIf(topology: Topology, w: DisconnectWhatIf): WhatIfResult {
  const c = findContainer(topology, w.container);
  const net = findNetwork(topology, w.network);
  refuseJoiner(c, "disconnect");
  if (net.driver === "host" || c.networkMode === "host")
    throw new WhatIfError(
      `cannot disconnect ${c.name} from ${net.name}: a host-mode container stays in it (H-1)`,
    );
  if (!c.interfaces.some((i) => isOn(i, net) && !i.implicit))
    throw new WhatIfError(`${c.name} is not connected to ${net.name}; it is on ${nets(c)}`);
  const remaining = c.interfaces.filter((i) => !isOn(i, net));
  const byId = new Map(topology.networks.map((n) => [n.id, n]));
  // OV-2: the docker_gwbridge endpoint exists only while the container is on a non-internal overlay.
  const overlay = remaining.some((i) => {
    const n = byId.get(i.networkId);
    return n?.driver === "overlay" && !n.internal && !n.ingress;
  });
  const interfaces = overlay ? remaining : remaining.filter((i) => !i.implicit);
  const left = interfaces.filter((i) => !i.implicit).length;
  return one(replace(topology, { ...c, interfaces }), {
    whatIf: w,
    text: `${c.name} disconnected from ${net.name}${left === 0 ? "; it is left with only lo" : ""}`,
    rules: left === 0 ? [...memberRules(net), "§1.1"] : memberRules(net),
    command: `docker network disconnect ${quoteShell(net.name)} ${quoteShell(c.name)}`,
    effective: true,
  });
}

/**
 * `docker network connect`: a new endpoint whose address the engine would pick, so it has none yet; the
 * container is marked `predicted` so the model takes address-less endpoints as live (as for compose).
 */
export function connectWhatIf(topology: Topology, w: ConnectWhatIf): WhatIfResult {
  const c = findContainer(topology, w.container);
  const net = findNetwork(topology, w.network);
  refuseJoiner(c, "connect");
  const aliases = w.aliases ?? [];
  if (c.networkMode === "host" || c.networkMode === "none")
    throw new WhatIfError(`cannot connect ${c.name}: it runs in ${c.networkMode} mode (H-1, NO-1)`);
  if (net.driver === "host" || net.driver === "null" || net.configOnly)
    throw new WhatIfError(
      `cannot connect ${c.name} to ${net.name}: expected a bridge, overlay or macvlan network`,
    );
  if (net.ingress)
    throw new WhatIfError(`cannot connect ${c.name} to ${net.name}: it is the routing mesh (OV-7)`);
  if (net.driver === "overlay" && !net.attachable)
    throw new WhatIfError(`cannot connect ${c.name} to overlay ${net.name}: it is not --attachable (OV-1)`);
  if (c.interfaces.some((i) => isOn(i, net)))
    throw new WhatIfError(`${c.name} is already connected to ${net.name}`);
  if (net.defaultBridge && aliases.length)
    throw new WhatIfError(
      `--alias ${aliases.join(", ")} on ${net.name}: aliases need a user-defined network (DB-5)`,
    );
  const iface = newInterface(topology, c, net, aliases);
  const interfaces = [...c.interfaces, iface].sort((a, b) => a.network.localeCompare(b.network));
  const rules = memberRules(net);
  return one(replace(topology, { ...c, interfaces, predicted: true }), {
    whatIf: w,
    text: `${c.name} connected to ${net.name} (its address is picked by the engine on connect)`,
    rules:
      net.defaultBridge || !iface.dnsNames?.length ? rules : [...new Set<RuleId>([...rules, "UB-2", "UB-3"])],
    command: `docker network connect ${aliases.map((a) => `--alias ${quoteShell(a)} `).join("")}${quoteShell(net.name)} ${quoteShell(c.name)}`,
    effective: true,
  });
}

/** UB-2: name, aliases, 12-hex short ID and an explicit hostname; DB-2: none on docker0; §5: none while down. */
function newInterface(topology: Topology, c: Container, net: Network, aliases: string[]): Interface {
  const shortId = c.id.slice(0, 12);
  const explicitHost = c.hostname && c.hostname !== shortId ? [c.hostname] : [];
  // API 1.45 (Docker 26) stopped listing the short ID among Aliases (§2.5); DNS still answers it.
  const legacyAliases = apiVersionBelow(topology.engine.apiVersion, "1.45");
  const dnsCapable = !net.defaultBridge;
  const engineAliases = dnsCapable ? [...aliases, ...(legacyAliases ? [shortId, ...explicitHost] : [])] : [];
  const v4 = net.subnets.find((s) => isIpv4(s.subnet.split("/")[0]));
  return {
    network: net.name,
    networkId: net.id,
    ipv4: null,
    prefixLength: null,
    ipv6: null,
    ipv6PrefixLength: null,
    mac: null,
    gateway: v4 ? (v4.gateway ?? defaultGateway(v4.subnet)) : null,
    ipv6Gateway: null,
    endpointId: null,
    aliases: engineAliases,
    dnsNames: dnsCapable && isUp(c) ? [...new Set([c.name, ...aliases, shortId, ...explicitHost])] : [],
    links: [],
  };
}

/**
 * `-p [hostIp:]hostPort:containerPort`: ports are fixed at create, so the container is recreated. The bindings
 * appear as the engine lists them: 0.0.0.0 and :: without a host IP (PP-1).
 */
export function publishWhatIf(topology: Topology, w: PublishWhatIf): WhatIfResult {
  const c = findContainer(topology, w.container);
  refuseJoiner(c, "publish a port on");
  const protocol = w.protocol ?? "tcp";
  for (const [what, port] of [
    ["container port", w.containerPort],
    ["host port", w.hostPort],
  ] as const)
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new WhatIfError(`${what} ${port} is not a port: expected an integer from 1 to 65535`);
  const hostIps = w.hostIp ? [w.hostIp] : ["0.0.0.0", "::"];
  const spec = `${w.hostIp ? `${w.hostIp.includes(":") ? `[${w.hostIp}]` : w.hostIp}:` : ""}${w.hostPort}:${w.containerPort}${protocol === "tcp" ? "" : `/${protocol}`}`;
  const command = `docker rm -f ${quoteShell(c.name)} && docker run -d --name ${quoteShell(c.name)} -p ${spec} … ${quoteShell(c.image)}`;
  if (c.networkMode === "host" || c.networkMode === "none")
    return one(topology, {
      whatIf: w,
      text: `-p ${spec} on ${c.name} has no effect in ${c.networkMode} mode`,
      rules: [c.networkMode === "host" ? "H-1" : "NO-1"],
      command,
      effective: false,
    });
  const clash = topology.containers.find(
    (o) =>
      o.id !== c.id &&
      o.ports.some(
        (p) =>
          p.publicPort === w.hostPort &&
          p.protocol === protocol &&
          hostIps.some((ip) => overlaps(ip, p.hostIp ?? "0.0.0.0")),
      ),
  );
  if (clash)
    throw new WhatIfError(`host port ${w.hostPort}/${protocol} is already allocated by ${clash.name}`);
  const added: Port[] = hostIps.map((hostIp) => ({
    privatePort: w.containerPort,
    protocol,
    publicPort: w.hostPort,
    hostIp,
  }));
  // PP-9: an exposed-only entry for the same port is replaced by the published ones.
  const ports = [
    ...c.ports.filter(
      (p) => p.publicPort !== undefined || p.privatePort !== w.containerPort || p.protocol !== protocol,
    ),
    ...added,
  ].sort(
    (a, b) =>
      a.privatePort - b.privatePort ||
      a.protocol.localeCompare(b.protocol) ||
      (a.hostIp ?? "").localeCompare(b.hostIp ?? ""),
  );
  const byId = new Map(topology.networks.map((n) => [n.id, n]));
  const own = c.interfaces.filter((i) => !i.implicit).map((i) => byId.get(i.networkId));
  const internalOnly = own.length > 0 && own.every((n) => n?.internal);
  const bind = !w.hostIp ? "PP-1" : /^127\.|^::1$/.test(w.hostIp) ? "PP-2" : "PP-3";
  return one(replace(topology, { ...c, ports }), {
    whatIf: w,
    text: internalOnly
      ? `${c.name} publishes ${spec}, but a container only on internal networks gets no published port`
      : `${c.name} publishes ${spec}`,
    rules: internalOnly ? ["INT-5", "PP-11"] : [bind, "PP-4"],
    command,
    effective: !internalOnly,
  });
}

function overlaps(a: string, b: string): boolean {
  const wild = (ip: string) => ip === "0.0.0.0" || ip === "::";
  return a === b || wild(a) || wild(b);
}

function nets(c: Container): string {
  const names = c.interfaces.filter((i) => !i.implicit).map((i) => i.network);
  return names.length ? names.join(", ") : "no network";
}
