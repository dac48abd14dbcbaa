import { Router } from "express";
import { z } from "zod";
import type { ReachabilityCache } from "../feed/reachability-cache.ts";
import { explainPair, formatExplanation, resolveEnd } from "../model/reachability/index.ts";
import { reachabilityRows } from "../model/reachability-wire.ts";
import { HttpError } from "./errors.ts";

const rowsQuery = z.object({ from: z.string().min(1).optional() }).strict();

/** `GET /api/reachability` (all pairs, compact) and `GET /api/reachability/:from/:to` (one pair, explained). */
export function reachabilityRoutes(cache: ReachabilityCache): Router {
  const router = Router();

  // An unknown name (UnknownContainerError) is a 404, by the one error handler.
  router.get("/reachability", (req, res) => {
    const query = rowsQuery.safeParse(req.query);
    if (!query.success)
      throw new HttpError(
        400,
        `query: ${queryProblem(query.error)}; expected at most ?from=<container name, ID or @host>`,
      );
    const { seq, reach } = cache.reachability();
    const only = query.data.from === undefined ? undefined : resolveEnd(reach.index, query.data.from);
    const wanted = only === undefined ? undefined : (source: number) => source === (only ?? -1);
    res.json(reachabilityRows(reach, seq, wanted));
  });

  router.get("/reachability/:from/:to", (req, res) => {
    const explanation = explainPair(cache.index().index, req.params.from, req.params.to);
    res.json({ ...explanation, text: formatExplanation(explanation) });
  });
  return router;
}

function queryProblem(error: z.ZodError): string {
  return error.issues
    .map((i) =>
      i.code === "unrecognized_keys"
        ? `unknown parameter ${i.keys.map((k) => `"${k}"`).join(", ")}`
        : `${i.path.join(".")}: ${i.message}`,
    )
    .join("; ");
}
