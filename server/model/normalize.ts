import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiEndpointSettings,
  ApiNetwork,
  EngineState,
} from "./engine-api.ts";
import { redactLabels } from "./redact.ts";
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
import { SCHEMA_VERSION } from "./topology.ts";

/** Drivers built into the engine; any other driver is a plugin whose policy reachgraph cannot know (§5). */
export const BUILTIN_DRIVERS = new Set(["bridge", "host", "null", "overlay", "macvlan", "ipvlan"]);
const BUILTIN_NETWORKS = new Set(["bridge", "host", "none"]);
const GWBRIDGE = "docker_gwbridge";
const CONTAINER_STATES = new Set<ContainerState>([
  "created",
  "running",
  "paused",
  "restarting",
  "removing",
  "exited",
  "dead",
]);

/** Builds the normalised topology from what the engine returned. Pure: same input, same output. */
export function normalizeTopology(state: EngineState, source: TopologySource): Topology {
  const networks = state.networks
    .map((net) => normalizeNetwork(net, state.networkDetails.get(net.Id)))
    .sort(byName);
  const idByName = uniqueNetworkIdsByName(state.networks);
  const nameById = new Map(state.containers.map((c) => [c.Id, primaryName(c.Names)]));
  const gatewayInterfaces = implicitGatewayInterfaces(state.networks, state.networkDetails);
  const links = legacyLinks(state.containers);
  const containers = state.containers
    .map((summary) =>
      normalizeContainer(summary, state.containerDetails.get(summary.Id), {
        networks,
        idByName,
        nameById,
        gatewayInterface: gatewayInterfaces.get(summary.Id),
        links: links.get(nameById.get(summary.Id) ?? "") ?? [],
      }),
    )
    .sort(byName);
  return {
    schemaVersion: SCHEMA_VERSION,
    source,
    engine: engineInfo(state),
    networks,
    containers,
  };
}

function engineInfo({ info, version }: EngineState): EngineInfo {
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
  const labels = redactLabels(net.Labels);
  const builtIn = BUILTIN_NETWORKS.has(net.Name) && ["bridge", "host", "null"].includes(net.Driver);
  const project = labels["com.docker.compose.project"];
  const composeNetwork = labels["com.docker.compose.network"];
  return {
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
  };
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

function isContainerId(key: string): boolean {
  return /^[0-9a-f]{64}$/.test(key);
}

/** OV-2: gwbridge interfaces are only visible in the gwbridge's own inspect, keyed by container ID. */
function implicitGatewayInterfaces(
  networks: ApiNetwork[],
  details: ReadonlyMap<string, ApiNetwork>,
): Map<string, Interface> {
  const out = new Map<string, Interface>();
  const gw = networks.find((n) => n.Name === GWBRIDGE);
  const detail = gw && details.get(gw.Id);
  if (!gw || !detail) return out;
  const gateway = detail.IPAM?.Config?.find((c) => c.Gateway && !c.Gateway.includes(":"))?.Gateway ?? null;
  for (const [key, ep] of Object.entries(detail.Containers ?? {})) {
    if (!isContainerId(key)) continue;
    const [ipv4, prefix] = (ep.IPv4Address ?? "").split("/");
    const [ipv6, prefix6] = (ep.IPv6Address ?? "").split("/");
    out.set(key, {
      network: GWBRIDGE,
      networkId: gw.Id,
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

/** Network IDs by name, leaving out names that more than one network carries (§5 duplicate names). */
function uniqueNetworkIdsByName(networks: ApiNetwork[]): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const net of networks) {
    if (seen.has(net.Name)) out.delete(net.Name);
    else out.set(net.Name, net.Id);
    seen.add(net.Name);
  }
  return out;
}

/** DB-4: the container's own name is the entry of `Names` with exactly one slash. */
function primaryName(names: string[]): string {
  const own = names.find((n) => n.lastIndexOf("/") === 0) ?? names[0] ?? "";
  return own.replace(/^\//, "");
}

/** DB-4: a target's extra `/linker/alias` name is the linker's legacy link, not a name of the target. */
function legacyLinks(containers: ApiContainerSummary[]): Map<string, LegacyLink[]> {
  const out = new Map<string, LegacyLink[]>();
  for (const c of containers) {
    const target = primaryName(c.Names);
    for (const name of c.Names) {
      const parts = name.split("/");
      if (parts.length !== 3) continue;
      const [, linker, alias] = parts;
      const list = out.get(linker) ?? [];
      list.push({ target, alias });
      out.set(linker, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.alias.localeCompare(b.alias));
  return out;
}

interface ContainerContext {
  networks: Network[];
  idByName: Map<string, string>;
  nameById: Map<string, string>;
  gatewayInterface: Interface | undefined;
  links: LegacyLink[];
}

function normalizeContainer(
  summary: ApiContainerSummary,
  detail: ApiContainerInspect | undefined,
  ctx: ContainerContext,
): Container {
  const name = primaryName(summary.Names);
  const labels = redactLabels(summary.Labels);
  const networkMode = summary.HostConfig?.NetworkMode ?? "default";
  const state = CONTAINER_STATES.has(summary.State as ContainerState)
    ? (summary.State as ContainerState)
    : "dead";
  const interfaces = Object.entries(summary.NetworkSettings?.Networks ?? {})
    .map(([netName, ep]) =>
      normalizeInterface(netName, ep, detail?.NetworkSettings?.Networks?.[netName], {
        name,
        id: summary.Id,
        network: findNetwork(ctx, netName, ep.NetworkID),
        inspected: detail !== undefined,
        idByName: ctx.idByName,
      }),
    )
    .sort((a, b) => a.network.localeCompare(b.network));
  if (ctx.gatewayInterface) interfaces.push(ctx.gatewayInterface);
  const compose = composeOf(labels);
  const swarmService = labels["com.docker.swarm.service.name"];
  const error = detail?.State?.Error;
  return {
    id: summary.Id,
    name,
    image: summary.Image,
    state,
    status: summary.Status ?? "",
    created: summary.Created,
    networkMode,
    ...sharedNamespace(networkMode, ctx.nameById),
    ...(compose ? { compose } : {}),
    ...(swarmService
      ? { swarm: { service: swarmService, task: labels["com.docker.swarm.task.name"] ?? name } }
      : {}),
    labels,
    ports: normalizePorts(summary),
    interfaces,
    links: ctx.links,
    hostname: detail?.Config?.Hostname ?? null,
    inspected: detail !== undefined,
    ...(error ? { error } : {}),
  };
}

/** CN-1: `container:<id>` joins another container's namespace; the joiner has no endpoints of its own. */
function sharedNamespace(
  networkMode: string,
  nameById: Map<string, string>,
): Pick<Container, "sharesNamespaceWith"> {
  if (!networkMode.startsWith("container:")) return {};
  const ref = networkMode.slice("container:".length);
  const byId = [...nameById.keys()].find((id) => id === ref || (ref.length >= 12 && id.startsWith(ref)));
  if (byId) return { sharesNamespaceWith: { id: byId, name: nameById.get(byId) ?? null } };
  const byName = [...nameById.entries()].find(([, n]) => n === ref);
  if (byName) return { sharesNamespaceWith: { id: byName[0], name: byName[1] } };
  return { sharesNamespaceWith: { id: ref, name: null } };
}

function findNetwork(ctx: ContainerContext, name: string, id: string | undefined): Network | undefined {
  const wanted = id || ctx.idByName.get(name);
  return wanted ? ctx.networks.find((n) => n.id === wanted) : undefined;
}

interface InterfaceContext {
  name: string;
  id: string;
  network: Network | undefined;
  inspected: boolean;
  idByName: Map<string, string>;
}

function normalizeInterface(
  netName: string,
  ep: ApiEndpointSettings,
  detail: ApiEndpointSettings | undefined,
  ctx: InterfaceContext,
): Interface {
  const ipv4 = ep.IPAddress || null;
  const ipv6 = ep.GlobalIPv6Address || null;
  const aliases = detail ? (detail.Aliases ?? []) : null;
  return {
    network: netName,
    // §5: a never-started container has NetworkID "", resolved by name when the name is unique.
    networkId: ep.NetworkID || ctx.idByName.get(netName) || "",
    ipv4,
    prefixLength: ipv4 ? (ep.IPPrefixLen ?? null) : null,
    ipv6,
    ipv6PrefixLength: ipv6 ? (ep.GlobalIPv6PrefixLen ?? null) : null,
    mac: ep.MacAddress || null,
    gateway: ep.Gateway || null,
    ipv6Gateway: ep.IPv6Gateway || null,
    endpointId: ep.EndpointID || null,
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
function dnsNames(ctx: InterfaceContext, detail: ApiEndpointSettings | undefined, live: boolean): string[] | null {
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

function byName<T extends { name: string; id: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
