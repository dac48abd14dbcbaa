import type { RequestHandler } from "express";
import { HttpError } from "./errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when `origin` (scheme://host:port) names the host the request was sent to (a proxy may add https). */
function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    return host !== undefined && url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

const isJson = (contentType: string | undefined) =>
  (contentType ?? "").split(";")[0].trim().toLowerCase() === "application/json";

/**
 * Every state-changing request must come from this page (CSRF, and any site's plain form or no-cors fetch):
 * a same-origin `Origin`, or without one `Sec-Fetch-Site: same-origin|none`; and a JSON body, which no form
 * can send. No CORS headers are ever set, so other origins cannot read answers either.
 */
export function sameOriginWrites(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    const sameOrigin =
      origin !== undefined ? isSameHost(origin, req.headers.host) : site === "same-origin" || site === "none";
    if (!sameOrigin)
      throw new HttpError(
        403,
        `cross-origin ${req.method} refused (Origin ${origin === undefined ? "absent" : `"${origin}"`}); ` +
          "send it from the reachgraph page, or set Origin to this server's address",
      );
    if (!isJson(req.headers["content-type"]))
      throw new HttpError(
        415,
        `${req.method} needs Content-Type: application/json; got "${req.headers["content-type"] ?? "none"}"`,
      );
    next();
  };
}
