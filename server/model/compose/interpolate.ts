import type { ModelPath } from "./errors.ts";

/** Looks a variable up; undefined when it is unset (which differs from set-but-empty). */
export type Lookup = (name: string) => string | undefined;

/** A template compose rejects: a bad `$` or a `${VAR?message}` whose variable is missing. */
export class InterpolationError extends Error {
  override name = "InterpolationError";
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const OPERATORS = [":-", ":?", ":+", "-", "?", "+"] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}` and
 * `$$`, as compose-go's template package does; defaults, alternatives and messages are themselves templates.
 */
export function substitute(template: string, lookup: Lookup): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf("$", i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const close = closingBrace(template, dollar);
      if (close < 0) throw invalid(template);
      out += braced(template.slice(dollar + 2, close), template, lookup);
      i = close + 1;
    } else {
      const name = NAME.exec(template.slice(dollar + 1))?.[0];
      if (!name) throw invalid(template);
      out += lookup(name) ?? "";
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

function invalid(template: string): InterpolationError {
  return new InterpolationError(`invalid interpolation format ${JSON.stringify(template)}`);
}

/** The `}` that closes the `${` at `start`, counting nested `${...}` in defaults. */
function closingBrace(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (s[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(body: string, template: string, lookup: Lookup): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw invalid(template);
  const rest = body.slice(name.length);
  if (rest === "") return lookup(name) ?? "";
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) throw invalid(template);
  return apply(op, name, rest.slice(op.length), lookup);
}

function apply(op: Operator, name: string, arg: string, lookup: Lookup): string {
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== "";
  switch (op) {
    case ":-":
      return nonEmpty ? value : substitute(arg, lookup);
    case "-":
      return set ? value : substitute(arg, lookup);
    case ":+":
      return nonEmpty ? substitute(arg, lookup) : "";
    case "+":
      return set ? substitute(arg, lookup) : "";
    case ":?":
    case "?":
      if (op === ":?" ? nonEmpty : set) return value as string;
      throw new InterpolationError(
        `required variable ${name} is missing a value${arg ? `: ${substitute(arg, lookup)}` : ""}`,
      );
  }
}

/**
 * Interpolates every string value of a parsed compose file (keys stay as written, like compose).
 * `onError` receives the path of the failing value so the caller can point at its line.
 */
export function interpolateTree(
  value: unknown,
  lookup: Lookup,
  onError: (path: ModelPath, error: InterpolationError) => never,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    try {
      return substitute(value, lookup);
    } catch (error) {
      if (error instanceof InterpolationError) onError(path, error);
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, lookup, onError, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, lookup, onError, [...path, k]);
    return out;
  }
  return value;
}
