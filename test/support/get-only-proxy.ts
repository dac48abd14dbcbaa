import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINE_SOCKET } from "./engine.ts";

/** What tecnativa/docker-socket-proxy (HAProxy) answers for a request its rules refuse. */
export const REFUSAL_BODY =
  "<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n";

export interface GetOnlyProxy {
  socketPath: string;
  /** `unix://…`, for `--engine` or DOCKER_HOST. */
  url: string;
  /** `METHOD path` of every request it refused, in order. */
  refused: string[];
  close(): Promise<void>;
}

/**
 * A read-only socket proxy on a unix socket of its own: GET and HEAD go through to the engine (streams
 * included, for /events); every other method is refused with 403, as docker-socket-proxy with POST=0 does.
 */
export async function startGetOnlyProxy(upstream = ENGINE_SOCKET): Promise<GetOnlyProxy> {
  const dir = mkdtempSync(join(tmpdir(), "rgt-proxy-"));
  const socketPath = join(dir, "docker.sock");
  const refused: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      refused.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(403, { "content-type": "text/html", "cache-control": "no-cache" }).end(REFUSAL_BODY);
      return;
    }
    const forward = request(
      { socketPath: upstream, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // An events stream sends its headers long before its first event: pass them on now, as HAProxy does.
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    forward.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${error.message}\n`);
    });
    // A client that leaves (an events subscriber) ends its upstream request too.
    res.on("close", () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    url: `unix://${socketPath}`,
    refused,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
