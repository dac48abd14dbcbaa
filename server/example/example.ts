import { readFileSync } from "node:fs";
import type { ApiContainerInspect, ApiNetwork, EngineState } from "../model/engine-api.ts";
import { normalizeTopology } from "../model/normalize.ts";
import type { Topology } from "../model/topology.ts";

/** The recording's shape: the raw Engine API responses of one real engine (see scripts/record-fixtures.ts). */
export interface Recording {
  recordedAt?: string;
  info: EngineState["info"];
  version: EngineState["version"];
  containers: EngineState["containers"];
  networks: EngineState["networks"];
  containerInspects: Record<string, ApiContainerInspect>;
  networkInspects: Record<string, ApiNetwork>;
}

const EXAMPLE = new URL("./recorded-engine.json", import.meta.url);

/** Turns a recording into the engine state the normaliser reads. */
export function recordingState(recording: Recording): EngineState {
  return {
    info: recording.info,
    version: recording.version,
    containers: recording.containers,
    networks: recording.networks,
    containerDetails: new Map(Object.entries(recording.containerInspects ?? {})),
    networkDetails: new Map(Object.entries(recording.networkInspects ?? {})),
  };
}

/** The bundled example topology, recorded from a real engine with every driver that works there. */
export function exampleTopology(): Topology {
  const recording = JSON.parse(readFileSync(EXAMPLE, "utf8")) as Recording;
  const engine = recording.version.Version ?? "unknown";
  return normalizeTopology(recordingState(recording), {
    kind: "example",
    label: `bundled example, recorded from Docker ${engine}`,
    capturedAt: recording.recordedAt ?? new Date(0).toISOString(),
  });
}
