/** A port binding as compose hands it to the engine; `published` 0 means the engine picks a free port. */
export interface PortBinding {
  target: number;
  published: number;
  /** "" for every host address (the engine binds 0.0.0.0 and ::). */
  hostIp: string;
  protocol: string;
}

/** A problem with a port entry, worded for the user; the caller adds file:line:col. */
export class PortError extends Error {
  override name = "PortError";
}

const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

/**
 * Short syntax `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` (docker/go-connections `ParsePortSpec`):
 * ranges (`8000-8002:80-82`), a host range for one container port (the engine picks one, here its start),
 * IPv6 host addresses in brackets (`[::1]:80:80`).
 */
export function parseShortPort(spec: string | number): PortBinding[] {
  const raw = String(spec).trim();
  const slash = raw.lastIndexOf("/");
  const protocol = slash >= 0 ? raw.slice(slash + 1).toLowerCase() : "tcp";
  if (!PROTOCOLS.has(protocol))
    throw new PortError(
      `invalid protocol ${JSON.stringify(protocol)} in ${JSON.stringify(raw)}; expected tcp, udp or sctp`,
    );
  const rest = slash >= 0 ? raw.slice(0, slash) : raw;
  const { hostIp, hostPort, containerPort } = splitSpec(rest, raw);
  const container = parseRange(containerPort, raw, "container port");
  if (!container) throw new PortError(`no container port in ${JSON.stringify(raw)}`);
  const host = hostPort === "" ? null : parseRange(hostPort, raw, "host port");
  const count = container[1] - container[0];
  if (host && host[1] - host[0] !== count && count !== 0)
    throw new PortError(
      `invalid ranges in ${JSON.stringify(raw)}: the host and container ranges differ in size`,
    );
  const out: PortBinding[] = [];
  for (let i = 0; i <= count; i++) {
    const published = host ? (host[1] - host[0] === count ? host[0] + i : host[0]) : 0;
    out.push({ target: container[0] + i, published, hostIp, protocol });
  }
  return out;
}

function splitSpec(rest: string, raw: string): { hostIp: string; hostPort: string; containerPort: string } {
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":")
      throw new PortError(`invalid IPv6 host address in ${JSON.stringify(raw)}`);
    const [hostPort, containerPort, ...extra] = rest.slice(close + 2).split(":");
    if (containerPort === undefined || extra.length)
      throw new PortError(`invalid port specification ${JSON.stringify(raw)}`);
    return { hostIp: rest.slice(1, close), hostPort, containerPort };
  }
  const parts = rest.split(":");
  if (parts.length === 1) return { hostIp: "", hostPort: "", containerPort: parts[0] };
  if (parts.length === 2) return { hostIp: "", hostPort: parts[0], containerPort: parts[1] };
  // More than three parts: an IPv6 host address written without brackets.
  return {
    hostIp: parts.slice(0, -2).join(":"),
    hostPort: parts[parts.length - 2],
    containerPort: parts[parts.length - 1],
  };
}

function parseRange(value: string, raw: string, what: string): [number, number] | null {
  if (value === "") return null;
  const m = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!m) throw new PortError(`invalid ${what} ${JSON.stringify(value)} in ${JSON.stringify(raw)}`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || end > 65535 || end < start)
    throw new PortError(
      `invalid ${what} ${JSON.stringify(value)} in ${JSON.stringify(raw)}; expected 1-65535`,
    );
  return [start, end];
}

/** Long syntax: `{target, published, host_ip, protocol, mode}`; `published` may be a range. */
export function parseLongPort(entry: {
  target: number;
  published?: string | number | undefined;
  host_ip?: string | undefined;
  protocol?: string | undefined;
}): PortBinding[] {
  const protocol = (entry.protocol ?? "tcp").toLowerCase();
  if (!PROTOCOLS.has(protocol))
    throw new PortError(`invalid protocol ${JSON.stringify(protocol)}; expected tcp, udp or sctp`);
  const published =
    entry.published === undefined || entry.published === ""
      ? null
      : parseRange(String(entry.published), String(entry.published), "published port");
  return [
    { target: entry.target, published: published ? published[0] : 0, hostIp: entry.host_ip ?? "", protocol },
  ];
}

/** `expose:` entries: `"3000"`, `3000`, `"4000-4002/udp"`. */
export function parseExpose(spec: string | number): { port: number; protocol: string }[] {
  const raw = String(spec).trim();
  const [range, proto = "tcp"] = raw.split("/");
  const protocol = proto.toLowerCase();
  if (!PROTOCOLS.has(protocol))
    throw new PortError(
      `invalid protocol ${JSON.stringify(protocol)} in ${JSON.stringify(raw)}; expected tcp, udp or sctp`,
    );
  const r = parseRange(range, raw, "port");
  if (!r) throw new PortError(`no port in ${JSON.stringify(raw)}`);
  const out: { port: number; protocol: string }[] = [];
  for (let p = r[0]; p <= r[1]; p++) out.push({ port: p, protocol });
  return out;
}
