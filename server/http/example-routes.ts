import { Router } from "express";
import { exampleTopologyOf, listExamples } from "../example/examples.ts";
import { HttpError } from "./errors.ts";

/** `GET /api/examples` (the teaching examples) and `GET /api/examples/:slug` (one example's topology). */
export function exampleRoutes(): Router {
  const router = Router();
  router.get("/examples", (_req, res) => {
    res.json(listExamples());
  });
  router.get("/examples/:slug", (req, res) => {
    const slug = req.params.slug;
    const topology = /^[a-z0-9-]{1,64}$/.test(slug) ? exampleTopologyOf(slug) : undefined;
    if (!topology) {
      const known = listExamples().map((e) => e.slug);
      throw new HttpError(404, `no example "${slug}": expected one of ${known.join(", ")}`);
    }
    res.json(topology);
  });
  return router;
}
