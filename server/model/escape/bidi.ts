/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): invisible, yet they reorder the text
 * around them, so `abc\u202Egpj.exe` reads as `abcexe.jpg`. Every destination shows them as a visible mark.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `⟪U+202E⟫` for each bidi control in `value`; the names themselves are left alone in the topology data. */
export function markBidi(value: string): string {
  return value.replace(BIDI, (c) => `⟪U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}⟫`);
}

/** Whether `value` holds a bidi control: the check the tests and the stress report share. */
export function hasBidi(value: string): boolean {
  return new RegExp(BIDI.source).test(value);
}
