import type { Verdict } from "../../server/model/reachability/index.ts";
import { h } from "../dom.ts";
import type { ReachModel } from "../reach/model.ts";
import { HOST_END } from "../store.ts";

/**
 * The selected end's reachability in the details panel: how many it reaches, and a keyboard-friendly
 * "compare with…" picker that opens the explanation for a pair (shift-click does the same in the graph).
 */
export function compareBlock(
  model: ReachModel,
  source: string,
  onCompare: (to: string) => void,
): HTMLElement | null {
  const from = model.indexOf(source);
  if (from === undefined) return null;
  const row = model.row(from);
  const counts: Record<Verdict, number> = { reachable: 0, blocked: 0, unknown: 0 };
  const targets = model.topology.containers
    .map((c, i) => ({ end: c.id, name: c.name, verdict: row.verdict(i) }))
    .filter((t) => t.end !== source);
  if (source !== HOST_END) targets.push({ end: HOST_END, name: HOST_END, verdict: row.host });
  for (const t of targets) counts[t.verdict]++;
  targets.sort((a, b) => a.name.localeCompare(b.name));
  const select = h(
    "select",
    { class: "compare-target", "aria-label": "Compare with" },
    ...targets.map((t) => h("option", { value: t.end }, `${t.name} — ${t.verdict}`)),
  );
  const go = h("button", { type: "button", class: "compare-go" }, "Explain");
  go.addEventListener("click", () => onCompare(select.value));
  select.addEventListener("keydown", (event) => {
    if (event.key === "Enter") onCompare(select.value);
  });
  return h(
    "section",
    { class: "compare" },
    h("h3", null, "Reachability"),
    h(
      "p",
      { class: "reach-counts" },
      `reaches ${counts.reachable} · cannot reach ${counts.blocked} · ${counts.unknown} unknown`,
    ),
    h("label", null, "Compare with… ", select),
    " ",
    go,
    h("p", { class: "hint" }, "Or shift-click (Shift+Enter) a second node in the graph."),
  );
}
