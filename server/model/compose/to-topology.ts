import { redactContainer } from "../redact.ts";
import type { Container, Interface, LegacyLink, Network, Topology } from "../topology.ts";
import { SCHEMA_VERSION } from "../topology.ts";
import { defaultGateway, isIpv4, prefixFor } from "./addresses.ts";
import type { Locate } from "./errors.ts";
import { ComposeError } from "./errors.ts";
import { BUILTIN_NAMES, builtinNetworks, predictNetwork } from "./networks.ts";
import { containerPorts } from "./ports-topology.ts";
import type { NetworkConfig, ServiceConfig } from "./schema.ts";
import type { ServicePlan } from "./service-plan.ts";
import { byteOrder, planServices } from "./service-plan.ts";

/** A loaded project: files merged, interpolated, extended, included and filtered by profiles. */
export interface ResolvedProject {
  name: string;
  workingDir: string;
  /** Absolute paths of the files, in order (the `com.docker.compose.project.config_files` label). */
  configFiles: string[];
  services: Record<string, ServiceConfig>;
  /** Services disabled by profiles, with their profiles. */
  disabled: ReadonlyMap<string, readonly string[]>;
  networks: Record<string, NetworkConfig | null>;
}

export interface PredictOptions {
  /** `source.label`: the files as the user named them. */
  label: string;
  capturedAt: string;
  locate: Locate;
}

/** Synthetic container IDs: a prediction has no engine IDs (nor short IDs) until `up`. */
export function containerId(project: string, service: string, n: number): string {
  return `compose:${project}/${service}/${n}`;
}

/**
 * The topology `docker compose up` would create: the project's networks (only those a service uses, plus
 * bridge/host/none) and one running, `predicted` container per replica, with compose's names, labels and
 * aliases. Addresses are unknown (`ipv4: null`) unless static.
 */
export function predictTopology(project: ResolvedProject, opts: PredictOptions): Topology {
  const plans = planServices(project.services, {
    project: project.name,
    locate: opts.locate,
    disabled: project.disabled,
  });
  const networks = new Map<string, Network>(builtinNetworks().map((n) => [n.name, n]));
  const byKey = new Map<string, Network>();
  for (const plan of plans) {
    if (plan.wiring.kind !== "networks") continue;
    for (const { key } of plan.wiring.networks) {
      if (byKey.has(key)) continue;
      const cfg = project.networks[key];
      if (cfg === undefined && key !== "default")
        throw new ComposeError(
          `services.${plan.name}.networks: ${key} is not defined in the top-level networks`,
          opts.locate(["services", plan.name, "networks", key]),
        );
      const net = predictNetwork(project.name, key, cfg);
      const existing = networks.get(net.name);
      byKey.set(key, existing && BUILTIN_NAMES.has(net.name) ? existing : net);
      if (!existing) networks.set(net.name, net);
    }
  }
  // `network_mode: <network name>` attaches to a network outside the project, like an external one.
  for (const plan of plans) {
    const w = plan.wiring;
    if (w.kind !== "mode" || w.mode === "default" || networks.has(w.mode)) continue;
    networks.set(w.mode, predictNetwork(project.name, w.mode, { external: true }));
  }
  const containers = plans.flatMap((plan) =>
    plan.containerNames.map((name, i) => predictContainer(project, plan, name, i + 1, byKey, networks)),
  );
  resolveJoins(containers, plans, project.name);
  addLinks(containers, plans, project.name);
  return {
    schemaVersion: SCHEMA_VERSION,
    source: { kind: "compose", label: opts.label, capturedAt: opts.capturedAt },
    engine: {
      id: "",
      name: "compose prediction",
      serverVersion: "",
      apiVersion: "",
      os: "",
      networkDrivers: ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
      swarm: false,
    },
    engines: [],
    networks: [...networks.values()].sort((a, b) => byteOrder(a.name, b.name)),
    containers: containers.sort((a, b) => byteOrder(a.name, b.name)),
  };
}

function predictContainer(
  project: ResolvedProject,
  plan: ServicePlan,
  name: string,
  n: number,
  byKey: ReadonlyMap<string, Network>,
  networks: ReadonlyMap<string, Network>,
): Container {
  const cfg = plan.config;
  const labels = {
    ...(cfg.labels ?? {}),
    "com.docker.compose.project": project.name,
    "com.docker.compose.service": plan.name,
    "com.docker.compose.container-number": String(n),
    "com.docker.compose.oneoff": "False",
    "com.docker.compose.project.working_dir": project.workingDir,
    "com.docker.compose.project.config_files": project.configFiles.join(","),
  };
  const wiring = plan.wiring;
  let networkMode: string;
  let interfaces: Interface[] = [];
  if (wiring.kind === "networks") {
    networkMode = byKey.get(wiring.networks[0].key)?.name ?? wiring.networks[0].key;
    interfaces = wiring.networks.map(({ key, cfg: netCfg }) =>
      predictInterface(
        byKey.get(key) as Network,
        [name, plan.name, ...(netCfg?.aliases ?? [])],
        netCfg,
        cfg.hostname,
      ),
    );
  } else if (wiring.kind === "mode") {
    networkMode = wiring.mode;
    // H-1/NO-1/DB-1: host, none and bridge modes hold an endpoint on the built-in network of that name.
    const net = networks.get(wiring.mode === "default" ? "bridge" : wiring.mode) as Network;
    interfaces = [predictInterface(net, net.builtIn ? [] : [name, plan.name], null, cfg.hostname)];
  } else networkMode = `container:${wiring.kind === "container" ? wiring.ref : ""}`;
  return redactContainer({
    id: containerId(project.name, plan.name, n),
    name,
    image: cfg.image ?? `${project.name}-${plan.name}`,
    state: "running",
    status: "predicted by compose",
    created: 0,
    networkMode,
    compose: { project: project.name, service: plan.name, number: n, oneoff: false },
    labels,
    ports: containerPorts(
      cfg,
      interfaces,
      networks,
      wiring.kind === "networks" || interfaces[0]?.network === "bridge",
    ),
    interfaces: interfaces.sort((a, b) => byteOrder(a.network, b.network)),
    links: [],
    hostname: cfg.hostname ?? null,
    inspected: true,
    predicted: true,
  });
}

/** UB-2 and §4: aliases are the container name, the service name and `aliases:`; DB-2: none on docker0. */
function predictInterface(
  net: Network,
  aliases: string[],
  cfg: { ipv4_address?: string | undefined; ipv6_address?: string | undefined } | null,
  hostname: string | undefined,
): Interface {
  const noDns = net.defaultBridge || net.driver === "host" || net.driver === "null";
  const ownAliases = noDns ? [] : [...new Set(aliases)];
  const ipv4 = cfg?.ipv4_address ?? null;
  const v4Subnets = net.subnets.map((s) => s.subnet).filter((s) => !s.includes(":"));
  const subnet = v4Subnets.find((s) => ipv4 !== null && prefixFor(ipv4, [s]) !== null) ?? v4Subnets[0];
  const declared = net.subnets.find((s) => s.subnet === subnet)?.gateway;
  const v6 = net.subnets.find((s) => s.subnet.includes(":"));
  return {
    network: net.name,
    networkId: net.id,
    ipv4,
    prefixLength: ipv4 && isIpv4(ipv4) ? prefixFor(ipv4, v4Subnets) : null,
    ipv6: cfg?.ipv6_address ?? null,
    ipv6PrefixLength: cfg?.ipv6_address && v6 ? Number(v6.subnet.split("/")[1]) : null,
    mac: null,
    gateway: noDns && net.driver !== "bridge" ? null : (declared ?? (subnet ? defaultGateway(subnet) : null)),
    ipv6Gateway: v6?.gateway ?? null,
    endpointId: null,
    aliases: ownAliases,
    // The short ID is unknown before `up`; an explicit hostname also resolves (UB-2, 20.10).
    dnsNames: noDns ? [] : [...new Set([...ownAliases, ...(hostname ? [hostname] : [])])],
    links: [],
  };
}

/** CN-1: `service:x` joins x's first container; `container:name` joins a predicted container if it is one. */
function resolveJoins(containers: Container[], plans: ServicePlan[], project: string): void {
  const byName = new Map(containers.map((c) => [c.name, c]));
  const planOf = new Map(plans.map((p) => [p.name, p]));
  for (const c of containers) {
    const wiring = planOf.get(c.compose?.service ?? "")?.wiring;
    if (wiring?.kind === "service") {
      const target = planOf.get(wiring.service) as ServicePlan;
      const id = containerId(project, target.name, 1);
      c.networkMode = `container:${id}`;
      c.sharesNamespaceWith = { id, name: target.containerNames[0] };
    } else if (wiring?.kind === "container") {
      const provider = byName.get(wiring.ref);
      c.sharesNamespaceWith = provider
        ? { id: provider.id, name: provider.name }
        : { id: wiring.ref, name: null };
    }
  }
}

/**
 * `links: ["db:database"]`: on a user-defined network an alias only the linker resolves (UB-7), recorded as
 * `<target container>:<alias>` on each network the two share; on docker0 a legacy /etc/hosts link (DB-3).
 */
function addLinks(containers: Container[], plans: ServicePlan[], project: string): void {
  const byId = new Map(containers.map((c) => [c.id, c]));
  for (const plan of plans) {
    for (const link of plan.config.links ?? []) {
      const [service, alias = service] = link.split(":");
      const target = plans.find((p) => p.name === service);
      if (!target) continue;
      for (let n = 1; n <= plan.replicas; n++) {
        const linker = byId.get(containerId(project, plan.name, n)) as Container;
        for (let m = 1; m <= target.replicas; m++) {
          const t = byId.get(containerId(project, target.name, m)) as Container;
          for (const iface of linker.interfaces) {
            if (!t.interfaces.some((x) => x.networkId === iface.networkId)) continue;
            if (iface.network === "bridge") linker.links.push({ target: t.name, alias } satisfies LegacyLink);
            else if (iface.dnsNames?.length) iface.links.push(`${t.name}:${alias}`);
          }
        }
      }
    }
  }
}
