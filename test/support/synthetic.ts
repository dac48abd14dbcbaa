import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiEndpointSettings,
  ApiNetwork,
  EngineRecording,
} from "../../server/model/engine-api.ts";
import { loadRecording } from "./recording.ts";

export interface SyntheticOptions {
  containers: number;
  networks: number;
  /** Seed for the deterministic pseudo-random choices. */
  seed?: number;
}

/**
 * A realistic engine of any size, as the raw API JSON a real engine sends: compose projects of 3–15 services
 * on their own networks (most containers on one or two), a few hub networks with hundreds of members. Every
 * object is a copy of a recorded one (a compose container and its network from `recorded/full`), with only
 * IDs, names, addresses and compose labels changed, so the shapes are exactly the engine's.
 */
export function syntheticRecording({ containers, networks, seed = 1 }: SyntheticOptions): EngineRecording {
  const { recording, manifest } = loadRecording("full");
  const random = mulberry32(seed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const templateContainer = recording.containers.find((c) => c.Id === manifest.containers.web1.id);
  const templateInspect = recording.containerInspects[manifest.containers.web1.id];
  const templateNetwork = recording.networks.find((n) => n.Id === manifest.networks.shopDefault.id);
  if (!templateContainer || !templateInspect || !templateNetwork)
    throw new Error("recorded/full lacks its compose web container");
  const system = recording.networks.filter((n) => ["bridge", "host", "none"].includes(n.Name));

  const hubCount = Math.max(1, Math.round(networks / 100));
  const nets: { net: ApiNetwork; next: number; base: number; prefix: number }[] = [];
  for (let i = 0; i < networks; i++) {
    const hub = i < hubCount;
    const base = hub ? (10 << 24) | ((100 + i) << 16) : (11 << 24) | (i << 8);
    const name = hub ? `hub-${i}` : `proj-${i}_default`;
    const net: ApiNetwork = {
      ...structuredClone(templateNetwork),
      Id: hex(64),
      Name: name,
      IPAM: { ...templateNetwork.IPAM, Config: [{ Subnet: `${ip(base)}/${hub ? 16 : 24}` }] },
      Labels: hub ? {} : { ...templateNetwork.Labels, "com.docker.compose.project": `proj-${i}` },
    };
    nets.push({ net, next: 2, base, prefix: hub ? 16 : 24 });
  }

  const list: ApiContainerSummary[] = [];
  const inspects: Record<string, ApiContainerInspect> = {};
  let project = hubCount;
  let service = 0;
  let servicesInProject = 3 + Math.floor(random() * 13);
  for (let i = 0; i < containers; i++) {
    if (service >= servicesInProject) {
      project = project + 1 >= networks ? hubCount : project + 1;
      service = 0;
      servicesInProject = 3 + Math.floor(random() * 13);
    }
    const own = nets[Math.min(project, nets.length - 1)];
    const projectName = own.net.Name.replace(/_default$/, "");
    const id = hex(64);
    const name = `${projectName}-svc${service}-1`;
    // Most containers sit on their project network; one in five also joins a hub.
    const joined = random() < 0.2 ? [own, nets[Math.floor(random() * hubCount)]] : [own];
    const endpoints: Record<string, ApiEndpointSettings> = {};
    const inspected: Record<string, ApiEndpointSettings> = {};
    for (const n of joined) {
      const address = ip(n.base + n.next++);
      const ep = {
        ...structuredClone(templateContainer.NetworkSettings?.Networks?.[templateNetwork.Name] ?? {}),
        NetworkID: n.net.Id,
        EndpointID: hex(64),
        Gateway: ip(n.base + 1),
        IPAddress: address,
        IPPrefixLen: n.prefix,
        MacAddress: `02:42:${address
          .split(".")
          .map((o) => Number(o).toString(16).padStart(2, "0"))
          .join(":")}`,
      };
      endpoints[n.net.Name] = ep;
      inspected[n.net.Name] = { ...ep, Aliases: [name, `svc${service}`, id.slice(0, 12)] };
    }
    const labels = {
      ...templateContainer.Labels,
      "com.docker.compose.project": projectName,
      "com.docker.compose.service": `svc${service}`,
    };
    list.push({
      ...structuredClone(templateContainer),
      Id: id,
      Names: [`/${name}`],
      Labels: labels,
      HostConfig: { NetworkMode: own.net.Name },
      NetworkSettings: { Networks: endpoints },
    });
    inspects[id] = {
      ...structuredClone(templateInspect),
      Id: id,
      Name: `/${name}`,
      Config: { ...templateInspect.Config, Hostname: id.slice(0, 12), Labels: labels },
      NetworkSettings: { ...templateInspect.NetworkSettings, Networks: inspected },
    };
    service++;
  }
  return {
    recordedAt: recording.recordedAt,
    info: recording.info,
    version: recording.version,
    containers: list,
    networks: [...system, ...nets.map((n) => n.net)],
    containerInspects: inspects,
    networkInspects: {},
    events: [],
  };
}

function ip(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
