import { visibleText } from "./controls.ts";

/**
 * A DOT string literal, always quoted, so `<…>` is never read as an HTML-like label. Only `"` and `\` need
 * escaping in DOT itself, but labels read `\n`, `\l`, `\N`… as escapes, so every backslash is doubled and
 * line breaks become `\n`; other controls are shown as `\xHH` and bidi controls marked.
 */
export function dotString(value: string): string {
  const clean = visibleText(value.replace(/\r\n?/g, "\n"), "\n");
  return `"${clean.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
