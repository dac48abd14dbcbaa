import type { Container, Port, SwarmService, SwarmTask, Topology } from "../topology.ts";

/** The manager's services and tasks, looked up by ID (and services by name, for containers read before /tasks). */
export interface SwarmIndex {
  services: ReadonlyMap<string, SwarmService>;
  tasks: ReadonlyMap<string, SwarmTask>;
  /** Per service ID: the live tasks' count (SW-4: a dnsrr name answers with every one of them). */
  running: ReadonlyMap<string, number>;
  /** Per node hostname: its `Status.State` as the manager reports it (ready, down, unknown, disconnected). */
  nodeStates: ReadonlyMap<string, string>;
}

/** Indexes `topology.swarm`; empty maps without one. O(services + tasks). */
export function swarmIndexOf(topology: Topology): SwarmIndex {
  const services = new Map<string, SwarmService>();
  for (const s of topology.swarm?.services ?? []) services.set(s.name, s);
  for (const s of topology.swarm?.services ?? []) services.set(s.id, s);
  const tasks = new Map((topology.swarm?.tasks ?? []).map((t) => [t.id, t]));
  const running = new Map<string, number>();
  for (const t of tasks.values())
    if (t.state === "running") running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
  const nodeStates = new Map((topology.swarm?.nodes ?? []).map((n) => [n.hostname, n.state]));
  return { services, tasks, running, nodeStates };
}

/** The service of a task's container, when the manager's data is in the topology. */
export function serviceOf(swarm: SwarmIndex, c: Container): SwarmService | undefined {
  if (!c.swarm) return undefined;
  return (
    (c.swarm.serviceId ? swarm.services.get(c.swarm.serviceId) : undefined) ??
    swarm.services.get(c.swarm.service)
  );
}

/**
 * SW-12: a task's container that no connected engine reported; the merge placed it on its node from the
 * manager's `/tasks` (state, addresses), so nothing of it was inspected.
 */
export function managerOnly(c: Container): boolean {
  return c.engine === undefined && c.node !== undefined && c.swarm?.taskId !== undefined;
}

/**
 * SW-12: a task known only from the manager, on a node the manager does not report ready: its last state is
 * stale (the node may be dead), so nothing can be said of it.
 */
export function staleTask(swarm: SwarmIndex, c: Container): string | null {
  if (!managerOnly(c)) return null;
  const state = swarm.nodeStates.get(c.node as string) ?? "unknown";
  return state === "ready" ? null : state;
}

/** SW-3: the service's virtual IP on a network (without its prefix length), VIP mode only. */
export function vipOn(service: SwarmService, networkId: string): string | null {
  if (service.endpointMode !== "vip") return null;
  const vip = service.virtualIps.find((v) => v.networkId === networkId)?.addr;
  return vip ? vip.replace(/\/\d+$/, "") : null;
}

/** SW-6: the service's aliases on one network (`TaskTemplate.Networks[].Aliases`). */
export function aliasesOn(service: SwarmService, networkId: string): string[] {
  return service.networks.find((n) => n.networkId === networkId)?.aliases ?? [];
}

/** SW-8: the ports the routing mesh publishes for a service. */
export function ingressPorts(
  service: SwarmService,
): { protocol: string; targetPort: number; publishedPort: number }[] {
  return service.ports.flatMap((p) =>
    p.publishMode === "ingress" && p.publishedPort !== null
      ? [{ protocol: p.protocol, targetPort: p.targetPort, publishedPort: p.publishedPort }]
      : [],
  );
}

/**
 * SW-9, SW-12: the host-mode ports of a task known only from the manager, as the bindings its node's engine
 * programs for them (OV-8: every address of that node). A reported container's own `Ports` are the truth (PP-11).
 */
export function managerHostPorts(swarm: SwarmIndex, c: Container): Port[] {
  const service = managerOnly(c) ? serviceOf(swarm, c) : undefined;
  return (service?.ports ?? []).flatMap((p) =>
    p.publishMode === "host" && p.publishedPort !== null
      ? [{ privatePort: p.targetPort, protocol: p.protocol, publicPort: p.publishedPort, hostIp: "0.0.0.0" }]
      : [],
  );
}
