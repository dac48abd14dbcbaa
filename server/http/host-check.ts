import type { RequestHandler } from "express";

/** Host names a browser on this machine uses; always answered (a port mapping or tunnel arrives as these). */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];
const LOOPBACK_BINDS = new Set(["localhost", "127.0.0.1", "::1"]);
const WILDCARD_BINDS = new Set(["0.0.0.0", "::"]);

/** True for the binds only this machine can reach; every other bind needs an access token. */
export const isLoopbackBind = (bind: string): boolean => LOOPBACK_BINDS.has(bind);

/** True for `0.0.0.0` and `::`: every interface, no one address a browser would name. */
export const isWildcardBind = (bind: string): boolean => WILDCARD_BINDS.has(bind);

/** `host` as a Host header names it: lowercase, IPv6 in brackets. */
export function hostName(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

/**
 * The Host names served (DNS rebinding): loopback names, each `--public-host`, and a specific bind address
 * (an IP literal cannot be rebound to another origin). Never "any".
 */
export function allowedHosts(bind: string, publicHosts: readonly string[]): string[] {
  const named = publicHosts.map(hostName);
  const own = isLoopbackBind(bind) || isWildcardBind(bind) ? [] : [hostName(bind)];
  return [...new Set([...LOOPBACK_HOSTS, ...own, ...named])];
}

const HOST_HEADER = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** The host part of a Host header (`name`, `1.2.3.4` or `[v6]`), lowercase; null when it is not one. */
export function hostOf(header: string | undefined): string | null {
  return HOST_HEADER.exec((header ?? "").toLowerCase())?.[1] ?? null;
}

/** Refuses requests whose Host header is not one of `allowed` (403 JSON). */
export function hostCheck(allowed: readonly string[]): RequestHandler {
  const names = new Set(allowed);
  return (req, res, next) => {
    const host = hostOf(req.headers.host);
    if (host !== null && names.has(host)) return next();
    res.status(403).json({
      error: `host "${req.headers.host ?? ""}" is not served here; open the address reachgraph printed, or start it with --public-host NAME`,
    });
  };
}
