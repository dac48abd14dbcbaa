import { Router } from "express";
import { z } from "zod";
import type { TopologyFeed } from "../feed/feed.ts";
import type { ProbeService } from "../probe/probe-service.ts";
import { ProbeAbortedError } from "../probe/run-probes.ts";
import { HttpError } from "./errors.ts";
import type { HttpLimits } from "./limits.ts";

/** The body: sources are required (an empty body never means "everything"), both lists bounded. */
function probeBody({ probeSources, probeTargets }: Pick<HttpLimits, "probeSources" | "probeTargets">) {
  // One name or a list of them; a lone name is read as a list of one.
  const refs = (most: number, what: string) =>
    z.preprocess(
      (v) => (typeof v === "string" ? [v] : v),
      z
        .array(z.string().min(1))
        .min(1)
        .max(most, { message: `at most ${most} ${what} per request` }),
    );
  return z
    .object({ from: refs(probeSources, "sources"), to: refs(probeTargets, "targets").optional() })
    .strict();
}

/** `POST /api/probes`: refused unless probes were enabled; one run at a time. */
export function probeRoutes(
  feed: TopologyFeed,
  service: ProbeService | undefined,
  limits: Pick<HttpLimits, "probeSources" | "probeTargets">,
): Router {
  const router = Router();
  const schema = probeBody(limits);
  let running = false;
  router.post("/probes", async (req, res) => {
    if (!service)
      throw new HttpError(
        403,
        "probes are disabled; start reachgraph serve with --allow-probes to enable them",
      );
    const body = schema.safeParse(req.body);
    if (!body.success) {
      const problem = body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
      throw new HttpError(
        400,
        `request body: ${problem}; expected {"from": name or [names], "to"?: name or [names]}`,
      );
    }
    const { topology } = feed.current();
    if (topology.source.kind !== "live")
      throw new HttpError(
        409,
        `probes need a live engine; the topology shown is ${topology.source.kind} data`,
      );
    if (running) throw new HttpError(429, "a probe run is in progress; try again when it has finished");
    running = true;
    const abort = new AbortController();
    res.on("close", () => abort.abort(new Error("the client went away")));
    try {
      const { from, to } = body.data;
      res.json(await service.probe(topology, { from, ...(to ? { to } : {}), signal: abort.signal }));
    } catch (error) {
      // Nobody is left to answer.
      if (error instanceof ProbeAbortedError && abort.signal.aborted) return;
      // Helpers that failed or could not be removed: the engine's side, each with what to do.
      if (error instanceof AggregateError) {
        const each = error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e)));
        throw new HttpError(502, [error.message, ...each].join("; "), { cause: error });
      }
      throw error;
    } finally {
      running = false;
    }
  });
  return router;
}
