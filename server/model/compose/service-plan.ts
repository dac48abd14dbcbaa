import type { Locate } from "./errors.ts";
import { ComposeError } from "./errors.ts";
import type { ServiceConfig, ServiceNetworkConfig } from "./schema.ts";

/** How a service's containers are wired, before any container exists. */
export type ServiceWiring =
  | { kind: "networks"; networks: { key: string; cfg: ServiceNetworkConfig }[] }
  | { kind: "mode"; mode: string }
  | { kind: "service"; service: string }
  | { kind: "container"; ref: string };

/** A service with what compose decides from it: wiring, replica count and container names. */
export interface ServicePlan {
  name: string;
  config: ServiceConfig;
  wiring: ServiceWiring;
  replicas: number;
  containerNames: string[];
}

export interface PlanContext {
  project: string;
  locate: Locate;
  /** Services removed by profiles, with their profiles, for messages that say how to enable them. */
  disabled: ReadonlyMap<string, readonly string[]>;
}

/** Plans every enabled service; throws a positioned {@link ComposeError} for what compose rejects. */
export function planServices(services: Record<string, ServiceConfig>, ctx: PlanContext): ServicePlan[] {
  const plans = Object.keys(services)
    .sort()
    .map((name) => planService(name, services[name], ctx));
  const byName = new Map(plans.map((p) => [p.name, p]));
  for (const plan of plans) {
    if (plan.wiring.kind !== "service") continue;
    const target = plan.wiring.service;
    const at = ctx.locate(["services", plan.name, "network_mode"]);
    const profiles = ctx.disabled.get(target);
    if (profiles)
      throw new ComposeError(
        `services.${plan.name}.network_mode: service:${target} refers to a service disabled by profiles (enable one of: ${profiles.join(", ")})`,
        at,
      );
    if (!byName.has(target))
      throw new ComposeError(
        `services.${plan.name}.network_mode: service:${target} refers to an undefined service`,
        at,
      );
    if (byName.get(target)?.replicas === 0)
      throw new ComposeError(
        `services.${plan.name}.network_mode: service:${target} has no containers (scale 0)`,
        at,
      );
  }
  return plans;
}

function planService(name: string, config: ServiceConfig, ctx: PlanContext): ServicePlan {
  const at = (...key: string[]) => ctx.locate(["services", name, ...key]);
  const wiring = wiringOf(name, config, at);
  const scale = config.scale;
  const replicas = config.deploy?.replicas;
  if (scale !== undefined && replicas !== undefined && scale !== replicas)
    throw new ComposeError(
      `services.${name}: can't set distinct values on 'scale' (${scale}) and 'deploy.replicas' (${replicas})`,
      at("scale"),
    );
  const count = replicas ?? scale ?? 1;
  if (count < 0) throw new ComposeError(`services.${name}.scale must not be negative`, at("scale"));
  if (config.container_name && count > 1)
    throw new ComposeError(
      `services.${name}: container_name ${JSON.stringify(config.container_name)} cannot be used with ${count} replicas; container names must be unique`,
      at("container_name"),
    );
  const containerNames = Array.from(
    { length: count },
    (_, i) => config.container_name ?? `${ctx.project}-${name}-${i + 1}`,
  );
  return { name, config, wiring, replicas: count, containerNames };
}

function wiringOf(
  name: string,
  config: ServiceConfig,
  at: (...key: string[]) => ReturnType<Locate>,
): ServiceWiring {
  const mode = config.network_mode;
  if (mode !== undefined) {
    if (config.networks && Object.keys(config.networks).length)
      throw new ComposeError(
        `services.${name} declares mutually exclusive network_mode and networks`,
        at("network_mode"),
      );
    if (mode.startsWith("service:")) return { kind: "service", service: mode.slice("service:".length) };
    if (mode.startsWith("container:")) return { kind: "container", ref: mode.slice("container:".length) };
    if (mode === "")
      throw new ComposeError(`services.${name}.network_mode must not be empty`, at("network_mode"));
    return { kind: "mode", mode };
  }
  const networks = config.networks ?? { default: null };
  // Compose orders a service's networks by priority (highest first), then by key; the first is primary.
  const ordered = Object.entries(networks)
    .map(([key, cfg]) => ({ key, cfg }))
    .sort((a, b) => (b.cfg?.priority ?? 0) - (a.cfg?.priority ?? 0) || byteOrder(a.key, b.key));
  return { kind: "networks", networks: ordered };
}

/** Go's string `<`: code-unit order, not locale order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
