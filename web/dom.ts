import { markBidi } from "../server/model/escape/bidi.ts";

/** Attributes a person reads (tooltips, screen-reader labels): bidi controls are marked there too. */
const SHOWN_ATTRS = new Set(["title", "aria-label"]);

/** A child of `h`: an element, or text that is always inserted as a text node (never parsed as HTML). */
export type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element. Engine-provided strings only ever become text nodes or attribute values,
 * so a container named `<img onerror=…>` is shown, not run; bidi controls (U+202E…) in them are marked
 * visibly, so a name cannot disguise itself.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {}))
    if (value !== undefined) el.setAttribute(name, SHOWN_ATTRS.has(name) ? markBidi(value) : value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : markBidi(String(child)));
  }
  return el;
}
