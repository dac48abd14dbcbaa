import type { Lookup } from "./interpolate.ts";
import { InterpolationError, substitute } from "./interpolate.ts";

/** A line of a `.env` file that is not `KEY=value`, with its 1-based line number. */
export class DotenvError extends Error {
  override name = "DotenvError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses a `.env` file the way compose does: `KEY=value`, optional `export `, `#` comments, single quotes
 * literal, double quotes with `\n`-style escapes, and `${VAR}` expanded from earlier keys, then `outer`.
 */
export function parseDotenv(text: string, outer: Lookup = () => undefined): Record<string, string> {
  const env: Record<string, string> = {};
  const lookup: Lookup = (name) => (name in env ? env[name] : outer(name));
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].trim();
    if (!raw || raw.startsWith("#")) continue;
    const line = raw.replace(/^export\s+/, "");
    const eq = line.search(/[=:]/);
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!KEY.test(key))
      throw new DotenvError(n + 1, `unexpected character in variable name ${JSON.stringify(key)}`);
    // `KEY` alone (no `=`) takes the value from the outer environment, if any.
    if (eq < 0) {
      const value = outer(key);
      if (value !== undefined) env[key] = value;
      continue;
    }
    let rest = line.slice(eq + 1).replace(/^[ \t]+/, "");
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      // A quoted value may span lines up to its closing quote.
      let end = closingQuote(rest, quote);
      while (end < 0 && n + 1 < lines.length) {
        n++;
        rest += `\n${lines[n]}`;
        end = closingQuote(rest, quote);
      }
      if (end < 0) throw new DotenvError(n + 1, `unterminated quoted value for ${key}`);
      const inner = rest.slice(1, end);
      env[key] = quote === "'" ? inner : expand(unescape(inner), lookup, n + 1);
      continue;
    }
    const comment = rest.search(/\s#/);
    if (comment >= 0) rest = rest.slice(0, comment);
    env[key] = expand(rest.trim(), lookup, n + 1);
  }
  return env;
}

function closingQuote(s: string, quote: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === "\\" && quote === '"') i++;
    else if (s[i] === quote) return i;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\([nrt"\\$])/g, (_, c: string) =>
    c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c === "$" ? "$$" : c,
  );
}

function expand(value: string, lookup: Lookup, line: number): string {
  try {
    return substitute(value, lookup);
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    // A stray `$` in a .env value stays as written; a missing required variable is an error.
    if (error.message.startsWith("invalid interpolation format")) return value;
    throw new DotenvError(line, error.message);
  }
}
