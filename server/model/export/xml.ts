import { escapeXml } from "../escape/xml.ts";

/** A number as SVG writes it: at most one decimal, no `-0`. */
export function fmt(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

/** `name="value"` pairs, escaped, in the given order; undefined values are left out. */
export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? fmt(v) : escapeXml(v as string)}"`)
    .join("");
}

/** A rough width of text in a sans-serif font, for sizing the canvas (no font metrics in the pure core). */
export function textWidth(value: string, fontSize: number): number {
  return value.length * fontSize * 0.58;
}
