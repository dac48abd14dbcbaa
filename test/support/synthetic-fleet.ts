import type {
  ApiContainerSummary,
  ApiNode,
  ApiService,
  ApiTask,
  FleetRecording,
} from "../../server/model/engine-api.ts";
import { loadApiSample } from "./recording.ts";
import { syntheticRecording } from "./synthetic.ts";

export interface SyntheticFleetOptions {
  /** Swarm nodes, each with its own engine; the first is the manager. */
  nodes: number;
  /** Tasks in all, spread evenly over the nodes: every container is a task's. */
  tasks: number;
}

const SWARM_LABELS = [
  "com.docker.swarm.node.id",
  "com.docker.swarm.service.id",
  "com.docker.swarm.service.name",
  "com.docker.swarm.task",
  "com.docker.swarm.task.id",
  "com.docker.swarm.task.name",
];

/**
 * A swarm of any size as the raw API JSON its engines send: each node's engine is a {@link syntheticRecording}
 * whose containers are made tasks' containers (the swarm labels of a recorded task container), and the
 * manager lists the nodes, services and tasks, each a copy of a recorded one (docs/api-samples: a worker's
 * `/nodes` entry, a service, a task) with only IDs, names, slots and container IDs changed. A compose service
 * becomes a swarm service whose replicas spread over the nodes. Tasks sit on their nodes' local networks.
 */
export function syntheticFleet({ nodes, tasks }: SyntheticFleetOptions): FleetRecording {
  const [nodeTemplate] = loadApiSample<ApiNode[]>("nodes-list-node2.json");
  const [serviceTemplate] = loadApiSample<ApiService[]>("services-list-label-sem.json");
  const [taskTemplate] = loadApiSample<ApiTask[]>("tasks-list-sem-svc.json");
  let counter = 0;
  // Swarm object IDs are 25 characters of base 36.
  const swarmId = () => (counter++).toString(36).padStart(8, "0").padEnd(25, "s");
  const clusterId = swarmId();
  const nodeIds = Array.from({ length: nodes }, swarmId);
  const hostnames = nodeIds.map((_, i) => `node${i + 1}`);
  const services = new Map<string, { service: ApiService; slots: number }>();
  const swarmTasks: ApiTask[] = [];
  const engines = hostnames.map((hostname, i) => {
    const per = Math.floor(tasks / nodes) + (i < tasks % nodes ? 1 : 0);
    const recording = syntheticRecording({
      containers: per,
      networks: Math.max(10, Math.round(per / 10)),
      seed: i + 1,
    });
    recording.info = {
      ...recording.info,
      // The recorded engine ID on every node, as on engines sharing a machine's key file: told apart by node.
      Name: hostname,
      Swarm: {
        ...recording.info.Swarm,
        LocalNodeState: "active",
        NodeID: nodeIds[i],
        ControlAvailable: i === 0,
        Cluster: { ID: clusterId },
      },
    };
    for (const c of recording.containers) {
      const labels = c.Labels ?? {};
      const name = `${labels["com.docker.compose.project"]}_${labels["com.docker.compose.service"]}`;
      const entry = services.get(name) ?? { service: serviceOf(serviceTemplate, swarmId(), name), slots: 0 };
      services.set(name, entry);
      const slot = ++entry.slots;
      const taskId = swarmId();
      const taskName = `${name}.${slot}.${taskId}`;
      retask(c, {
        "com.docker.swarm.node.id": nodeIds[i],
        "com.docker.swarm.service.id": entry.service.ID,
        "com.docker.swarm.service.name": name,
        "com.docker.swarm.task": "",
        "com.docker.swarm.task.id": taskId,
        "com.docker.swarm.task.name": taskName,
      });
      const inspect = recording.containerInspects[c.Id];
      inspect.Name = `/${taskName}`;
      inspect.Config = { ...inspect.Config, Labels: c.Labels };
      swarmTasks.push(taskOf(taskTemplate, taskId, entry.service.ID, slot, nodeIds[i], c.Id));
    }
    return { key: hostname, recording };
  });
  const manager = engines[0].recording;
  manager.nodes = hostnames.map((hostname, i) => ({
    ...structuredClone(nodeTemplate),
    ID: nodeIds[i],
    Spec: { ...nodeTemplate.Spec, Role: i === 0 ? "manager" : "worker", Availability: "active" },
    Description: { ...nodeTemplate.Description, Hostname: hostname },
    Status: { ...nodeTemplate.Status, State: "ready", Addr: `10.232.1.${i + 1}` },
    ...(i === 0
      ? { ManagerStatus: { Leader: true, Reachability: "reachable", Addr: "10.232.1.1:2377" } }
      : {}),
  }));
  manager.services = [...services.values()].map(({ service, slots }) => {
    service.Spec = { ...service.Spec, Mode: { Replicated: { Replicas: slots } } };
    return service;
  });
  manager.tasks = swarmTasks;
  return { recordedAt: manager.recordedAt, engines };
}

/** A compose container made a task's: the compose labels give way to the swarm's, named as Docker names it. */
function retask(c: ApiContainerSummary, swarm: Record<string, string>): void {
  const labels = Object.fromEntries(
    Object.entries(c.Labels ?? {}).filter(
      ([k]) => !k.startsWith("com.docker.compose.") && !SWARM_LABELS.includes(k),
    ),
  );
  c.Labels = { ...labels, ...swarm };
  c.Names = [`/${swarm["com.docker.swarm.task.name"]}`];
}

function serviceOf(template: ApiService, id: string, name: string): ApiService {
  const service = structuredClone(template);
  const spec = service.Spec ?? {};
  return {
    ...service,
    ID: id,
    Spec: { ...spec, Name: name, TaskTemplate: { ...spec.TaskTemplate, Networks: [] } },
    Endpoint: { ...service.Endpoint, VirtualIPs: [] },
  };
}

function taskOf(
  template: ApiTask,
  id: string,
  serviceId: string,
  slot: number,
  nodeId: string,
  containerId: string,
): ApiTask {
  const task = structuredClone(template);
  return {
    ...task,
    ID: id,
    ServiceID: serviceId,
    Slot: slot,
    NodeID: nodeId,
    DesiredState: "running",
    Status: {
      ...task.Status,
      State: "running",
      ContainerStatus: { ...task.Status?.ContainerStatus, ContainerID: containerId },
    },
    NetworksAttachments: [],
  };
}
