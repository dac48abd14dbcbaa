/** Characters JSON.stringify leaves raw that a terminal or an editor would act on: DEL, C1, bidi, U+2028/9. */
const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON text with those characters written as `\uXXXX` escapes. They can only occur inside strings, so the
 * document parses to exactly the same value (names stay exact for commands and look-ups) yet prints inertly.
 */
export function inertJson(json: string): string {
  return json.replace(RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `JSON.stringify` for output: inert (see {@link inertJson}), pretty-printed when `indent` is given. */
export function stringifyJson(value: unknown, indent?: number): string {
  return inertJson(JSON.stringify(value, null, indent));
}
