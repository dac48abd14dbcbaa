import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiEndpointSettings,
  ApiInfo,
  ApiNetwork,
  ApiVersion,
  EngineState,
} from "./engine-api.ts";
import { EngineMirror } from "./engine-mirror.ts";
import { CONTAINER_STATES } from "./topology.ts";
import { redactContainer, redactNetwork } from "./redact.ts";
import type {
  Compose,
  Container,
  ContainerState,
  EngineInfo,
  Interface,
  LegacyLink,
  Network,
  Port,
  PseudoEndpoint,
  Topology,
  TopologySource,
} from "./topology.ts";

/** Drivers built into the engine; any other driver is a plugin whose policy reachgraph cannot know (§5). */
export const BUILTIN_DRIVERS = new Set(["bridge", "host", "null", "overlay", "macvlan", "ipvlan"]);
const BUILTIN_NETWORKS = new Set(["bridge", "host", "none"]);
export const GWBRIDGE = "docker_gwbridge";
const LIVE_STATES = new Set<ContainerState>(["running", "paused", "restarting"]);
const KNOWN_STATES = new Set<ContainerState>(CONTAINER_STATES);

/** Builds the normalised topology from what the engine returned. Pure: same input, same output. */
export function normalizeTopology(state: EngineState, source: TopologySource): Topology {
  return new EngineMirror(state).topology(source);
}

/** Lookups a container's normalisation needs from the rest of the engine. */
export interface NormalizeContext {
  /** The network an endpoint belongs to, by ID or, when the ID is "" (§5), by unique name. */
  network(name: string, id: string | undefined): Network | undefined;
  /** A unique network ID for `name`, absent when no network or several carry it (§5 duplicate names). */
  networkIdByName(name: string): string | undefined;
  /** CN-1: resolves a `container:` reference (full ID, ID prefix or name). */
  container(ref: string): { id: string; name: string } | undefined;
  /** DB-4: legacy links the container named `name` holds. */
  linksOf(name: string): LegacyLink[];
  /** OV-2: the container's docker_gwbridge interface, if any. */
  gatewayInterface(id: string): Interface | undefined;
}

/** Engine and daemon facts from `/info` and `/version`. */
export function engineInfo(info: ApiInfo, version: ApiVersion): EngineInfo {
  return {
    id: info.ID ?? "",
    name: info.Name ?? "",
    serverVersion: version.Version ?? info.ServerVersion ?? "",
    apiVersion: version.ApiVersion ?? "",
    os: info.OperatingSystem ?? version.Os ?? "",
    networkDrivers: [...(info.Plugins?.Network ?? [])],
    swarm: info.Swarm?.LocalNodeState === "active",
  };
}

/** Normalises one network; `detail` (a network inspect) supplies pseudo-endpoints for overlays. */
export function normalizeNetwork(net: ApiNetwork, detail?: ApiNetwork): Network {
  const options = { ...(net.Options ?? {}) };
  const labels = { ...(net.Labels ?? {}) };
  const builtIn = BUILTIN_NETWORKS.has(net.Name) && ["bridge", "host", "null"].includes(net.Driver);
  const project = labels["com.docker.compose.project"];
  const composeNetwork = labels["com.docker.compose.network"];
  return redactNetwork({
    id: net.Id,
    name: net.Name,
    driver: net.Driver,
    scope: net.Scope,
    internal: net.Internal === true,
    attachable: net.Attachable === true,
    ingress: net.Ingress === true,
    ipv6: net.EnableIPv6 === true,
    // ICC-1: absent means icc on.
    icc: options["com.docker.network.bridge.enable_icc"] !== "false",
    subnets: (net.IPAM?.Config ?? [])
      .filter((c) => c.Subnet)
      .map((c) => ({
        subnet: c.Subnet as string,
        ...(c.Gateway ? { gateway: c.Gateway } : {}),
        ...(c.IPRange ? { ipRange: c.IPRange } : {}),
      })),
    labels,
    options,
    builtIn,
    system: builtIn || net.Ingress === true || net.Name === GWBRIDGE,
    defaultBridge: options["com.docker.network.bridge.default_bridge"] === "true",
    knownDriver: BUILTIN_DRIVERS.has(net.Driver),
    configOnly: net.ConfigOnly === true,
    ...(options.parent ? { parent: options.parent } : {}),
    ...(project && composeNetwork ? { compose: { project, network: composeNetwork } } : {}),
    pseudoEndpoints: pseudoEndpoints(detail),
  });
}

/** OV-9: `lb-<net>` and `ingress-sbox` entries (and gwbridge's `gateway_ingress-sbox`) are not containers. */
function pseudoEndpoints(detail: ApiNetwork | undefined): PseudoEndpoint[] {
  return Object.entries(detail?.Containers ?? {})
    .filter(([key]) => !isContainerId(key))
    .map(([key, ep]) => ({
      key,
      name: ep.Name,
      ...addressField("ipv4", ep.IPv4Address),
      ...addressField("ipv6", ep.IPv6Address),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function addressField(field: "ipv4" | "ipv6", cidr: string | undefined): Record<string, string> {
  const address = cidr ? cidr.split("/")[0] : "";
  return address ? { [field]: address } : {};
}

export function isContainerId(key: string): boolean {
  return /^[0-9a-f]{64}$/.test(key);
}

/** OV-2: gwbridge interfaces are only visible in the gwbridge's own inspect, keyed by container ID. */
export function gatewayInterfaces(gwbridge: ApiNetwork): Map<string, Interface> {
  const out = new Map<string, Interface>();
  const gateway = gwbridge.IPAM?.Config?.find((c) => c.Gateway && !c.Gateway.includes(":"))?.Gateway ?? null;
  for (const [key, ep] of Object.entries(gwbridge.Containers ?? {})) {
    if (!isContainerId(key)) continue;
    const [ipv4, prefix] = (ep.IPv4Address ?? "").split("/");
    const [ipv6, prefix6] = (ep.IPv6Address ?? "").split("/");
    out.set(key, {
      network: gwbridge.Name,
      networkId: gwbridge.Id,
      ipv4: ipv4 || null,
      prefixLength: prefix ? Number(prefix) : null,
      ipv6: ipv6 || null,
      ipv6PrefixLength: prefix6 ? Number(prefix6) : null,
      mac: ep.MacAddress || null,
      gateway,
      ipv6Gateway: null,
      endpointId: ep.EndpointID || null,
      aliases: [],
      // OV-3: gwbridge is no container-to-container medium and has no DNS.
      dnsNames: [],
      links: [],
      implicit: true,
    });
  }
  return out;
}

/** DB-4: the container's own name is the entry of `Names` with exactly one slash. */
export function primaryName(names: string[]): string {
  const own = names.find((n) => n.lastIndexOf("/") === 0) ?? names[0] ?? "";
  return own.replace(/^\//, "");
}

/** DB-4: a target's extra `/linker/alias` names are its linkers' legacy links, not names of the target. */
export function linksToTarget(summary: ApiContainerSummary): { linker: string; link: LegacyLink }[] {
  const target = primaryName(summary.Names);
  return summary.Names.map((name) => name.split("/"))
    .filter((parts) => parts.length === 3)
    .map(([, linker, alias]) => ({ linker, link: { target, alias } }));
}

/** Normalises one container from its list entry and, when it was inspected, its inspect. */
export function normalizeContainer(
  summary: ApiContainerSummary,
  detail: ApiContainerInspect | undefined,
  ctx: NormalizeContext,
): Container {
  const name = primaryName(summary.Names);
  const labels = { ...(summary.Labels ?? {}) };
  const networkMode = summary.HostConfig?.NetworkMode ?? "default";
  const state = KNOWN_STATES.has(summary.State as ContainerState)
    ? (summary.State as ContainerState)
    : "dead";
  const interfaces = Object.entries(summary.NetworkSettings?.Networks ?? {})
    .map(([netName, ep]) =>
      normalizeInterface(netName, ep, detail?.NetworkSettings?.Networks?.[netName], {
        name,
        id: summary.Id,
        network: ctx.network(netName, ep.NetworkID),
        inspected: detail !== undefined,
        live: LIVE_STATES.has(state),
        networkId: ep.NetworkID || ctx.networkIdByName(netName) || "",
      }),
    )
    .sort((a, b) => a.network.localeCompare(b.network));
  const gateway = ctx.gatewayInterface(summary.Id);
  if (gateway) interfaces.push(gateway);
  const compose = composeOf(labels);
  const swarmService = labels["com.docker.swarm.service.name"];
  const error = detail?.State?.Error;
  const startedAt = LIVE_STATES.has(state) ? liveSince(detail?.State?.StartedAt) : undefined;
  return redactContainer({
    id: summary.Id,
    name,
    image: summary.Image,
    state,
    status: summary.Status ?? "",
    created: summary.Created,
    ...(startedAt ? { startedAt } : {}),
    networkMode,
    ...sharedNamespace(networkMode, ctx),
    ...(compose ? { compose } : {}),
    ...(swarmService ? { swarm: swarmOf(labels, swarmService, name) } : {}),
    labels,
    ports: normalizePorts(summary),
    interfaces,
    links: ctx.linksOf(name),
    hostname: detail?.Config?.Hostname ?? null,
    inspected: detail !== undefined,
    ...(error ? { error } : {}),
  });
}

/** A task's container: the swarm labels name its service, task and node (merged with the manager's /tasks). */
function swarmOf(
  labels: Record<string, string>,
  service: string,
  name: string,
): NonNullable<Container["swarm"]> {
  const ids = {
    serviceId: labels["com.docker.swarm.service.id"],
    taskId: labels["com.docker.swarm.task.id"],
    nodeId: labels["com.docker.swarm.node.id"],
  };
  return {
    service,
    task: labels["com.docker.swarm.task.name"] ?? name,
    ...Object.fromEntries(Object.entries(ids).filter(([, v]) => v)),
  };
}

/** A usable `State.StartedAt`: the engine writes the zero time `0001-01-01T00:00:00Z` for never-started ones. */
function liveSince(startedAt: string | undefined): string | undefined {
  return startedAt && !startedAt.startsWith("0001-") ? startedAt : undefined;
}

/** CN-1: `container:<id>` joins another container's namespace; the joiner has no endpoints of its own. */
function sharedNamespace(networkMode: string, ctx: NormalizeContext): Pick<Container, "sharesNamespaceWith"> {
  if (!networkMode.startsWith("container:")) return {};
  const ref = networkMode.slice("container:".length);
  const provider = ctx.container(ref);
  return {
    sharesNamespaceWith: provider ? { id: provider.id, name: provider.name } : { id: ref, name: null },
  };
}

interface InterfaceContext {
  name: string;
  id: string;
  network: Network | undefined;
  inspected: boolean;
  /** §1.1: an endpoint exists only while the sandbox does; a failed start can leave a stale IP (IV-1). */
  live: boolean;
  networkId: string;
}

function normalizeInterface(
  netName: string,
  ep: ApiEndpointSettings,
  detail: ApiEndpointSettings | undefined,
  ctx: InterfaceContext,
): Interface {
  const endpoint = ctx.live ? ep : {};
  const ipv4 = endpoint.IPAddress || null;
  const ipv6 = endpoint.GlobalIPv6Address || null;
  const aliases = detail ? (detail.Aliases ?? []) : null;
  return {
    network: netName,
    // §5: a never-started container has NetworkID "", resolved by name when the name is unique.
    networkId: ctx.networkId,
    ipv4,
    prefixLength: ipv4 ? (endpoint.IPPrefixLen ?? null) : null,
    ipv6,
    ipv6PrefixLength: ipv6 ? (endpoint.GlobalIPv6PrefixLen ?? null) : null,
    mac: endpoint.MacAddress || null,
    gateway: endpoint.Gateway || null,
    ipv6Gateway: endpoint.IPv6Gateway || null,
    endpointId: endpoint.EndpointID || null,
    aliases,
    dnsNames: dnsNames(ctx, detail, ipv4 !== null || ipv6 !== null),
    links: detail?.Links ?? [],
  };
}

/**
 * UB-2: the names the embedded DNS answers for this endpoint. DB-2: none on the default bridge, host and none.
 * §5: a container without a live endpoint is removed from DNS. API >= 1.44 reports DNSNames; 1.41 aliases
 * already hold the short ID and an explicit hostname, so name + aliases is the same set there.
 */
function dnsNames(
  ctx: InterfaceContext,
  detail: ApiEndpointSettings | undefined,
  live: boolean,
): string[] | null {
  const net = ctx.network;
  if (net && (net.defaultBridge || net.driver === "host" || net.driver === "null")) return [];
  if (!live) return [];
  if (!detail) return null;
  const names = detail.DNSNames ?? [ctx.name, ...(detail.Aliases ?? [])];
  return [...new Set(names)];
}

function normalizePorts(summary: ApiContainerSummary): Port[] {
  const seen = new Set<string>();
  const ports: Port[] = [];
  for (const p of summary.Ports ?? []) {
    const port: Port = {
      privatePort: p.PrivatePort,
      protocol: p.Type,
      ...(p.PublicPort ? { publicPort: p.PublicPort } : {}),
      ...(p.PublicPort && p.IP !== undefined ? { hostIp: p.IP } : {}),
    };
    const key = `${port.privatePort}/${port.protocol}/${port.hostIp ?? ""}/${port.publicPort ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ports.push(port);
  }
  return ports.sort(
    (a, b) =>
      a.privatePort - b.privatePort ||
      a.protocol.localeCompare(b.protocol) ||
      (a.hostIp ?? "").localeCompare(b.hostIp ?? ""),
  );
}

function composeOf(labels: Record<string, string>): Compose | undefined {
  const project = labels["com.docker.compose.project"];
  const service = labels["com.docker.compose.service"];
  if (!project || !service) return undefined;
  return {
    project,
    service,
    number: Number(labels["com.docker.compose.container-number"] ?? "1") || 1,
    oneoff: (labels["com.docker.compose.oneoff"] ?? "").toLowerCase() === "true",
  };
}
