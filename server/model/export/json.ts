import { stringifyJson } from "../escape/json.ts";
import {
  REACHABILITY_SCHEMA_VERSION,
  explainIndices,
  targetVisitor,
  toJsonPair,
} from "../reachability/index.ts";
import type { MatrixJsonPair } from "../reachability/index.ts";
import type { Topology } from "../topology.ts";
import { SCHEMA_VERSION } from "../topology.ts";
import type { ExportOptions, ExportView } from "./view.ts";
import { countVerdicts, exportView, shownMask } from "./view.ts";

/** Version of the export document; bumped when its shape changes. */
export const EXPORT_SCHEMA_VERSION = 1;

/** The self-contained JSON export: the shown topology and the verdicts of `reachgraph matrix --json`. */
export interface ExportDocument {
  exportSchemaVersion: typeof EXPORT_SCHEMA_VERSION;
  title: string;
  options: { hideSystem: boolean; redact: boolean; project: string | null };
  /** The topology wire format (`schemaVersion` 1), limited to what the options show. */
  topology: Topology;
  reachability: {
    schemaVersion: typeof REACHABILITY_SCHEMA_VERSION;
    counts: { reachable: number; blocked: number; unknown: number };
    /** As `reachgraph matrix --json`: reachable and unknown pairs; every pair not listed is blocked. */
    pairs: MatrixJsonPair[];
  };
}

/** The topology and its verdicts as one JSON document (pretty-printed, deterministic). */
export function exportJson(topology: Topology, options: ExportOptions = {}): string {
  return renderJson(exportView(topology, options));
}

/** `exportJson` for an already built view. */
export function renderJson(view: ExportView): string {
  const shown = shownMask(view);
  const visit = targetVisitor(view.reach);
  const index = view.reach.index;
  const pairs: MatrixJsonPair[] = [];
  for (const s of view.sources) {
    const targets: number[] = [];
    visit(s, (to) => void ((to < 0 || shown[to]) && targets.push(to)));
    for (const t of targets)
      pairs.push(view.redactor.deep(toJsonPair(explainIndices(index, s < 0 ? null : s, t < 0 ? null : t))));
  }
  const doc: ExportDocument = {
    exportSchemaVersion: EXPORT_SCHEMA_VERSION,
    title: view.title,
    options: {
      hideSystem: view.options.hideSystem === true,
      redact: view.options.redact === true,
      project: view.options.project ?? null,
    },
    topology: {
      schemaVersion: SCHEMA_VERSION,
      source: view.source,
      engine: view.engine,
      engines: view.engines,
      ...(view.swarm ? { swarm: view.swarm } : {}),
      networks: view.networks,
      containers: view.containers,
    },
    reachability: { schemaVersion: REACHABILITY_SCHEMA_VERSION, counts: countVerdicts(view), pairs },
  };
  return `${stringifyJson(doc, 2)}\n`;
}
