import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { ComposeError, DotenvError, parseDotenv } from "../model/compose/index.ts";
import type { Lookup, Position } from "../model/compose/index.ts";
import { existsSync } from "./discover.ts";

/** How a path is named in messages: relative to the working directory when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !rel.startsWith("/") ? rel : path;
}

/** Reads a compose or env file, turning a missing or unreadable file into a one-line error. */
export function readText(path: string, label: string, at?: Position): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : `cannot read it (${code ?? (cause as Error).message})`;
    throw new ComposeError(`${label}: ${why}`, at, { cause });
  }
}

/** A `.env`-style file's variables (none when it does not exist and is optional). */
export function readEnvFile(
  path: string,
  cwd: string,
  outer: Lookup,
  optional: boolean,
): Record<string, string> {
  if (optional && !existsSync(path)) return {};
  const label = displayPath(path, cwd);
  try {
    return parseDotenv(readText(path, label), outer);
  } catch (error) {
    if (error instanceof DotenvError)
      throw new ComposeError(error.message, { file: label, line: error.line, col: 1 });
    throw error;
  }
}

export function absolute(base: string, path: string): string {
  return resolve(base, path);
}
