import { basename, dirname, join, resolve } from "node:path";
import type { Lookup, ResolvedProject } from "../model/compose/index.ts";
import {
  applyProfiles,
  ComposeError,
  composeFileSchema,
  formatPath,
  predictTopology,
  profilesFromEnv,
  resolveProjectName,
  substitute,
  InterpolationError,
} from "../model/compose/index.ts";
import type { Topology } from "../model/topology.ts";
import {
  discoverInDirectory,
  discoverUpwards,
  existsSync,
  isDirectory,
  COMPOSE_FILE_NAMES,
} from "./discover.ts";
import { FileLoader } from "./file-loader.ts";
import { loadMerged } from "./merge-files.ts";
import { readEnvFile } from "./read.ts";

export interface ComposeLoadOptions {
  /** Files or directories (a directory means its compose file and override file); [] = discover from cwd. */
  paths: string[];
  /** `-p`. */
  projectName?: string;
  /** `--profile`; when empty, COMPOSE_PROFILES applies. */
  profiles?: string[];
  /** The shell environment; default `process.env`. It wins over the project's `.env`. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** `source.capturedAt`; default now. */
  capturedAt?: string;
}

/**
 * Reads compose files the way Docker Compose v2 does and predicts the topology `up` would create
 * (`source.kind = "compose"`). Mistakes in the files throw a {@link ComposeError} naming file:line:col.
 */
export async function loadComposeProject(options: ComposeLoadOptions): Promise<Topology> {
  const { project, label, locate } = loadResolvedProject(options);
  return predictTopology(project, {
    label,
    capturedAt: options.capturedAt ?? new Date().toISOString(),
    locate,
  });
}

/** Everything up to the topology: files found, merged, interpolated, extended, included, profiles applied. */
export function loadResolvedProject(options: ComposeLoadOptions): {
  project: ResolvedProject;
  label: string;
  locate: ReturnType<FileLoader["locate"]>;
} {
  const cwd = resolve(options.cwd ?? process.cwd());
  const shell = options.env ?? process.env;
  const shellLookup: Lookup = (name) => shell[name];
  const loader = new FileLoader(cwd);
  const files = configFiles(options.paths, cwd, shellLookup, loader);
  const workingDir = dirname(files[0]);
  // The project's .env fills what the shell does not set (COMPOSE_PROJECT_NAME, COMPOSE_PROFILES included).
  const dotenv = readEnvFile(join(workingDir, ".env"), cwd, shellLookup, true);
  const baseLookup: Lookup = (name) => shell[name] ?? dotenv[name];
  const name = projectName(options.projectName, files, baseLookup, loader, workingDir);
  // compose sets COMPOSE_PROJECT_NAME for interpolation to the resolved name.
  const lookup: Lookup = (n) => (n === "COMPOSE_PROJECT_NAME" ? name : baseLookup(n));
  const { tree, files: layers } = loadMerged(files, lookup, loader);
  const locate = loader.locate(loader.loaded);
  const parsed = composeFileSchema.safeParse(tree);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ComposeError(
      `${formatPath(issue.path as (string | number)[])} ${issue.message}`,
      locate(issue.path as (string | number)[]),
    );
  }
  const active = options.profiles?.length ? options.profiles : profilesFromEnv(lookup("COMPOSE_PROFILES"));
  const all = Object.fromEntries(Object.entries(parsed.data.services ?? {}).map(([k, v]) => [k, v ?? {}]));
  const { services, disabled } = applyProfiles(all, active);
  return {
    project: {
      name,
      workingDir,
      configFiles: layers.map((f) => f.path),
      services,
      disabled,
      networks: parsed.data.networks ?? {},
    },
    label: files.map((f) => loader.display(f)).join(", "),
    locate,
  };
}

/** `-f` files and directories in order; with none, COMPOSE_FILE, else discovery from cwd upwards. */
function configFiles(paths: string[], cwd: string, shell: Lookup, loader: FileLoader): string[] {
  const lookedFor = COMPOSE_FILE_NAMES.join(", ");
  if (paths.length === 0) {
    const fromEnv = shell("COMPOSE_FILE") ?? readEnvFile(join(cwd, ".env"), cwd, shell, true).COMPOSE_FILE;
    if (fromEnv)
      return configFiles(
        fromEnv.split(shell("COMPOSE_PATH_SEPARATOR") ?? ":").filter(Boolean),
        cwd,
        shell,
        loader,
      );
    const found = discoverUpwards(cwd);
    if (!found)
      throw new ComposeError(`no compose file found in ${cwd} or its parents (looked for ${lookedFor})`);
    return found;
  }
  return paths.flatMap((p) => {
    const abs = resolve(cwd, p);
    if (isDirectory(abs)) {
      const found = discoverInDirectory(abs);
      if (!found)
        throw new ComposeError(`no compose file in ${loader.display(abs)} (looked for ${lookedFor})`);
      return found;
    }
    if (!existsSync(abs)) throw new ComposeError(`${p}: no such file or directory`);
    return [abs];
  });
}

/** `-p`, COMPOSE_PROJECT_NAME, the files' interpolated `name:` (last wins), then the directory name. */
function projectName(
  flag: string | undefined,
  files: string[],
  lookup: Lookup,
  loader: FileLoader,
  workingDir: string,
): string {
  let fromFiles: string | undefined;
  for (const path of files) {
    const source = loader.parse(path);
    const value = (source.value as Record<string, unknown> | null)?.name;
    if (typeof value !== "string" || value === "") continue;
    try {
      fromFiles = substitute(value, lookup);
    } catch (error) {
      if (error instanceof InterpolationError)
        throw new ComposeError(`name: ${error.message}`, source.locate(["name"]));
      throw error;
    }
  }
  const result = resolveProjectName({
    flag,
    env: lookup("COMPOSE_PROJECT_NAME"),
    fromFiles,
    directory: basename(workingDir),
  });
  if ("problem" in result) throw new ComposeError(result.problem);
  return result.name;
}
