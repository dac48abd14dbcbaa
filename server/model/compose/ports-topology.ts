import type { Interface, Network, Port } from "../topology.ts";
import { PortError, parseExpose, parseLongPort, parseShortPort } from "./ports.ts";
import type { PortBinding } from "./ports.ts";
import type { ServiceConfig } from "./schema.ts";

/**
 * The container's `Ports` as the engine would list them: each binding (an unspecified host IP binds both
 * 0.0.0.0 and ::; published 0 = a port the engine picks at start), then `expose:` ports that have none.
 * PP-9/H-1/INT-5: no bindings in host, none or container: modes, nor on a container only on internal networks.
 */
export function containerPorts(
  cfg: ServiceConfig,
  interfaces: Interface[],
  networks: ReadonlyMap<string, Network>,
  publishes: boolean,
): Port[] {
  if (!publishes) return [];
  const nets = interfaces.map((i) => networks.get(i.network));
  const natted = nets.some((n) => n && !n.internal && (n.driver === "bridge" || n.driver === "overlay"));
  const ports: Port[] = [];
  if (natted)
    for (const b of bindingsOf(cfg))
      for (const hostIp of b.hostIp === "" ? ["0.0.0.0", "::"] : [b.hostIp])
        ports.push({ privatePort: b.target, protocol: b.protocol, publicPort: b.published, hostIp });
  const bound = new Set(ports.map((p) => `${p.privatePort}/${p.protocol}`));
  for (const e of cfg.expose ?? [])
    for (const { port, protocol } of parseExpose(e)) {
      const key = `${port}/${protocol}`;
      if (bound.has(key)) continue;
      bound.add(key);
      ports.push({ privatePort: port, protocol });
    }
  return ports.sort(
    (a, b) =>
      a.privatePort - b.privatePort ||
      a.protocol.localeCompare(b.protocol) ||
      (a.hostIp ?? "").localeCompare(b.hostIp ?? ""),
  );
}

/** Every binding of a service's `ports:` (already validated, so parse errors are the only failure). */
export function bindingsOf(cfg: ServiceConfig): PortBinding[] {
  return (cfg.ports ?? []).flatMap((p) => (typeof p === "object" ? parseLongPort(p) : parseShortPort(p)));
}

export { PortError };
