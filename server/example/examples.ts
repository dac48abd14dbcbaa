import { readFileSync } from "node:fs";
import { z } from "zod";
import type { EngineRecording, FleetRecording } from "../model/engine-api.ts";
import { normalizeTopology } from "../model/normalize.ts";
import type { Topology } from "../model/topology.ts";
import { recordingState } from "./example.ts";
import { fleetTopology } from "./fleet.ts";

const DIR = new URL("./examples/", import.meta.url);

const entrySchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  description: z.string().min(1),
  rules: z.array(z.string().min(1)),
});

/** One bundled teaching example: a small scenario recorded from a real engine (scripts/record-examples.ts). */
export type ExampleEntry = z.infer<typeof entrySchema>;

let index: ExampleEntry[] | undefined;

/** The examples' index (`server/example/examples/index.json`), read once. */
export function listExamples(): ExampleEntry[] {
  if (!index) {
    const file = new URL("index.json", DIR);
    const parsed = z.array(entrySchema).safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success)
      throw new Error(`${file.pathname}: not an example index: ${parsed.error.issues[0]?.message ?? ""}`);
    index = parsed.data;
  }
  return index;
}

/**
 * The topology of one example, normalised like the live engine's (a fleet example merged like a live fleet);
 * undefined for a slug not in the index.
 */
export function exampleTopologyOf(slug: string): Topology | undefined {
  const entry = listExamples().find((e) => e.slug === slug);
  if (!entry) return undefined;
  const recording = JSON.parse(readFileSync(new URL(`${entry.slug}.json`, DIR), "utf8")) as
    EngineRecording | FleetRecording;
  const first = "engines" in recording ? recording.engines[0]?.recording : recording;
  const source = {
    kind: "example" as const,
    label: `${entry.title} (example recorded from Docker ${first?.version.Version ?? "unknown"})`,
    capturedAt: recording.recordedAt ?? new Date(0).toISOString(),
  };
  if ("engines" in recording) return fleetTopology(recording, source);
  return normalizeTopology(recordingState(recording), source);
}
