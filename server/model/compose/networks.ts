import { BUILTIN_DRIVERS } from "../normalize.ts";
import { redactNetwork } from "../redact.ts";
import type { Network } from "../topology.ts";
import type { NetworkConfig } from "./schema.ts";

/** Synthetic network IDs: by Docker name, so two predictions (or projects) sharing a network agree on it. */
export function networkId(name: string): string {
  return `compose-net:${name}`;
}

/** The three networks every engine has (H-1, NO-1, DB-1); their subnets are unknown to a prediction. */
export function builtinNetworks(): Network[] {
  const base = (name: string, driver: string): Network => ({
    id: networkId(name),
    name,
    driver,
    scope: "local",
    internal: false,
    attachable: false,
    ingress: false,
    ipv6: false,
    icc: true,
    subnets: [],
    labels: {},
    options: {},
    builtIn: true,
    system: true,
    defaultBridge: false,
    knownDriver: true,
    configOnly: false,
    pseudoEndpoints: [],
  });
  const bridge = base("bridge", "bridge");
  bridge.defaultBridge = true;
  bridge.options = {
    "com.docker.network.bridge.default_bridge": "true",
    "com.docker.network.bridge.enable_icc": "true",
    "com.docker.network.bridge.name": "docker0",
  };
  return [bridge, base("host", "host"), base("none", "null")];
}

export const BUILTIN_NAMES = new Set(["bridge", "host", "none"]);

/** The Docker name compose gives a network key: `name:` verbatim, else `<project>_<key>` (external: the key). */
export function dockerNetworkName(
  project: string,
  key: string,
  cfg: NetworkConfig | null | undefined,
): string {
  if (cfg?.name) return cfg.name;
  if (cfg && isExternal(cfg)) {
    const ext = cfg.external;
    if (typeof ext === "object" && ext?.name) return ext.name;
    return key;
  }
  return `${project}_${key}`;
}

export function isExternal(cfg: NetworkConfig | null | undefined): boolean {
  const ext = cfg?.external;
  return ext === true || (typeof ext === "object" && ext !== null);
}

/**
 * A network compose would create (or, for `external`, look up) for the project. External networks are not
 * in the files: they are predicted as plain bridges, the `docker network create` default.
 */
export function predictNetwork(project: string, key: string, cfg: NetworkConfig | null | undefined): Network {
  const name = dockerNetworkName(project, key, cfg);
  const external = isExternal(cfg);
  const driver = (!external && cfg?.driver) || "bridge";
  const options = external ? {} : { ...(cfg?.driver_opts ?? {}) };
  const labels = external
    ? {}
    : {
        ...(cfg?.labels ?? {}),
        "com.docker.compose.network": key,
        "com.docker.compose.project": project,
      };
  return redactNetwork({
    id: networkId(name),
    name,
    driver,
    scope: driver === "overlay" ? "swarm" : "local",
    internal: !external && cfg?.internal === true,
    attachable: !external && cfg?.attachable === true,
    ingress: false,
    ipv6: !external && cfg?.enable_ipv6 === true,
    // ICC-1: absent means icc on.
    icc: options["com.docker.network.bridge.enable_icc"] !== "false",
    subnets: external
      ? []
      : (cfg?.ipam?.config ?? [])
          .filter((c) => c.subnet)
          .map((c) => ({
            subnet: c.subnet as string,
            ...(c.gateway ? { gateway: c.gateway } : {}),
            ...(c.ip_range ? { ipRange: c.ip_range } : {}),
          })),
    labels,
    options,
    builtIn: false,
    system: false,
    defaultBridge: false,
    knownDriver: BUILTIN_DRIVERS.has(driver),
    configOnly: false,
    ...(options.parent ? { parent: options.parent } : {}),
    ...(external ? {} : { compose: { project, network: key } }),
    pseudoEndpoints: [],
  });
}
