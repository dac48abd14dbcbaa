import { visibleText } from "./controls.ts";

/**
 * CLI text for a terminal: ESC, CSI, OSC 8 hyperlinks, `\r`, `\b` and every other C0/C1 control become
 * visible `\xHH`, bidi controls are marked; line breaks and tabs stay (they are the text's own layout).
 * Ordinary Unicode passes unchanged.
 */
export function escapeTerminal(text: string): string {
  return visibleText(text, "\n\t");
}
