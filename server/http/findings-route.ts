import { Router } from "express";
import { localHostRoutes } from "../engine/host-routes.ts";
import type { TopologyFeed } from "../feed/feed.ts";
import type { Finding } from "../model/fleet/consistency.ts";
import { consistencyFindings } from "../model/fleet/consistency.ts";

/** `GET /api/findings`: the consistency findings (CS-1..CS-7) of the topology served now. */
export interface FindingsResponse {
  capturedAt: string;
  findings: Finding[];
}

/**
 * Read-only: the served topology's per-node views against what the swarm runs, and its pools against this
 * machine's routes when one of the engines is this machine's (CS-6). The MTU check (CS-8) writes helper
 * containers, so it is the CLI's (`reachgraph check --mtu`), not a GET.
 */
export function findingsRoutes(feed: TopologyFeed): Router {
  const router = Router();
  router.get("/findings", async (_req, res, next) => {
    try {
      const { topology } = feed.current();
      const host = topology.source.kind === "live" ? await localHostRoutes(topology) : undefined;
      res.json({
        capturedAt: topology.source.capturedAt,
        findings: consistencyFindings(topology, host),
      } satisfies FindingsResponse);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
