import { visibleText } from "./controls.ts";

/**
 * Text inside a Mermaid `"…"` label: entity codes for what the parser or the HTML label would read. `%` is
 * coded too: Mermaid looks for `%%{init: …}%%` directives anywhere in the text, inside labels included, and
 * a directive restyles the diagram or points it at URLs. Line breaks become spaces (a new line would start a
 * statement such as `click … href`).
 */
export function escapeMermaid(value: string): string {
  return visibleText(value.replace(/[\r\n]+/g, " "))
    .replace(/#/g, "#35;")
    .replace(/%/g, "#37;")
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;");
}

/**
 * The front matter's `title:`, a YAML double-quoted (JSON) string drawn as plain text, where entity codes
 * would show literally: `%` becomes the look-alike `％` so no directive can form.
 */
export function mermaidTitle(value: string): string {
  return JSON.stringify(visibleText(value).replace(/%/g, "％"));
}
