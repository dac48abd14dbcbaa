import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/reachgraph", import.meta.url));

/** Runs the real `reachgraph` binary and resolves with its standard output; rejects on a non-zero exit. */
export function reachgraph(...args: string[]): Promise<string> {
  return exec("node", [BIN, ...args], { timeout: 120_000, maxBuffer: 256 * 1024 * 1024 }).then(
    (r) => r.stdout,
  );
}
