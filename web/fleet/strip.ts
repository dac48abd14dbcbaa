import { h } from "../dom.ts";
import type { Machine } from "./health.ts";

/**
 * The fleet's machines as a row of toggle buttons: each engine's or swarm node's name and health (a lost
 * engine or a down node reads as such), and a click or Enter shows only that machine's containers.
 */
export function createFleetStrip(
  el: HTMLElement,
  toggle: (key: string) => void,
): (machines: readonly Machine[], shownNodes: readonly string[]) => void {
  el.addEventListener("click", (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button[data-machine]");
    if (button) toggle(button.dataset.machine ?? "");
  });
  let drawn = "";
  return (machines, shownNodes) => {
    const key = JSON.stringify([machines.map((m) => [m.key, m.state, m.text, m.engine?.error]), shownNodes]);
    if (key === drawn) return;
    drawn = key;
    // One engine and no swarm: the header's connection state says it all.
    el.hidden = machines.length < 2;
    el.replaceChildren(
      ...machines.map((m) => {
        const error = m.engine?.error ? `: ${m.engine.error}` : "";
        const where = m.engine?.url ? ` (${m.engine.url})` : "";
        return h(
          "li",
          { class: "machine", "data-state": m.state, "data-availability": m.availability ?? undefined },
          h(
            "button",
            {
              type: "button",
              "data-machine": m.key,
              "aria-pressed": String(shownNodes.includes(m.key)),
              title: `${m.key}${where}: ${m.text}${error}. Click to show only its containers.`,
            },
            h("span", { class: "machine-dot", "aria-hidden": "true" }),
            h("strong", null, m.key),
            " ",
            h("span", { class: "machine-text" }, m.state === "live" ? m.text : `${m.state} · ${m.text}`),
          ),
        );
      }),
    );
  };
}
