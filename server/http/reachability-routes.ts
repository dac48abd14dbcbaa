import { Router } from "express";
import { z } from "zod";
import type { ReachabilityCache } from "../feed/reachability-cache.ts";
import { explainPair, formatExplanation, resolveEnd } from "../model/reachability/index.ts";
import { reachabilityRows } from "../model/reachability-wire.ts";

const rowsQuery = z.object({ from: z.string().min(1).optional() }).strict();

/** `GET /api/reachability` (all pairs, compact) and `GET /api/reachability/:from/:to` (one pair, explained). */
export function reachabilityRoutes(cache: ReachabilityCache): Router {
  const router = Router();

  router.get("/reachability", (req, res) => {
    const query = rowsQuery.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({
        error: `query: ${queryProblem(query.error)}; expected at most ?from=<container name, ID or @host>`,
      });
      return;
    }
    const { seq, reach } = cache.reachability();
    let only: number | null | undefined;
    if (query.data.from !== undefined) {
      try {
        only = resolveEnd(reach.index, query.data.from);
      } catch (error) {
        res.status(404).json({ error: (error as Error).message });
        return;
      }
    }
    const wanted = only === undefined ? undefined : (source: number) => source === (only ?? -1);
    res.json(reachabilityRows(reach, seq, wanted));
  });

  router.get("/reachability/:from/:to", (req, res) => {
    const { index } = cache.index();
    try {
      const explanation = explainPair(index, req.params.from, req.params.to);
      res.json({ ...explanation, text: formatExplanation(explanation) });
    } catch (error) {
      res.status(404).json({ error: (error as Error).message });
    }
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
