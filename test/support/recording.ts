import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ApiContainerInspect,
  ApiEvent,
  ApiNetwork,
  EngineRecording,
  FleetRecording,
} from "../../server/model/engine-api.ts";

/** What the recorder wrote beside the responses: which recorded object plays which role, and how it was asked. */
export interface RecordingManifest {
  scenario: string;
  recordedAt: string;
  prefix: string;
  engine: { version: string; apiVersion: string };
  containers: Record<string, { id: string; name: string }>;
  networks: Record<string, { id: string; name: string; subnet?: string }>;
  /** The request behind each file, e.g. `"containers-list-all.json": "GET /v1.41/containers/json?all=1&…"`. */
  requests: Record<string, string>;
  /** Every change made to the engine's bytes (env removal, foreign objects scrubbed), for honesty. */
  edits: string[];
  dupStartError: string | null;
}

export type { EngineRecording, FleetRecording };

export const RECORDED_DIR = new URL("../fixtures/recorded/", import.meta.url).pathname;
export const API_SAMPLES_DIR = new URL("../fixtures/api-samples/", import.meta.url).pathname;
export const FLEET_DIR = new URL("../fixtures/fleet/", import.meta.url).pathname;

/** A raw engine answer that is no list: status and body exactly as the engine sent them. */
export interface RecordedAnswer {
  request: string;
  status: number;
  body: string;
}

/** A worker's answer to `GET /nodes`, `/services` and `/tasks` (recorded from node2 by scripts/record-fleet.ts). */
export function notAManager(): { status: number; message: string } {
  const answer = readJson<RecordedAnswer>(join(FLEET_DIR, "not-a-manager.json"));
  return { status: answer.status, message: (JSON.parse(answer.body) as { message: string }).message };
}

/** What the fleet recorder wrote beside a {@link FleetRecording}: which object plays which role, and the edits. */
export interface FleetManifest {
  scenario: string;
  recordedAt: string;
  prefix: string;
  /** Role → the engine key it lives on and its ID (containers, networks), or its service ID. */
  containers: Record<string, { engine: string; id: string; name: string }>;
  networks: Record<string, { engine: string; id: string; name: string }>;
  services: Record<string, { id: string; name: string }>;
  /** Per engine key, the request behind each recorded list. */
  requests: Record<string, Record<string, string>>;
  edits: string[];
}

/** Loads `test/fixtures/fleet/<scenario>.json` and its manifest. */
export function loadFleetRecording(scenario: string): { recording: FleetRecording; manifest: FleetManifest } {
  return {
    recording: readJson(join(FLEET_DIR, `${scenario}.json`)),
    manifest: readJson(join(FLEET_DIR, `${scenario}.manifest.json`)),
  };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Loads `test/fixtures/recorded/<scenario>/` as a plain {@link EngineRecording} plus its manifest. */
export function loadRecording(scenario: string): { recording: EngineRecording; manifest: RecordingManifest } {
  const dir = join(RECORDED_DIR, scenario);
  const inspects = <T>(sub: string, key: (v: T) => string): Record<string, T> =>
    Object.fromEntries(
      readdirSync(join(dir, sub))
        .filter((f) => f.endsWith(".json"))
        .map((f) => readJson<T>(join(dir, sub, f)))
        .map((v) => [key(v), v]),
    );
  const events = readFileSync(join(dir, "events.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ApiEvent);
  return {
    recording: {
      info: readJson(join(dir, "info.json")),
      version: readJson(join(dir, "version.json")),
      containers: readJson(join(dir, "containers-list-all.json")),
      networks: readJson(join(dir, "networks-list.json")),
      containerInspects: inspects<ApiContainerInspect>("container-inspect", (c) => c.Id),
      networkInspects: inspects<ApiNetwork>("network-inspect", (n) => n.Id),
      events,
    },
    manifest: readJson(join(dir, "manifest.json")),
  };
}

/** One file of the shared, engine-recorded samples (copied unmodified from docs/api-samples). */
export function loadApiSample<T>(file: string): T {
  return readJson<T>(join(API_SAMPLES_DIR, file));
}
