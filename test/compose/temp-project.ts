import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const made: string[] = [];

/** Writes `files` (relative path → text) under a fresh temp directory named `name`; see {@link removeTemp}. */
export function tempProject(files: Record<string, string>, name = "My Project"): string {
  const root = mkdtempSync(join(tmpdir(), "rg-compose-"));
  made.push(root);
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Removes every directory {@link tempProject} made (call from afterEach). */
export function removeTemp(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}
