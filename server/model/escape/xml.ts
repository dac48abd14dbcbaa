import { visibleText } from "./controls.ts";

/** Non-characters XML 1.0 does not allow at all, even escaped. */
const NONCHAR = /[\ufffe\uffff]/g;

/**
 * Escapes engine strings for XML/HTML text and attribute values (the SVG export): markup characters become
 * entities, controls (which XML cannot carry) become visible `\xHH`, bidi controls are marked.
 */
export function escapeXml(value: string): string {
  return visibleText(value, "\n\t")
    .replace(NONCHAR, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
