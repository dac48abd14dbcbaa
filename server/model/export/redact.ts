/**
 * `--redact`: IPv4/IPv6 addresses, subnets and MAC addresses replaced by stable placeholders (`ip-3`,
 * `subnet-1`, `ip6-2`, `mac-4`), the same value always by the same placeholder within one export.
 */

/** Wildcard and loopback addresses identify nothing and carry meaning (PP-4: which host address a port binds). */
const KEEP = new Set(["0.0.0.0", "127.0.0.1", "::", "::1", "0.0.0.0/0", "::/0"]);

const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const MAC = String.raw`[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}`;
const IPV6 = String.raw`[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}`;
/** MACs before IPv6, since a MAC also looks like an IPv6 fragment. */
const TOKEN = new RegExp(
  [
    String.raw`(?<![\w.:])(${MAC})(?![\w:])`,
    // An IPv4 address may be followed by `:port`.
    String.raw`(?<![\w.])(${IPV4}(?:/\d{1,2})?)(?![\w/]|\.\d)`,
    String.raw`(?<![\w.:])(${IPV6}(?:/\d{1,3})?)(?![\w:/])`,
  ].join("|"),
  "g",
);

type Kind = "mac" | "ip" | "subnet" | "ip6" | "subnet6";

export interface Redactor {
  /** The text with every address replaced. */
  text(value: string): string;
  /** A deep copy of plain JSON data with every string (not keys) passed through `text`. */
  deep<T>(value: T): T;
}

/** A redactor that changes nothing, for exports without `--redact`. */
export const NO_REDACTION: Redactor = { text: (v) => v, deep: (v) => v };

/**
 * A redactor whose numbering is fixed by `seed` (usually the topology): every address found there is numbered
 * in sorted order, so the placeholders do not depend on which format is written or in which order.
 */
export function createRedactor(seed: unknown): Redactor {
  const found = new Map<string, Kind>();
  walkStrings(seed, (s) => {
    for (const m of s.matchAll(TOKEN)) {
      const kind = classify(m);
      if (kind) found.set(m[0], kind);
    }
  });
  const names = new Map<string, string>();
  const counters: Record<Kind, number> = { mac: 0, ip: 0, subnet: 0, ip6: 0, subnet6: 0 };
  const name = (value: string, kind: Kind): string => {
    let out = names.get(value);
    if (out === undefined) names.set(value, (out = `${kind}-${++counters[kind]}`));
    return out;
  };
  for (const [value, kind] of [...found].sort(([a], [b]) => compareAddresses(a, b))) name(value, kind);
  const text = (value: string): string =>
    value.replace(TOKEN, (...args) => {
      const m = args as unknown as RegExpMatchArray;
      const kind = classify(m);
      return kind ? name(m[0], kind) : m[0];
    });
  const deep = <T>(value: T): T => mapStrings(value, text) as T;
  return { text, deep };
}

function classify(m: RegExpMatchArray): Kind | null {
  const [whole, mac, v4, v6] = m;
  if (KEEP.has(whole)) return null;
  if (mac) return "mac";
  if (v4) {
    const [addr] = v4.split("/");
    if (addr.split(".").some((o) => Number(o) > 255)) return null;
    return v4.includes("/") ? "subnet" : "ip";
  }
  if (v6 && isIpv6(v6.split("/")[0])) return v6.includes("/") ? "subnet6" : "ip6";
  return null;
}

/** A real IPv6 address: either `::` compression or all eight groups, and at least one hex digit. */
function isIpv6(s: string): boolean {
  if (!/[0-9a-fA-F]/.test(s)) return false;
  const doubles = s.split("::").length - 1;
  if (doubles > 1) return false;
  const groups = s.split(":");
  if (doubles === 0) return groups.length === 8 && groups.every((g) => g.length > 0);
  return groups.length <= 9;
}

/** Numeric order for IPv4 (10.0.0.2 before 10.0.0.10), text order otherwise. */
function compareAddresses(a: string, b: string): number {
  const key = (s: string): string =>
    /^\d/.test(s) && s.includes(".") ? s.replace(/\d+/g, (d) => d.padStart(3, "0")) : `~${s.toLowerCase()}`;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit);
  else if (value && typeof value === "object") for (const v of Object.values(value)) walkStrings(v, visit);
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}
