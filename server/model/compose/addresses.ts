/** IPv4 helpers for static addresses and default gateways; IPv6 is passed through as written. */

function toInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    value = value * 256 + Number(p);
  }
  return value;
}

function fromInt(value: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join(".");
}

function parseCidr(cidr: string): { base: number; prefix: number } | null {
  const [ip, len] = cidr.split("/");
  const base = toInt(ip);
  const prefix = Number(len);
  if (base === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), prefix };
}

/** Whether `cidr` is a well-formed IPv4 CIDR (`10.213.1.0/24`). */
export function isIpv4Cidr(cidr: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr) && parseCidr(cidr) !== null;
}

export function isIpv4(ip: string): boolean {
  return toInt(ip) !== null;
}

/** The prefix length of the first IPv4 subnet that contains `ip`, or null. */
export function prefixFor(ip: string, subnets: readonly string[]): number | null {
  const value = toInt(ip);
  if (value === null) return null;
  for (const s of subnets) {
    const c = parseCidr(s);
    if (c && value >= c.base && value < c.base + 2 ** (32 - c.prefix)) return c.prefix;
  }
  return null;
}

/** Docker's default gateway for an IPv4 subnet without one: the first address after the network address. */
export function defaultGateway(cidr: string): string | null {
  const c = parseCidr(cidr);
  return c && c.prefix < 31 ? fromInt(c.base + 1) : null;
}
