import { markBidi } from "./bidi.ts";

/** C0 controls, DEL and C1 controls (U+0080–U+009F: 8-bit CSI, OSC… that some terminals obey). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `\x1b`, `\x9b`: a control shown as the escape a person would type. */
function show(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * The text of an engine string as every destination shows it: controls as `\xHH`, bidi controls marked.
 * `keep` lists the controls the destination lays out itself (a line break in a DOT label, a tab in a terminal).
 */
export function visibleText(value: string, keep = ""): string {
  return markBidi(value.replace(CONTROL, (c) => (keep.includes(c) ? c : show(c))));
}
