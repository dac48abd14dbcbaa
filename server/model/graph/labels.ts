import { containerBadge, networkBadges, networkStyle } from "../graph-style.ts";
import { modeOf } from "../reachability/topology-index.ts";
import type { Container, Network, Port } from "../topology.ts";

/** `127.0.0.1:8080→80/tcp`, `[::]:8080→80/tcp`, or `9999/tcp (exposed only)` (PP-9). */
export function portText(p: Port): string {
  const target = `${p.privatePort}/${p.protocol}`;
  if (p.publicPort === undefined) return `${target} (exposed only)`;
  const ip = p.hostIp ?? "0.0.0.0";
  return `${ip.includes(":") ? `[${ip}]` : ip}:${p.publicPort}→${target}`;
}

/** Published ports first, each binding once, in a stable order. */
export function sortedPorts(ports: readonly Port[]): Port[] {
  const key = (p: Port): string =>
    `${p.publicPort === undefined ? 1 : 0}|${String(p.privatePort).padStart(5, "0")}|${p.protocol}|${String(p.publicPort ?? 0).padStart(5, "0")}|${p.hostIp ?? ""}`;
  const seen = new Set<string>();
  return [...ports]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .filter((p) => !seen.has(key(p)) && seen.add(key(p)) !== undefined);
}

/** The lines under a hub's name: driver and flags, then its subnets. */
export function networkSubLines(n: Network): string[] {
  const style = networkStyle(n);
  const driver = style === "plugin" ? "" : n.driver;
  const first = [driver, ...networkBadges(n)].filter(Boolean).join(" · ");
  const subnets = n.subnets.map((s) => s.subnet).join(", ");
  return [first, subnets].filter(Boolean);
}

/** The line under a container's name: its state unless running, and how its namespace is wired. */
export function containerSub(c: Container, providerShown: boolean): string {
  return [
    containerBadge(c),
    modeOf(c) === "none" ? "no network" : "",
    c.sharesNamespaceWith && !providerShown
      ? `netns of ${c.sharesNamespaceWith.name ?? "a missing container"}`
      : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

/**
 * The label of an interface edge: its address; for a compose prediction, whose addresses are unknown until
 * `up`, the names peers will resolve on that network (UB-2: service name and aliases; the container's own name
 * is the node's label already).
 */
export function addressOf(c: Container, i: Container["interfaces"][number]): string {
  const address = i.ipv4 ?? i.ipv6;
  if (address) return address;
  if (!c.predicted) return "no address";
  const names = (i.dnsNames ?? i.aliases ?? []).filter((n) => n !== c.name);
  return names.length ? names.join(", ") : "address at up";
}

/** Whether an interface edge is drawn as down: no live endpoint (§5), unless it is a prediction's. */
export function interfaceDown(c: Container, i: Container["interfaces"][number]): boolean {
  return !c.predicted && i.ipv4 === null && i.ipv6 === null;
}
