import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/** compose-go `DefaultFileNames`, in order of preference: the first that exists wins. */
export const COMPOSE_FILE_NAMES = [
  "compose.yaml",
  "compose.yml",
  "docker-compose.yml",
  "docker-compose.yaml",
];
/** compose-go `DefaultOverrideFileNames`: the first that exists beside the main file is merged after it. */
export const OVERRIDE_FILE_NAMES = [
  "compose.override.yml",
  "compose.override.yaml",
  "docker-compose.override.yml",
  "docker-compose.override.yaml",
];

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The main compose file of a directory and its override file, or null when it has none. */
export function discoverInDirectory(dir: string): string[] | null {
  const main = COMPOSE_FILE_NAMES.map((n) => join(dir, n)).find(isFile);
  if (!main) return null;
  const override = OVERRIDE_FILE_NAMES.map((n) => join(dir, n)).find(isFile);
  return override ? [main, override] : [main];
}

/** Like `docker compose` without `-f`: the directory, then each parent up to the root. */
export function discoverUpwards(start: string): string[] | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const found = discoverInDirectory(dir);
    if (found) return found;
    if (dirname(dir) === dir) return null;
  }
}

export { existsSync };
