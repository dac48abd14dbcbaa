import type { ApiNode, ApiPortConfig, ApiService, ApiTask } from "../engine-api.ts";
import { redactSwarm } from "../redact.ts";
import type { Swarm, SwarmNode, SwarmService, SwarmTask } from "../topology.ts";

/** What a manager's `/nodes`, `/services` and `/tasks` say, normalised; `manager` is its engine's map key. */
export function normalizeSwarm(
  manager: string,
  clusterId: string,
  nodes: ApiNode[],
  services: ApiService[],
  tasks: ApiTask[],
): Swarm {
  return redactSwarm({
    clusterId,
    manager,
    nodes: nodes
      .map(normalizeNode)
      .sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id)),
    services: services
      .map(normalizeService)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    tasks: tasks
      .map(normalizeTask)
      .sort(
        (a, b) =>
          a.serviceId.localeCompare(b.serviceId) || (a.slot ?? 0) - (b.slot ?? 0) || a.id.localeCompare(b.id),
      ),
  });
}

function normalizeNode(node: ApiNode): SwarmNode {
  return {
    id: node.ID,
    hostname: node.Description?.Hostname || node.Spec?.Name || node.ID,
    role: node.Spec?.Role === "manager" ? "manager" : "worker",
    availability: node.Spec?.Availability ?? "",
    state: node.Status?.State ?? "",
    addr: nodeAddr(node),
    leader: node.ManagerStatus?.Leader === true,
  };
}

/** A manager can report `Status.Addr` as 0.0.0.0; its `ManagerStatus.Addr` (host:2377) holds the real one. */
function nodeAddr(node: ApiNode): string {
  const addr = node.Status?.Addr ?? "";
  if (addr && addr !== "0.0.0.0") return addr;
  const manager = node.ManagerStatus?.Addr;
  return manager ? manager.replace(/:\d+$/, "") : addr;
}

function normalizeService(service: ApiService): SwarmService {
  const mode = service.Spec?.Mode ?? {};
  const ports = service.Endpoint?.Ports ?? service.Spec?.EndpointSpec?.Ports ?? [];
  return {
    id: service.ID,
    name: service.Spec?.Name ?? service.ID,
    mode: mode.Global
      ? "global"
      : mode.ReplicatedJob
        ? "replicated-job"
        : mode.GlobalJob
          ? "global-job"
          : "replicated",
    replicas: mode.Replicated?.Replicas ?? null,
    endpointMode: service.Spec?.EndpointSpec?.Mode === "dnsrr" ? "dnsrr" : "vip",
    virtualIps: (service.Endpoint?.VirtualIPs ?? [])
      .filter((v) => v.Addr)
      .map((v) => ({ networkId: v.NetworkID, addr: v.Addr as string })),
    networks: (service.Spec?.TaskTemplate?.Networks ?? []).map((n) => ({
      networkId: n.Target,
      aliases: [...(n.Aliases ?? [])],
    })),
    ports: ports.map(normalizePort),
    labels: { ...service.Spec?.Labels },
  };
}

function normalizePort(port: ApiPortConfig): SwarmService["ports"][number] {
  return {
    protocol: port.Protocol ?? "tcp",
    targetPort: port.TargetPort ?? 0,
    publishedPort: port.PublishedPort ?? null,
    publishMode: port.PublishMode === "host" ? "host" : "ingress",
  };
}

function normalizeTask(task: ApiTask): SwarmTask {
  const error = task.Status?.Err;
  return {
    id: task.ID,
    serviceId: task.ServiceID,
    slot: task.Slot ?? null,
    nodeId: task.NodeID ?? "",
    desiredState: task.DesiredState ?? "",
    state: task.Status?.State ?? "",
    ...(error ? { error } : {}),
    containerId: task.Status?.ContainerStatus?.ContainerID || null,
    ...(task.Spec?.ContainerSpec?.Image ? { image: task.Spec.ContainerSpec.Image } : {}),
    ...(task.Status?.Timestamp ? { since: task.Status.Timestamp } : {}),
    attachments: (task.NetworksAttachments ?? [])
      .filter((a) => a.Network?.ID)
      .map((a) => ({ networkId: a.Network?.ID as string, addresses: [...(a.Addresses ?? [])] })),
  };
}
