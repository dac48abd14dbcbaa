import type { ResolvedProject } from "../../../server/model/compose/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import {
  applyProfiles,
  checkServices,
  interpolateTree,
  mergeModels,
  parseComposeYaml,
  predictTopology,
  validateModel,
} from "../../../server/model/compose/index.ts";
import { ComposeError, formatPath } from "../../../server/model/compose/index.ts";

/** Parses, interpolates and validates one in-memory file: the pure half of loading, for unit tests. */
export function loadText(text: string, env: Record<string, string> = {}, file = "compose.yaml") {
  const source = parseComposeYaml(text, file);
  const raw = interpolateTree(
    source.value,
    (n) => env[n],
    (p, error) => {
      throw new ComposeError(`${formatPath(p)}: ${error.message}`, source.locate(p));
    },
  ) as Record<string, unknown>;
  const model = validateModel(raw, source.locate, file);
  checkServices(model, source.locate, file);
  return { source, raw, model };
}

/** The message a file produces, or "" when it loads. */
export function errorOf(text: string, env: Record<string, string> = {}): string {
  try {
    loadText(text, env);
    return "";
  } catch (error) {
    if (error instanceof ComposeError) return error.message;
    throw error;
  }
}

/** Predicts a topology from one in-memory file. */
export function predictText(
  text: string,
  options: { project?: string; profiles?: string[]; env?: Record<string, string> } = {},
): Topology {
  const { source, raw } = loadText(text, options.env);
  const merged = validateModel(mergeModels({}, raw), source.locate, source.file);
  const all = Object.fromEntries(Object.entries(merged.services ?? {}).map(([k, v]) => [k, v ?? {}]));
  const { services, disabled } = applyProfiles(all, options.profiles ?? []);
  const project: ResolvedProject = {
    name: options.project ?? "proj",
    workingDir: "/work/proj",
    configFiles: ["/work/proj/compose.yaml"],
    services,
    disabled,
    networks: merged.networks ?? {},
  };
  return predictTopology(project, {
    label: "compose.yaml",
    capturedAt: "2026-01-01T00:00:00.000Z",
    locate: source.locate,
  });
}
