import type { ErrorRequestHandler, RequestHandler } from "express";
import { EngineError } from "../engine/engine-error.ts";
import { UnknownContainerError } from "../model/container-ref.ts";
import { ProbeImageError } from "../probe/run-probes.ts";

/** An error a route throws to answer with `status` and `{ error: message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "HttpError";
  }
}

/** True for the JSON API's paths; every other path is the page's. */
export const isApiPath = (path: string): boolean => path === "/api" || path.startsWith("/api/");

/** A request no route answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  const path = req.originalUrl.split("?")[0];
  next(
    new HttpError(404, isApiPath(path) ? `no such endpoint: ${req.method} ${path}` : `no such page: ${path}`),
  );
};

/** Refuses a path that does not percent-decode (`/%ff`) before any route or static file sees it. */
export const decodablePath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    throw new HttpError(
      400,
      `malformed request: ${req.method} ${req.path} is not a valid percent-encoded path`,
    );
  }
  next();
};

/** What body-parser's typed errors (`type`, from http-errors) mean to the client. */
const BODY_ERRORS: Record<string, (error: BodyError) => HttpError> = {
  "entity.parse.failed": () => new HttpError(400, "request body: not valid JSON"),
  "entity.too.large": (e) =>
    new HttpError(413, `request body: over the limit of ${e.limit ?? "?"} bytes; send a smaller request`),
  "encoding.unsupported": (e) =>
    new HttpError(
      415,
      `request body: unsupported Content-Encoding "${e.encoding ?? ""}"; expected gzip, deflate, br or none`,
    ),
  "charset.unsupported": (e) =>
    new HttpError(415, `request body: unsupported charset "${e.charset ?? ""}"; expected utf-8`),
  "request.aborted": () => new HttpError(400, "request body: the client aborted it"),
  "request.size.invalid": () => new HttpError(400, "request body: shorter or longer than its Content-Length"),
};

interface BodyError {
  type?: string;
  status?: number;
  code?: string;
  limit?: number;
  encoding?: string;
  charset?: string;
}

/** Turns a thrown error into the one HTTP answer for it; unknown errors are 500 with no detail. */
function toHttpError(error: unknown, method: string, path: string): HttpError {
  if (error instanceof HttpError) return error;
  // Domain errors with a meaning for the client (AmbiguousContainerError too: its message lists candidates).
  if (error instanceof UnknownContainerError) return new HttpError(404, error.message);
  if (error instanceof ProbeImageError) return new HttpError(400, error.message);
  if (error instanceof EngineError) return new HttpError(502, error.message);
  const e = (error ?? {}) as BodyError;
  const known = e.type ? BODY_ERRORS[e.type] : undefined;
  if (known) return known(e);
  // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR): a body that claims gzip/deflate/br but is not.
  if (e.code?.startsWith("Z_")) return new HttpError(400, "request body: not valid for its Content-Encoding");
  // The static files' own answers.
  if (e.status === 404) return new HttpError(404, `no such page: ${path}`);
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500)
    return new HttpError(e.status, `${method} ${path} refused (HTTP ${e.status})`);
  return new HttpError(500, "internal error; the server's log has the details");
}

/** The one error handler: every failure becomes `{ error }` JSON; never HTML, a stack or a file path. */
export function errorHandler(): ErrorRequestHandler {
  return (error, req, res, _next) => {
    // The path only: a query may carry the access token.
    const path = req.originalUrl.split("?")[0];
    const answer = toHttpError(error, req.method, path);
    if (answer.status >= 500 && !(error instanceof HttpError) && !(error instanceof EngineError))
      console.error(`reachgraph: ${req.method} ${path} failed:`, error);
    // A stream (SSE) already under way cannot change its status: end it.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(answer.status).json({ error: answer.message });
  };
}
