import { z } from "zod";

/**
 * The parts of the compose specification that decide networking, validated with messages that name what
 * would be accepted. Everything else (build, volumes, healthcheck, deploy.resources, `x-*`…) passes through
 * unchecked: a file compose accepts must not be rejected here.
 */

/**
 * Picks the schema for a value by its shape (list, mapping, scalar) so that a mistake deep inside reports its
 * own path and message, not a vague "no union member matched".
 */
function byShape<T>(message: string, pick: (v: unknown) => z.ZodType<T> | undefined) {
  return z.unknown().transform((v, ctx): T => {
    const schema = pick(v);
    if (!schema) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
    return z.NEVER;
  });
}

const isList = (v: unknown): v is unknown[] => Array.isArray(v);
const isMapping = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number => typeof v === "string" || typeof v === "number";

/** Record errors: a wrong type gets `message`; a bad key keeps the key schema's own message. */
const recordError = (message: string) => (iss: { code?: string }) =>
  iss.code === "invalid_type" ? message : undefined;

const TRUE = new Set(["y", "yes", "true", "on"]);
const FALSE = new Set(["n", "no", "false", "off"]);

const str = z.string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") });
const strList = z.array(str, { error: "must be a list of strings" });

/** compose-go casts interpolated strings to booleans (`true`, `yes`, `on`, …). */
const boolish = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    const s = v.toLowerCase();
    return TRUE.has(s) ? true : FALSE.has(s) ? false : v;
  },
  z.boolean({ error: "must be a boolean (true or false)" }),
);

const intish = z.preprocess(
  (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
  z.number({ error: "must be a whole number" }).int({ error: "must be a whole number" }),
);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: "must be a string, number or boolean",
});

/** `labels` as a mapping or a `key=value` list; normalised to a mapping of strings. */
const labels = byShape<string[] | Record<string, string | number | boolean | null>>(
  "must be a mapping or a list of key=value strings",
  (v) => (isList(v) ? strList : isMapping(v) ? z.record(z.string(), scalar) : undefined),
).transform((v): Record<string, string> => {
  if (Array.isArray(v))
    return Object.fromEntries(
      v.map((e) => {
        const eq = e.indexOf("=");
        return eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
      }),
    );
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? "" : String(x)]));
});

const serviceNetwork = z
  .looseObject(
    {
      aliases: strList.optional(),
      ipv4_address: str.optional(),
      ipv6_address: str.optional(),
      priority: intish.optional(),
      mac_address: str.optional(),
    },
    { error: "must be a mapping (aliases, ipv4_address, ipv6_address, priority) or empty" },
  )
  .nullable();

export type ServiceNetworkConfig = z.output<typeof serviceNetwork>;

const serviceNetworks = byShape<string[] | Record<string, ServiceNetworkConfig>>(
  "must be a list of network names or a mapping of network names",
  (v) => (isList(v) ? strList : isMapping(v) ? z.record(z.string(), serviceNetwork) : undefined),
).transform((v): Record<string, ServiceNetworkConfig> =>
  Array.isArray(v) ? Object.fromEntries(v.map((n) => [n, null])) : v,
);

const longPort = z.looseObject({
  target: intish,
  published: z.union([z.string(), z.number()], { error: "must be a port number or range" }).optional(),
  host_ip: str.optional(),
  protocol: str.optional(),
  mode: str.optional(),
});

export type LongPort = z.output<typeof longPort>;

/** A port entry: the short-syntax string or number, or the long-syntax mapping. */
const portEntry = byShape<string | number | LongPort>(
  'must be a port string such as "8080:80" or a mapping with target',
  (v) => (isScalar(v) ? z.union([z.string(), z.number()]) : isMapping(v) ? longPort : undefined),
);

const extendsConfig = byShape<string | { service: string; file?: string | undefined }>(
  "must be a service name or a mapping with service (and file)",
  (v) =>
    typeof v === "string"
      ? str
      : isMapping(v)
        ? z.looseObject({ service: str, file: str.optional() })
        : undefined,
);

export const serviceSchema = z
  .looseObject(
    {
      image: str.optional(),
      container_name: str.optional(),
      hostname: str.optional(),
      network_mode: str.optional(),
      networks: serviceNetworks.optional(),
      links: strList.optional(),
      ports: z.array(portEntry, { error: "must be a list" }).optional(),
      expose: z
        .array(z.union([z.string(), z.number()], { error: "must be a port string or number" }), {
          error: "must be a list",
        })
        .optional(),
      scale: intish.optional(),
      deploy: z
        .looseObject({ replicas: intish.optional() }, { error: "must be a mapping" })
        .nullable()
        .optional(),
      profiles: strList.optional(),
      labels: labels.optional(),
      extends: extendsConfig.optional(),
      mac_address: str.optional(),
    },
    { error: "must be a mapping" },
  )
  .nullable();

export type ServiceConfig = NonNullable<z.output<typeof serviceSchema>>;

const ipamConfig = z.looseObject(
  { subnet: str.optional(), gateway: str.optional(), ip_range: str.optional() },
  { error: "must be a mapping (subnet, gateway, ip_range)" },
);

export const networkSchema = z
  .looseObject(
    {
      name: str.optional(),
      driver: str.optional(),
      driver_opts: z
        .record(z.string(), scalar, { error: recordError("must be a mapping of option names to values") })
        .transform((o) =>
          Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? "" : String(v)])),
        )
        .optional(),
      external: byShape<boolean | { name?: string | undefined }>(
        "must be a boolean or a mapping with name",
        (v) => (isMapping(v) ? z.looseObject({ name: str.optional() }) : boolish),
      ).optional(),
      internal: boolish.optional(),
      attachable: boolish.optional(),
      enable_ipv6: boolish.optional(),
      ipam: z
        .looseObject(
          {
            driver: str.optional(),
            config: z.array(ipamConfig, { error: "must be a list" }).optional(),
            options: z.record(z.string(), scalar).optional(),
          },
          { error: "must be a mapping (driver, config, options)" },
        )
        .optional(),
      labels: labels.optional(),
    },
    { error: "must be a mapping" },
  )
  .nullable();

export type NetworkConfig = NonNullable<z.output<typeof networkSchema>>;

const NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
const names = (what: string) =>
  z
    .string()
    .regex(NAME_PATTERN, { error: `${what} names may contain only letters, digits, ".", "_" and "-"` });

const pathOrPaths = byShape<string | string[]>("must be a path or a list of paths", (v) =>
  typeof v === "string" ? str : isList(v) ? strList : undefined,
);

export interface IncludeConfig {
  path: string | string[];
  project_directory?: string | undefined;
  env_file?: string | string[] | undefined;
}

const includeEntry = byShape<string | IncludeConfig>("must be a path or a mapping with path", (v) =>
  typeof v === "string"
    ? str
    : isMapping(v)
      ? z.looseObject({
          path: pathOrPaths,
          project_directory: str.optional(),
          env_file: pathOrPaths.optional(),
        })
      : undefined,
);

export const composeFileSchema = z.looseObject(
  {
    version: z.unknown().optional(),
    name: str.optional(),
    services: z
      .record(names("service"), serviceSchema, { error: recordError("must be a mapping of services") })
      .nullable()
      .optional(),
    networks: z
      .record(names("network"), networkSchema, { error: recordError("must be a mapping of networks") })
      .nullable()
      .optional(),
    include: z.array(includeEntry, { error: "must be a list" }).optional(),
  },
  { error: "must be a mapping (services, networks, …)" },
);

export type ComposeModel = z.output<typeof composeFileSchema>;
