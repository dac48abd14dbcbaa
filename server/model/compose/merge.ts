/**
 * Merging compose files and `extends` the way compose-go's `override` package does: mappings merge key by
 * key, sequences append, a few paths have their own rule, and some sequences are then made unique by key.
 */

type Tree = Record<string, unknown>;
type Merger = (base: unknown, over: unknown, path: string[]) => unknown;

const isMapping = (v: unknown): v is Tree => v !== null && typeof v === "object" && !Array.isArray(v);

const SPECIALS: [string, Merger][] = [
  ["networks.*.ipam.config", mergeIpamConfig],
  ["networks.*.labels", toSequence],
  ["volumes.*.labels", toSequence],
  ["services.*.annotations", toSequence],
  ["services.*.build", mergeBuild],
  ["services.*.build.args", toSequence],
  ["services.*.build.labels", toSequence],
  ["services.*.command", replace],
  ["services.*.depends_on", mergeDependsOn],
  ["services.*.deploy.labels", toSequence],
  ["services.*.dns", toSequence],
  ["services.*.dns_opt", toSequence],
  ["services.*.dns_search", toSequence],
  ["services.*.entrypoint", replace],
  ["services.*.env_file", toSequence],
  ["services.*.environment", toSequence],
  ["services.*.extra_hosts", toSequence],
  ["services.*.healthcheck.test", replace],
  ["services.*.labels", toSequence],
  ["services.*.logging", mergeLogging],
  ["services.*.networks", mergeServiceNetworks],
  ["services.*.sysctls", toSequence],
  ["services.*.tmpfs", toSequence],
];

/** Sequences whose entries are unique by a key; a later entry replaces an earlier one in place. */
const UNIQUE: [string, (entry: unknown) => string][] = [
  ["services.*.environment", keyValueIndex],
  ["services.*.labels", keyValueIndex],
  ["services.*.links", keyValueIndex],
  ["services.*.profiles", keyValueIndex],
  ["services.*.dns", keyValueIndex],
  ["services.*.extra_hosts", keyValueIndex],
  ["services.*.networks.*.aliases", keyValueIndex],
  ["services.*.expose", (e) => String(e)],
  ["services.*.ports", portIndex],
  ["networks.*.labels", keyValueIndex],
];

function matches(path: string[], pattern: string): boolean {
  const parts = pattern.split(".");
  return parts.length === path.length && parts.every((p, i) => p === "*" || p === path[i]);
}

/** Merges `over` onto `base` (both already interpolated); neither argument is modified. */
export function mergeModels(base: Tree, over: Tree): Tree {
  return enforceUnicity(mergeValue(clone(base), clone(over), [])) as Tree;
}

/** `extends`: the extending service's own keys merge onto the resolved base service. */
export function extendService(base: Tree, service: Tree): Tree {
  const merged = mergeModels({ services: { s: base } }, { services: { s: service } });
  return (merged.services as Tree).s as Tree;
}

function clone(value: Tree): Tree {
  return structuredClone(value);
}

function mergeValue(base: unknown, over: unknown, path: string[]): unknown {
  const special = SPECIALS.find(([pattern]) => matches(path, pattern));
  if (special) return special[1](base, over, path);
  if (over === null || over === undefined) return base;
  if (isMapping(base) && isMapping(over)) return mergeMappings(base, over, path);
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...over];
  return over;
}

function mergeMappings(base: Tree, over: Tree, path: string[]): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // Extensions are replaced whole, like compose-go.
    if (!(key in out) || key.startsWith("x-")) out[key] = value;
    else out[key] = mergeValue(out[key], value, [...path, key]);
  }
  return out;
}

function replace(_base: unknown, over: unknown): unknown {
  return over;
}

/** Mapping or `k=v` list → one `k=v` list (sorted from mappings), base first. */
function toSequence(base: unknown, over: unknown): unknown {
  return [...asSequence(base), ...asSequence(over)];
}

function asSequence(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [value];
  if (isMapping(value))
    return Object.entries(value)
      .map(([k, v]) => (v === null || v === undefined ? k : `${k}=${String(v)}`))
      .sort();
  return [];
}

function asMapping(value: unknown, fill: () => unknown): Tree {
  if (isMapping(value)) return value;
  if (Array.isArray(value)) return Object.fromEntries(value.map((k) => [String(k), fill()]));
  return {};
}

function mergeServiceNetworks(base: unknown, over: unknown, path: string[]): unknown {
  return mergeMappings(
    asMapping(base, () => null),
    asMapping(over, () => null),
    path,
  );
}

function mergeDependsOn(base: unknown, over: unknown, path: string[]): unknown {
  const fill = () => ({ condition: "service_started", required: true });
  return mergeMappings(asMapping(base, fill), asMapping(over, fill), path);
}

function mergeBuild(base: unknown, over: unknown, path: string[]): unknown {
  const toBuild = (v: unknown): Tree => (typeof v === "string" ? { context: v } : isMapping(v) ? v : {});
  return mergeMappings(toBuild(base), toBuild(over), path);
}

function mergeLogging(base: unknown, over: unknown, path: string[]): unknown {
  if (!isMapping(base) || !isMapping(over)) return over ?? base;
  // Options merge only when both name the same driver (or one names none).
  if (!("driver" in base) || !("driver" in over) || base.driver === over.driver)
    return mergeMappings(base, over, path);
  return over;
}

/** Entries with the same subnet merge; new subnets are added. */
function mergeIpamConfig(base: unknown, over: unknown, path: string[]): unknown {
  const out: Tree[] = (Array.isArray(base) ? base : []).filter(isMapping).map((c) => ({ ...c }));
  for (const entry of (Array.isArray(over) ? over : []).filter(isMapping)) {
    const i = out.findIndex((c) => c.subnet === entry.subnet);
    if (i >= 0) out[i] = mergeMappings(out[i], entry, path);
    else out.push(entry);
  }
  return out;
}

function keyValueIndex(entry: unknown): string {
  const s = String(entry);
  const eq = s.indexOf("=");
  return eq < 0 ? s : s.slice(0, eq);
}

function portIndex(entry: unknown): string {
  if (isMapping(entry))
    return `${String(entry.host_ip ?? "0.0.0.0")}:${String(entry.published ?? "")}:${String(entry.target)}/${String(entry.protocol ?? "tcp")}`;
  return String(entry);
}

function enforceUnicity(value: unknown, path: string[] = []): unknown {
  if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) value[k] = enforceUnicity(v, [...path, k]);
    return value;
  }
  if (!Array.isArray(value)) return value;
  const rule = UNIQUE.find(([pattern]) => matches(path, pattern));
  if (!rule) return value;
  const out: unknown[] = [];
  const seen = new Map<string, number>();
  for (const entry of value) {
    const key = rule[1](entry);
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, out.length);
      out.push(entry);
    } else out[at] = entry;
  }
  return out;
}
