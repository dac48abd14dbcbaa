import { z } from "zod";
import { SCHEMA_VERSION } from "./topology.ts";
import type { Topology } from "./topology.ts";

const address = z.string().nullable();
const count = z.number().int().nonnegative().nullable();
const labels = z.record(z.string(), z.string());

const networkSchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  internal: z.boolean(),
  attachable: z.boolean(),
  ingress: z.boolean(),
  ipv6: z.boolean(),
  icc: z.boolean(),
  subnets: z.array(
    z.object({ subnet: z.string(), gateway: z.string().optional(), ipRange: z.string().optional() }),
  ),
  labels,
  options: labels,
  builtIn: z.boolean(),
  system: z.boolean(),
  defaultBridge: z.boolean(),
  knownDriver: z.boolean(),
  configOnly: z.boolean(),
  parent: z.string().optional(),
  compose: z.object({ project: z.string(), network: z.string() }).optional(),
  pseudoEndpoints: z.array(
    z.object({ key: z.string(), name: z.string(), ipv4: z.string().optional(), ipv6: z.string().optional() }),
  ),
  node: z.string().optional(),
  nodes: z.array(z.string()).optional(),
  views: z
    .array(
      z.object({
        node: z.string(),
        peers: z.array(z.object({ name: z.string(), ip: z.string() })),
        services: z.array(
          z.object({
            name: z.string(),
            vip: z.string(),
            backends: z.array(z.object({ name: z.string(), ip: z.string() })),
          }),
        ),
      }),
    )
    .optional(),
});

const interfaceSchema = z.object({
  network: z.string(),
  networkId: z.string(),
  ipv4: address,
  prefixLength: count,
  ipv6: address,
  ipv6PrefixLength: count,
  mac: address,
  gateway: address,
  ipv6Gateway: address,
  endpointId: address,
  aliases: z.array(z.string()).nullable(),
  dnsNames: z.array(z.string()).nullable(),
  links: z.array(z.string()),
  implicit: z.boolean().optional(),
});

const containerSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.enum(["created", "running", "paused", "restarting", "removing", "exited", "dead"]),
  status: z.string(),
  created: z.number(),
  startedAt: z.string().optional(),
  networkMode: z.string(),
  sharesNamespaceWith: z.object({ id: z.string(), name: z.string().nullable() }).optional(),
  compose: z
    .object({ project: z.string(), service: z.string(), number: z.number(), oneoff: z.boolean() })
    .optional(),
  swarm: z
    .object({
      service: z.string(),
      task: z.string(),
      serviceId: z.string().optional(),
      taskId: z.string().optional(),
      nodeId: z.string().optional(),
    })
    .optional(),
  node: z.string().optional(),
  engine: z.string().optional(),
  bareName: z.string().optional(),
  labels,
  ports: z.array(
    z.object({
      privatePort: z.number().int(),
      protocol: z.string(),
      publicPort: z.number().int().optional(),
      hostIp: z.string().optional(),
    }),
  ),
  interfaces: z.array(interfaceSchema),
  links: z.array(z.object({ target: z.string(), alias: z.string() })),
  hostname: z.string().nullable(),
  inspected: z.boolean(),
  error: z.string().optional(),
  predicted: z.boolean().optional(),
});

const engineInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  serverVersion: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  networkDrivers: z.array(z.string()),
  swarm: z.boolean(),
});

const engineEntrySchema = z.object({
  key: z.string(),
  url: z.string().nullable(),
  context: z.string().optional(),
  info: engineInfoSchema,
  swarmNode: z
    .object({ nodeId: z.string(), role: z.enum(["manager", "worker"]), clusterId: z.string().optional() })
    .optional(),
});

const swarmSchema = z.object({
  clusterId: z.string(),
  manager: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      role: z.enum(["manager", "worker"]),
      availability: z.string(),
      state: z.string(),
      addr: z.string(),
      leader: z.boolean(),
      engine: z.string().optional(),
    }),
  ),
  services: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      mode: z.string(),
      replicas: z.number().int().nullable(),
      endpointMode: z.enum(["vip", "dnsrr"]),
      virtualIps: z.array(z.object({ networkId: z.string(), addr: z.string() })),
      networks: z.array(z.object({ networkId: z.string(), aliases: z.array(z.string()) })),
      ports: z.array(
        z.object({
          protocol: z.string(),
          targetPort: z.number().int(),
          publishedPort: z.number().int().nullable(),
          publishMode: z.enum(["ingress", "host"]),
        }),
      ),
      labels,
    }),
  ),
  tasks: z.array(
    z.object({
      id: z.string(),
      serviceId: z.string(),
      slot: z.number().int().nullable(),
      nodeId: z.string(),
      desiredState: z.string(),
      state: z.string(),
      error: z.string().optional(),
      containerId: z.string().nullable(),
      image: z.string().optional(),
      since: z.string().optional(),
      attachments: z.array(z.object({ networkId: z.string(), addresses: z.array(z.string()) })),
    }),
  ),
});

const sourceSchema = z.object({
  kind: z.enum(["live", "example", "snapshot", "compose"]),
  label: z.string(),
  capturedAt: z.string(),
});

/** The Topology wire format as a zod schema, for files written by reachgraph (snapshots, compose output). */
export const topologySchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  source: sourceSchema,
  engine: engineInfoSchema,
  engines: z.array(engineEntrySchema),
  networks: z.array(networkSchema),
  containers: z.array(containerSchema),
  swarm: swarmSchema.optional(),
}) satisfies z.ZodType<Topology>;

/**
 * A schemaVersion 1 topology (one engine, before fleets): read and upgraded, so that old snapshots still open.
 * Its one engine becomes `engines[0]`, keyed by its name.
 */
export const topologyV1Schema = z
  .object({
    schemaVersion: z.literal(1),
    source: sourceSchema,
    engine: engineInfoSchema,
    networks: z.array(networkSchema),
    containers: z.array(containerSchema),
  })
  .transform((v1): Topology => ({
    ...v1,
    schemaVersion: SCHEMA_VERSION,
    engines:
      v1.source.kind === "compose" ? [] : [{ key: v1.engine.name || "engine", url: null, info: v1.engine }],
  }));
