/**
 * The one place CLI text reaches a terminal. Engine strings (names, labels, errors) are data: every line the
 * CLI prints passes through the terminal escape, and every JSON document through the inert JSON writer, so
 * an ESC sequence, an OSC 8 link or a bidi override in a name is shown, never obeyed.
 */
import { stringifyJson } from "../model/escape/json.ts";
import { escapeTerminal } from "../model/escape/terminal.ts";

/** Human-readable text to standard output (matrix, why, probe, diff). */
export function writeText(text: string): void {
  process.stdout.write(escapeTerminal(text));
}

/** A JSON document to standard output; parses to the same value, prints inertly. */
export function writeJson(value: unknown): void {
  process.stdout.write(jsonText(value));
}

/** The pretty-printed, inert JSON text of `value` with a final line break (for stdout or `--out FILE`). */
export function jsonText(value: unknown): string {
  return `${stringifyJson(value, 2)}\n`;
}

/** Output already escaped for its own format (an export, inert JSON text, PNG bytes) to standard output. */
export function writeData(data: string | Uint8Array): void {
  process.stdout.write(data);
}

/** A `reachgraph: …` message to standard error (progress, warnings, errors). */
export function writeNote(message: string): void {
  process.stderr.write(`reachgraph: ${escapeTerminal(message)}\n`);
}
