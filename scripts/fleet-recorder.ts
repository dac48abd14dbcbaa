/**
 * Records engines of the real swarm as one FleetRecording (scripts/record-fleet.ts for the test fixtures,
 * scripts/record-examples.ts for the bundled fleet example): each engine's lists and inspects, limited by the
 * engine's own filters to a scenario's objects, the verbose views of its swarm-scope networks, and the manager's
 * /nodes, /services and /tasks. Every edit to the engine's bytes is listed in the manifest.
 */
import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiNetwork,
  ApiNode,
  ApiService,
  ApiTask,
  EngineRecording,
} from "../server/model/engine-api.ts";
import { ownedContainers, ownedNetworks } from "../test/support/cleanup.ts";
import { API_VERSION } from "../test/support/engine.ts";
import type { FleetNode } from "../test/support/fleet.ts";
import type { FleetManifest } from "../test/support/recording.ts";
import { get, neededNetworks, withoutEnv, withoutForeignEndpoints, withoutSecrets } from "./record-shared.ts";

export const socketOf = (node: FleetNode) => node.url.replace(/^unix:\/\//, "");
export const byFilter = (filters: Record<string, string[]>) => encodeURIComponent(JSON.stringify(filters));

export interface Recorder {
  manifest: FleetManifest;
  /** The scenario's own swarm nodes, services and containers, and the foreign ones scrubbed from shared objects. */
  nodeIds: Set<string>;
}

async function getJson<T>(r: Recorder, key: string, node: FleetNode, path: string): Promise<T> {
  (r.manifest.requests[key] ??= {})[path.replace(/\?.*/, "")] = `GET ${decodeURIComponent(path)}`;
  return JSON.parse(await get(path, socketOf(node))) as T;
}

/** Keeps the verbose view's entries of this scenario: its nodes' peers and its services (by name prefix). */
function scrubVerbose(r: Recorder, key: string, net: ApiNetwork, addresses: Set<string>): ApiNetwork {
  const peers = net.Peers?.filter((p) => addresses.has(p.IP));
  if (peers && net.Peers && peers.length !== net.Peers.length) {
    r.manifest.edits.push(
      `${key}: verbose ${net.Name}: ${net.Peers.length - peers.length} other nodes' peers removed`,
    );
    net.Peers = peers;
  }
  if (net.Services) {
    const foreign = Object.keys(net.Services).filter(
      (name) => name !== "" && !name.startsWith(r.manifest.prefix),
    );
    for (const name of foreign) delete net.Services[name];
    if (foreign.length > 0)
      r.manifest.edits.push(`${key}: verbose ${net.Name}: ${foreign.length} other runs' services removed`);
    const tasks = net.Services[""]?.Tasks;
    if (tasks) {
      // The ingress sandbox of every node sits under "": keep those of this scenario's nodes.
      const kept = tasks.filter((t) => addresses.has(t.Info?.["Host IP"] ?? ""));
      if (kept.length !== tasks.length) {
        r.manifest.edits.push(
          `${key}: verbose ${net.Name}: ${tasks.length - kept.length} other nodes' endpoints removed`,
        );
        net.Services[""].Tasks = kept;
      }
    }
  }
  return net;
}

/** One engine's lists and inspects, limited (by the engine's own filters) to the scenario's objects. */
export async function recordEngine(
  r: Recorder,
  node: FleetNode,
  addresses: Set<string>,
  manager?: { serviceIds: string[] },
): Promise<EngineRecording> {
  const key = node.hostname;
  const prefix = r.manifest.prefix;
  const containerIds = new Set(await ownedContainers(prefix, node.url));
  const containers = await getJson<ApiContainerSummary[]>(
    r,
    key,
    node,
    `/${API_VERSION}/containers/json?all=1&filters=${byFilter({ id: [...containerIds] })}`,
  );
  const all = JSON.parse(await get(`/${API_VERSION}/networks`, socketOf(node))) as ApiNetwork[];
  const used = neededNetworks(all, await ownedNetworks(prefix, node.url), containers);
  const networks = await getJson<ApiNetwork[]>(
    r,
    key,
    node,
    `/${API_VERSION}/networks?filters=${byFilter({ id: [...used] })}`,
  );
  const containerInspects: Record<string, ApiContainerInspect> = {};
  for (const id of containerIds) {
    const path = `/${API_VERSION}/containers/${id}/json`;
    const inspect = JSON.parse(withoutEnv(await get(path, socketOf(node)))) as ApiContainerInspect;
    if (inspect.Config) inspect.Config.Labels = withoutSecrets(inspect.Config.Labels);
    containerInspects[id] = inspect;
  }
  for (const c of containers) c.Labels = withoutSecrets(c.Labels);
  const networkInspects: Record<string, ApiNetwork> = {};
  const verboseNetworkInspects: Record<string, ApiNetwork> = {};
  for (const n of networks) {
    const plain = withoutForeignEndpoints(
      await get(`/${API_VERSION}/networks/${n.Id}`, socketOf(node)),
      containerIds,
    );
    if (plain.scrubbed > 0)
      r.manifest.edits.push(`${key}: ${n.Name}: ${plain.scrubbed} other runs' endpoints removed`);
    networkInspects[n.Id] = JSON.parse(plain.body) as ApiNetwork;
    if (n.Scope !== "swarm") continue;
    const verbose = withoutForeignEndpoints(
      await get(`/${API_VERSION}/networks/${n.Id}?verbose=true`, socketOf(node)),
      containerIds,
    );
    verboseNetworkInspects[n.Id] = scrubVerbose(r, key, JSON.parse(verbose.body) as ApiNetwork, addresses);
  }
  const recording: EngineRecording = {
    recordedAt: new Date().toISOString(),
    info: await getJson(r, key, node, `/${API_VERSION}/info`),
    version: await getJson(r, key, node, `/${API_VERSION}/version`),
    containers,
    networks,
    containerInspects,
    networkInspects,
    events: [],
    verboseNetworkInspects,
  };
  if (manager) {
    recording.nodes = await getJson<ApiNode[]>(
      r,
      key,
      node,
      `/${API_VERSION}/nodes?filters=${byFilter({ id: [...r.nodeIds] })}`,
    );
    recording.services = await getJson<ApiService[]>(
      r,
      key,
      node,
      `/${API_VERSION}/services?filters=${byFilter({ id: manager.serviceIds })}`,
    );
    recording.tasks = await getJson<ApiTask[]>(
      r,
      key,
      node,
      `/${API_VERSION}/tasks?filters=${byFilter({ service: manager.serviceIds })}`,
    );
  }
  return recording;
}

export function newRecorder(scenario: string, prefix: string): Recorder {
  return {
    manifest: {
      scenario,
      recordedAt: "",
      prefix,
      containers: {},
      networks: {},
      services: {},
      requests: {},
      edits: [
        "container inspects: Config.Env removed and secret-looking labels dropped (they never leave the engine)",
        "lists: only this scenario's objects, asked of the engine with its own id filters",
      ],
    },
    nodeIds: new Set(),
  };
}

/**
 * Every given node's engine, keyed by hostname in the given order; the manager's with its /nodes, /services and
 * /tasks (of the given services). Peers and ingress endpoints of nodes not given are scrubbed.
 */
export async function recordNodeEngines(
  r: Recorder,
  nodes: FleetNode[],
  manager: FleetNode,
  services: { id: string }[],
): Promise<{ key: string; recording: EngineRecording }[]> {
  for (const n of nodes) r.nodeIds.add(n.nodeId);
  const addresses = new Set(nodes.map((n) => n.address));
  const serviceIds = services.map((s) => s.id);
  const engines = [];
  for (const node of nodes)
    engines.push({
      key: node.hostname,
      recording: await recordEngine(r, node, addresses, node === manager ? { serviceIds } : undefined),
    });
  return engines;
}
