import { execFile } from "node:child_process";
import { ENGINE_URL } from "./engine.ts";

const DOCKER = "/usr/bin/docker";

/** Thrown when a CLI command fails; keeps stderr so callers can react to e.g. "Pool overlaps". */
export class CommandError extends Error {
  readonly stderr: string;
  constructor(message: string, stderr: string, cause: unknown) {
    super(message, { cause });
    this.name = "CommandError";
    this.stderr = stderr;
  }
}

/** Runs a command and resolves with its stdout; rejects with a {@link CommandError} naming the command. */
export function run(file: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const text = `${stderr}`.trim() || error.message;
        reject(new CommandError(`${file} ${args.join(" ")} failed: ${text}`, `${stderr}`, error));
      } else {
        resolve(`${stdout}`);
      }
    });
  });
}

/** The docker CLI against the test engine, exactly as a user would type it. */
export function docker(...args: string[]): Promise<string> {
  return dockerAt(ENGINE_URL, ...args);
}

/** The docker CLI against another engine (a swarm worker, an extra engine): `docker --host <host> …`. */
export function dockerAt(host: string, ...args: string[]): Promise<string> {
  return run(DOCKER, ["--host", host, ...args]);
}

/** `docker <args>` whose stdout is JSON (`inspect`, `--format '{{json .}}'`). */
export async function dockerJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await docker(...args)) as T;
}

/** Non-empty lines of `docker <args>` output. */
export function dockerLines(...args: string[]): Promise<string[]> {
  return dockerLinesAt(ENGINE_URL, ...args);
}

/** Non-empty lines of `docker --host <host> <args>` output. */
export async function dockerLinesAt(host: string, ...args: string[]): Promise<string[]> {
  return (await dockerAt(host, ...args))
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}
