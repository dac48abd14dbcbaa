/**
 * compose-go `NormalizeProjectName`: lower-case, keep only `[a-z0-9_-]`, then drop leading `_` and `-` so the
 * name starts with a letter or digit.
 */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[_-]+/, "");
}

/** Why an explicitly given name (`-p`, COMPOSE_PROJECT_NAME) is rejected, or null when it is valid. */
export function projectNameProblem(name: string): string | null {
  if (name === "") return "project name must not be empty";
  if (normalizeProjectName(name) !== name)
    return `invalid project name ${JSON.stringify(name)}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`;
  return null;
}

export interface ProjectNameSources {
  /** `-p NAME`. */
  flag?: string;
  /** COMPOSE_PROJECT_NAME from the environment or the project's .env. */
  env?: string;
  /** Top-level `name:` of the (interpolated) files; the last file that sets one wins. */
  fromFiles?: string;
  /** Base name of the project directory. */
  directory: string;
}

/**
 * The project name by compose's precedence: `-p`, COMPOSE_PROJECT_NAME (both must already be valid), the
 * files' `name:` (normalised), then the directory name (normalised). Returns the name or the problem.
 */
export function resolveProjectName(src: ProjectNameSources): { name: string } | { problem: string } {
  const imperative = src.flag || src.env;
  if (imperative) {
    const problem = projectNameProblem(imperative);
    return problem ? { problem } : { name: imperative };
  }
  const fromFiles = normalizeProjectName(src.fromFiles ?? "");
  if (fromFiles) return { name: fromFiles };
  const fromDir = normalizeProjectName(src.directory);
  if (fromDir) return { name: fromDir };
  return {
    problem: `project name must not be empty (directory ${JSON.stringify(src.directory)} has no usable characters; use -p)`,
  };
}
