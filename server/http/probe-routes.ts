import express, { Router } from "express";
import { z } from "zod";
import type { TopologyFeed } from "../feed/feed.ts";
import type { ProbeService } from "../probe/probe-service.ts";
import { ProbeAbortedError, ProbeImageError } from "../probe/run-probes.ts";

const refs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(10_000)]);
const probeBody = z.object({ from: refs.optional(), to: refs.optional() }).strict();
const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** `POST /api/probes`: refused unless probes were enabled; one run at a time. */
export function probeRoutes(feed: TopologyFeed, service: ProbeService | undefined): Router {
  const router = Router();
  let running = false;
  router.post("/probes", express.json({ limit: "256kb" }), async (req, res) => {
    if (!service) {
      res
        .status(403)
        .json({ error: "probes are disabled; start reachgraph serve with --allow-probes to enable them" });
      return;
    }
    const body = probeBody.safeParse(req.body ?? {});
    if (!body.success) {
      const problem = body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
      res.status(400).json({
        error: `request body: ${problem}; expected {"from"?: name or [names], "to"?: name or [names]}`,
      });
      return;
    }
    const { topology } = feed.current();
    if (topology.source.kind !== "live") {
      res
        .status(409)
        .json({ error: `probes need a live engine; the topology shown is ${topology.source.kind} data` });
      return;
    }
    if (running) {
      res.status(429).json({ error: "a probe run is in progress; try again when it has finished" });
      return;
    }
    running = true;
    const abort = new AbortController();
    res.on("close", () => abort.abort(new Error("the client went away")));
    try {
      const from = list(body.data.from);
      const to = list(body.data.to);
      res.json(
        await service.probe(topology, {
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          signal: abort.signal,
        }),
      );
    } catch (error) {
      if (error instanceof ProbeAbortedError && abort.signal.aborted) return;
      const message = (error as Error).message;
      const status = /^unknown container/.test(message) ? 404 : error instanceof ProbeImageError ? 400 : 502;
      res.status(status).json({ error: message });
    } finally {
      running = false;
    }
  });
  return router;
}
