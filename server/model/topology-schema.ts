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
  swarm: z.object({ service: z.string(), task: z.string() }).optional(),
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

/** The Topology wire format as a zod schema, for files written by reachgraph (snapshots, compose output). */
export const topologySchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  source: z.object({
    kind: z.enum(["live", "example", "snapshot", "compose"]),
    label: z.string(),
    capturedAt: z.string(),
  }),
  engine: z.object({
    id: z.string(),
    name: z.string(),
    serverVersion: z.string(),
    apiVersion: z.string(),
    os: z.string(),
    networkDrivers: z.array(z.string()),
    swarm: z.boolean(),
  }),
  networks: z.array(networkSchema),
  containers: z.array(containerSchema),
}) satisfies z.ZodType<Topology>;
