/** A child of `h`: an element, or text that is always inserted as a text node (never parsed as HTML). */
export type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element. Engine-provided strings only ever become text nodes or attribute values,
 * so a container named `<img onerror=…>` is shown, not run.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {}))
    if (value !== undefined) el.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : String(child));
  }
  return el;
}
