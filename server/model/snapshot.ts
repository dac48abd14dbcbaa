import { z } from "zod";
import type { ProbeReport } from "./probe-types.ts";
import { computeReachability, indexTopology } from "./reachability/index.ts";
import type { ReachabilityRows } from "./reachability-wire.ts";
import { reachabilityRows } from "./reachability-wire.ts";
import { redactTopology } from "./redact.ts";
import { topologySchema, topologyV1Schema } from "./topology-schema.ts";
import type { Topology } from "./topology.ts";
import { SCHEMA_VERSION } from "./topology.ts";

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** A saved topology with its verdicts and any probe results: `reachgraph snapshot`, the page's "save". */
export interface Snapshot {
  reachgraph: "snapshot";
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  savedAt: string;
  topology: Topology;
  reachability: ReachabilityRows;
  probes: ProbeReport[];
}

/** Builds a snapshot document of `topology`, with the model's verdicts. */
export function buildSnapshot(
  topology: Topology,
  probes: ProbeReport[] = [],
  savedAt = new Date().toISOString(),
): Snapshot {
  return {
    reachgraph: "snapshot",
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    savedAt,
    topology,
    reachability: reachabilityRows(computeReachability(indexTopology(topology)), 0),
    probes,
  };
}

/** A snapshot file that cannot be served, with a message naming the file, the place and what was expected. */
export class SnapshotError extends Error {
  override name = "SnapshotError";
}

const probeReportSchema = z.looseObject({
  schemaVersion: z.number(),
  runId: z.string(),
  pairs: z.array(z.unknown()),
});

/**
 * Reads a snapshot document, or a bare topology (`GET /api/topology`, `reachgraph compose`), from `text`.
 * The result is labelled as a snapshot: not live.
 */
export function parseSnapshot(text: string, file: string): { topology: Topology; probes: ProbeReport[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(
      `${file}: not valid JSON (${(error as Error).message}); expected a reachgraph snapshot`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SnapshotError(
      `${file}: expected a JSON object (a reachgraph snapshot or topology), got ${kindOf(json)}`,
    );
  }
  const doc = json as Record<string, unknown>;
  const isSnapshot = doc.reachgraph === "snapshot";
  const topologyJson = isSnapshot ? doc.topology : doc;
  const inner = isSnapshot
    ? (topologyJson as Record<string, unknown> | null)?.schemaVersion
    : doc.schemaVersion;
  if (isSnapshot) checkVersion(file, "snapshot", doc.schemaVersion, SNAPSHOT_SCHEMA_VERSION);
  checkVersion(file, "topology", inner, SCHEMA_VERSION, OLDEST_TOPOLOGY_VERSION);
  if (!isSnapshot && (!("networks" in doc) || !("containers" in doc))) {
    throw new SnapshotError(
      `${file}: neither a reachgraph snapshot ("reachgraph": "snapshot") nor a topology (networks, containers)`,
    );
  }
  const topology = (inner === 1 ? topologyV1Schema : topologySchema).safeParse(topologyJson);
  if (!topology.success)
    throw new SnapshotError(`${file}: ${describeIssue(topology.error, isSnapshot ? "topology" : "")}`);
  const probes = z.array(probeReportSchema).safeParse(isSnapshot ? (doc.probes ?? []) : []);
  if (!probes.success) throw new SnapshotError(`${file}: ${describeIssue(probes.error, "probes")}`);
  const original = topology.data.source;
  const savedAt = isSnapshot && typeof doc.savedAt === "string" ? doc.savedAt : original.capturedAt;
  return {
    // A snapshot file may come from anywhere (an older reachgraph, a hand edit): the secret policy again.
    topology: redactTopology({
      ...topology.data,
      source: {
        kind: "snapshot",
        label: `${file} (${original.kind}: ${original.label})`,
        capturedAt: savedAt,
      },
    }),
    probes: probes.data as unknown as ProbeReport[],
  };
}

/** Topologies of schemaVersion 1 (one engine) are upgraded on reading. */
const OLDEST_TOPOLOGY_VERSION = 1;

function checkVersion(
  file: string,
  what: string,
  version: unknown,
  supported: number,
  oldest = supported,
): void {
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw new SnapshotError(
      `${file}: ${what} schemaVersion is ${JSON.stringify(version)}; expected ${supported}`,
    );
  }
  if (version > supported) {
    throw new SnapshotError(
      `${file}: ${what} schemaVersion ${version} is newer than this reachgraph reads (${supported}); upgrade reachgraph to open it`,
    );
  }
  if (version < oldest) {
    throw new SnapshotError(
      `${file}: ${what} schemaVersion ${version} is older than this reachgraph reads (${oldest}); save it again with a current reachgraph`,
    );
  }
}

function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))]
    .join("")
    .replace(/^\./, "")
    .replace(/\.\[/g, "[");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return `${path || "document"}: ${issue.message}${more}`;
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
}
