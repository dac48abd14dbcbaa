import { existsSync } from "node:fs";
import express from "express";
import { buildSnapshot } from "../model/snapshot.ts";
import type { EngineStatus } from "../model/topology.ts";
import type { TopologyFeed } from "../feed/feed.ts";
import { ReachabilityCache } from "../feed/reachability-cache.ts";
import type { ProbeService } from "../probe/probe-service.ts";
import { requireToken } from "./access-token.ts";
import { decodablePath, errorHandler, HttpError, notFound } from "./errors.ts";
import type { EventStreamStats } from "./events-route.ts";
import { eventsRoute } from "./events-route.ts";
import { exampleRoutes } from "./example-routes.ts";
import { findingsRoutes } from "./findings-route.ts";
import { hostCheck } from "./host-check.ts";
import type { HttpLimits } from "./limits.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { probeRoutes } from "./probe-routes.ts";
import { reachabilityRoutes } from "./reachability-routes.ts";
import { RULES_CSS, rulesPage } from "./rules-page.ts";
import { sameOriginWrites } from "./same-origin.ts";
import { securityHeaders } from "./security-headers.ts";

export interface AppOptions {
  feed: TopologyFeed;
  /** The built web page (`dist/web`). */
  webRoot: string;
  /** Host names the server answers to (DNS rebinding); see `allowedHosts()`. */
  allowedHosts: readonly string[];
  /** The access token every request must carry; null: none (a loopback bind without a chosen token). */
  token: string | null;
  /** Present only with `--allow-probes`: the one way reachgraph ever writes to the engine. */
  probes?: ProbeService | undefined;
  limits?: Partial<HttpLimits>;
  heartbeatMs?: number;
}

/** `GET /api/health`: the engine's status, whether probes are on (`--allow-probes`), the event streams. */
export interface HealthResponse {
  ok: true;
  engine: EngineStatus;
  probes: { enabled: boolean; image: string | null };
  events: EventStreamStats & { limit: number };
}

/** The Express app: a read-only JSON API, Server-Sent Events and the built page, behind the checks. */
export function createApp({
  feed,
  webRoot,
  allowedHosts,
  token,
  probes,
  limits: chosen = {},
  heartbeatMs = 15_000,
}: AppOptions): express.Express {
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...chosen };
  const app = express();
  app.disable("x-powered-by");
  app.use(hostCheck(allowedHosts));
  app.use(decodablePath);
  app.use(securityHeaders);
  if (token !== null) app.use(requireToken(token));
  app.use(sameOriginWrites());
  app.use(express.json({ limit: limits.bodyBytes, type: "application/json" }));

  const events = eventsRoute(feed, limits, heartbeatMs);
  app.get("/api/health", (_req, res) => {
    const { status } = feed.current();
    res.json({
      ok: true,
      engine: status,
      probes: { enabled: probes !== undefined, image: probes?.image ?? null },
      events: { ...events.stats(), limit: limits.eventStreams },
    } satisfies HealthResponse);
  });

  app.get("/api/topology", (_req, res) => {
    res.json(feed.current().topology);
  });

  app.get("/api/snapshot", (_req, res) => {
    const snapshot = buildSnapshot(feed.current().topology);
    res.attachment(`reachgraph-snapshot-${snapshot.savedAt.replace(/[:.]/g, "-")}.json`).json(snapshot);
  });

  app.get("/api/events", events.handler);
  app.use("/api", reachabilityRoutes(new ReachabilityCache(feed)));
  app.use("/api", probeRoutes(feed, probes, limits));
  app.use("/api", exampleRoutes());
  app.use("/api", findingsRoutes(feed));
  app.use("/api", notFound);

  // The rules reference the page's badges link to, built from docs/rules.md (no network needed).
  app.get("/rules", (_req, res) => void res.type("html").send(rulesPage()));
  app.get("/rules.css", (_req, res) => void res.type("css").send(RULES_CSS));

  if (existsSync(webRoot)) {
    app.use(express.static(webRoot, { index: "index.html", fallthrough: false }));
  } else {
    app.get("/", () => {
      throw new HttpError(503, 'the web page is not built: run "npm run build", or use "npm start"');
    });
  }
  app.use(notFound);
  app.use(errorHandler());
  return app;
}
