import { CommanderError } from "commander";
import { EngineInputError } from "../engine/engine-error.ts";
import { UsageError } from "./options.ts";

/** The CLI's exit codes, as the README documents them. */
export const EXIT = {
  ok: 0,
  /** Anything that went wrong: an unreachable engine, an unreadable file, a failed write. */
  error: 1,
  /** The command line itself is wrong: an unknown flag, a bad value, a missing argument. */
  usage: 2,
  /** The answer is "they differ": probes disagree with the prediction, or the engine drifted from compose. */
  differs: 3,
} as const;

/** The exit code for an error that ended the command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof EngineInputError) return EXIT.usage;
  // Commander exits 0 for --help and --version, 1 for everything it refuses to parse.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.error;
}

/** One line: the message, then each cause it does not already say, e.g. `writing /tmp failed: EISDIR: …`. */
export function formatError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 8; depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(": ").replace(/\s*\n\s*/g, " ");
}
