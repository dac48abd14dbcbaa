import { dockerLinesAt } from "./docker-cli.ts";
import { ENGINE_URL } from "./engine.ts";

/** Test networks take explicit /24s from here, so they never drain the engine's default pools. */
export const TEST_RANGE = "10.213.0.0/16";

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** [first, last] addresses of an IPv4 CIDR; null for IPv6 or malformed input. */
export function cidrRange(cidr: string): [number, number] | null {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim());
  if (!match) return null;
  const size = 2 ** (32 - Number(match[2]));
  const first = Math.floor(toInt(match[1]) / size) * size;
  return [first, first + size - 1];
}

export function overlaps(a: string, b: string): boolean {
  const ra = cidrRange(a);
  const rb = cidrRange(b);
  return ra !== null && rb !== null && ra[0] <= rb[1] && rb[0] <= ra[1];
}

/** Every IPv4 subnet that an existing network on the engine (default: the test engine) holds. */
export async function usedSubnets(host = ENGINE_URL): Promise<string[]> {
  const dockerLines = (...args: string[]) => dockerLinesAt(host, ...args);
  const ids = await dockerLines("network", "ls", "-q");
  if (ids.length === 0) return [];
  const format = ["--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}"];
  // One call normally; a network that vanished in between (parallel runs) fails it, then go one by one.
  const lines = await dockerLines("network", "inspect", ...format, ...ids).catch(() =>
    Promise.all(
      ids.map((id) => dockerLines("network", "inspect", ...format, id).catch(() => [] as string[])),
    ).then((all) => all.flat()),
  );
  return lines.flatMap((l) => l.split(/\s+/)).filter((s) => cidrRange(s) !== null);
}

/** A random /24 of {@link TEST_RANGE} that overlaps none of `taken`. */
export function pickSubnet(taken: Iterable<string>): string {
  const used = [...taken];
  const free: string[] = [];
  for (let third = 0; third < 256; third++) {
    const candidate = `10.213.${third}.0/24`;
    if (!used.some((s) => overlaps(s, candidate))) free.push(candidate);
  }
  if (free.length === 0) throw new Error(`no free /24 left in ${TEST_RANGE}; remove stale rgt-* networks`);
  return free[Math.floor(Math.random() * free.length)];
}

/** Docker's answers when a subnet is already taken (bridge: "Pool overlaps", overlay: "overlaps"). */
export function isOverlapError(error: unknown): boolean {
  const text = `${(error as { stderr?: string }).stderr ?? ""} ${(error as Error).message ?? ""}`;
  return /overlap/i.test(text);
}
