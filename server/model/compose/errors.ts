/** Where a value sits in a compose file; line and column are 1-based. */
export interface Position {
  file: string;
  line: number;
  col: number;
}

/** A key path into a compose model, e.g. `["services", "web", "ports", 0]`. */
export type ModelPath = readonly (string | number)[];

/**
 * Finds the position of a model path, or of its nearest ancestor that has one; with `key`, the position of
 * the last key itself rather than its value (for a bad key).
 */
export type Locate = (path: ModelPath, key?: boolean) => Position | undefined;

/**
 * A mistake in a compose file, printed as `file:line:col: what is wrong` (STYLE.md "Errors and input").
 * Never carries a stack worth showing: the CLI prints `message` alone.
 */
export class ComposeError extends Error {
  override name = "ComposeError";
  readonly position: Position | undefined;
  readonly detail: string;

  constructor(detail: string, position?: Position | { file: string }, options?: ErrorOptions) {
    super(formatMessage(detail, position), options);
    this.detail = detail;
    this.position = position && "line" in position ? position : undefined;
  }
}

function formatMessage(detail: string, position: Position | { file: string } | undefined): string {
  if (!position) return detail;
  if ("line" in position) return `${position.file}:${position.line}:${position.col}: ${detail}`;
  return `${position.file}: ${detail}`;
}

/** Renders a model path the way compose messages name keys: `services.web.ports[0]`. */
export function formatPath(path: ModelPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}
