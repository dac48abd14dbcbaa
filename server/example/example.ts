import { readFileSync } from "node:fs";
import type { EngineRecording, EngineState } from "../model/engine-api.ts";
import { normalizeTopology } from "../model/normalize.ts";
import type { Topology } from "../model/topology.ts";

const EXAMPLE = new URL("./recorded-engine.json", import.meta.url);

/** Turns a recording into the engine state the normaliser reads. */
export function recordingState(recording: EngineRecording): EngineState {
  return {
    info: recording.info,
    version: recording.version,
    containers: recording.containers,
    networks: recording.networks,
    containerDetails: new Map(Object.entries(recording.containerInspects)),
    networkDetails: new Map(Object.entries(recording.networkInspects)),
  };
}

/** The bundled example topology, recorded from a real engine with every driver that works there. */
export function exampleTopology(): Topology {
  const recording = JSON.parse(readFileSync(EXAMPLE, "utf8")) as EngineRecording;
  const engine = recording.version.Version ?? "unknown";
  return normalizeTopology(recordingState(recording), {
    kind: "example",
    label: `bundled example, recorded from Docker ${engine}`,
    capturedAt: recording.recordedAt ?? new Date(0).toISOString(),
  });
}
