import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { isApiPath } from "./errors.ts";

export const TOKEN_COOKIE = "reachgraph_token";
const TOKEN_FORMAT = /^[A-Za-z0-9._~-]{16,512}$/;

/** A fresh access token: 256 random bits, URL- and cookie-safe. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Checks a token someone chose (`REACHGRAPH_TOKEN`, `--token-file`); `source` names it in the message. */
export function parseToken(value: string, source: string): string {
  const token = value.trim();
  if (!TOKEN_FORMAT.test(token))
    throw new Error(
      `${source}: not a usable access token; expected 16 to 512 characters from A-Z a-z 0-9 . _ ~ -`,
    );
  return token;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison: both sides hashed first, so neither length nor content leaks through timing. */
function sameToken(expected: Buffer, offered: string): boolean {
  return timingSafeEqual(expected, digest(offered));
}

function offeredTokens(req: Request): string[] {
  const out: string[] = [];
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (bearer) out.push(bearer[1]);
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

const HOW_TO_GET_IN =
  "reachgraph: this server needs its access token.\n\n" +
  "Open the address reachgraph printed when it started (http://HOST:PORT/?token=...); the page then keeps\n" +
  "the token in a cookie. Whoever started reachgraph chose or was shown the token\n" +
  "(REACHGRAPH_TOKEN, --token-file, or the printed address).\n";

/**
 * Requires `token` on every route: `Authorization: Bearer`, or the cookie that `GET <page>?token=` sets
 * (HttpOnly, SameSite=Strict) before redirecting to the same address without the token. Unauthenticated,
 * `GET /api/health` answers only that a token is required (a container's HEALTHCHECK needs no secret).
 */
export function requireToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const query = typeof req.query.token === "string" ? req.query.token : undefined;
    if (query !== undefined && !isApiPath(req.path) && (req.method === "GET" || req.method === "HEAD")) {
      if (!sameToken(expected, query)) {
        res
          .status(401)
          .type("text/plain")
          .send(`The access token in this address is wrong.\n\n${HOW_TO_GET_IN}`);
        return;
      }
      const url = new URL(req.originalUrl, "http://reachgraph.invalid");
      url.searchParams.delete("token");
      res.setHeader("Set-Cookie", `${TOKEN_COOKIE}=${query}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader("Cache-Control", "no-store");
      // Leading slashes collapsed: `//elsewhere` would be an open redirect.
      res.redirect(303, `${url.pathname.replace(/^\/+/, "/")}${url.search}`);
      return;
    }
    if (offeredTokens(req).some((t) => sameToken(expected, t))) return next();
    if ((req.method === "GET" || req.method === "HEAD") && req.path === "/api/health") {
      res.json({ ok: true, auth: "required" });
      return;
    }
    res.setHeader("WWW-Authenticate", 'Bearer realm="reachgraph"');
    if (isApiPath(req.path)) {
      res.status(401).json({
        error:
          "an access token is required: open the address reachgraph printed (…/?token=…), or send Authorization: Bearer <token>",
      });
      return;
    }
    res.status(401).type("text/plain").send(HOW_TO_GET_IN);
  };
}
