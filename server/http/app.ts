import { existsSync } from "node:fs";
import express from "express";
import { buildSnapshot } from "../model/snapshot.ts";
import type { ServerEvent } from "../model/topology.ts";
import type { TopologyFeed } from "../feed/feed.ts";
import { ReachabilityCache } from "../feed/reachability-cache.ts";
import type { ProbeService } from "../probe/probe-service.ts";
import { exampleRoutes } from "./example-routes.ts";
import { probeRoutes } from "./probe-routes.ts";
import { reachabilityRoutes } from "./reachability-routes.ts";

export interface AppOptions {
  feed: TopologyFeed;
  /** The built web page (`dist/web`). */
  webRoot: string;
  /** Host names the server answers to; others are refused (DNS rebinding). Empty: any. */
  allowedHosts: string[];
  /** Present only with `--allow-probes`: the one way reachgraph ever writes to the engine. */
  probes?: ProbeService | undefined;
  heartbeatMs?: number;
}

/** The Express app: a read-only JSON API, Server-Sent Events and the built page. */
export function createApp({
  feed,
  webRoot,
  allowedHosts,
  probes,
  heartbeatMs = 15_000,
}: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
    if (allowedHosts.length && !allowedHosts.includes(host)) {
      res
        .status(403)
        .json({ error: `host "${host}" is not served here; open the address reachgraph printed` });
      return;
    }
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    next();
  });

  app.get("/api/health", (_req, res) => {
    const { status } = feed.current();
    res.json({
      ok: true,
      engine: status,
      probes: { enabled: probes !== undefined, image: probes?.image ?? null },
    });
  });

  app.get("/api/topology", (_req, res) => {
    res.json(feed.current().topology);
  });

  app.get("/api/snapshot", (_req, res) => {
    const snapshot = buildSnapshot(feed.current().topology);
    res.attachment(`reachgraph-snapshot-${snapshot.savedAt.replace(/[:.]/g, "-")}.json`).json(snapshot);
  });

  app.get("/api/events", (req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    const send = (event: ServerEvent) =>
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    const { seq, topology, status } = feed.current();
    const unsubscribe = feed.subscribe(send);
    send({ type: "snapshot", seq, topology, status });
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), heartbeatMs);
    req.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  app.use("/api", reachabilityRoutes(new ReachabilityCache(feed)));
  app.use("/api", probeRoutes(feed, probes));
  app.use("/api", exampleRoutes());

  app.use("/api", (req, res) => {
    res.status(404).json({ error: `no such endpoint: ${req.method} /api${req.path}` });
  });

  if (existsSync(webRoot)) {
    app.use(express.static(webRoot, { index: "index.html" }));
  } else {
    app.get("/", (_req, res) => {
      res
        .status(503)
        .type("text/plain")
        .send(`the web page is not built (${webRoot} is missing): run "npm run build", or use "npm start"`);
    });
  }
  return app;
}
