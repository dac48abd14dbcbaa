import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { HostRoute, HostRoutes } from "../model/fleet/consistency.ts";
import type { Topology } from "../model/topology.ts";

/** The kernel's main IPv4 routing table, as /proc/net/route lists it (no `ip` binary needed). */
const PROC_ROUTE = "/proc/net/route";

/**
 * The routes of the machine reachgraph runs on, and which engine of `topology` is this machine's: the one on a
 * unix socket whose `/info` Name is this host's name (an engine in another UTS namespace has its own name).
 * Undefined when no engine is local or the table cannot be read (not Linux): CS-6 then says nothing.
 */
export async function localHostRoutes(topology: Topology): Promise<HostRoutes | undefined> {
  const me = hostname();
  const local = topology.engines.find((e) => e.url?.startsWith("unix://") && e.info.name === me);
  if (!local) return undefined;
  const text = await readFile(PROC_ROUTE, "utf8").catch(() => null);
  return text === null ? undefined : { node: local.key, routes: parseProcRoutes(text) };
}

/** /proc/net/route rows: little-endian hex destination and mask; `*` as the device is a reject route (blackhole). */
export function parseProcRoutes(text: string): HostRoute[] {
  const routes: HostRoute[] = [];
  for (const line of text.split("\n").slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/);
    if (!iface || !/^[0-9A-Fa-f]{8}$/.test(dest ?? "") || !/^[0-9A-Fa-f]{8}$/.test(mask ?? "")) continue;
    const prefix = [...hexAddress(mask).split(".")].reduce(
      (bits, octet) => bits + Number(octet).toString(2).replace(/0/g, "").length,
      0,
    );
    routes.push({
      dst: `${hexAddress(dest)}/${prefix}`,
      dev: iface === "*" ? null : iface,
      type: iface === "*" ? "blackhole" : "unicast",
    });
  }
  return routes;
}

function hexAddress(hex: string): string {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(".");
}
