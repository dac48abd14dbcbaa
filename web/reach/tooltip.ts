import type { PairExplanation } from "../../server/model/reachability/index.ts";
import { h } from "../dom.ts";
import { ruleBadge } from "../explain/widgets.ts";
import { decidingReason, GLYPH, pathText } from "./describe.ts";

/**
 * Shows, next to a hovered node, whether the selected source reaches it: the verdict, the path and the rule
 * that decided it. Hidden when `e` or `anchor` is null.
 */
export function renderReachTooltip(el: HTMLElement, e: PairExplanation | null, anchor: DOMRect | null): void {
  if (!e || !anchor) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  const reason = decidingReason(e);
  const path = e.paths.find((p) => p.verdict === e.verdict) ?? e.paths[0];
  el.dataset.verdict = e.verdict;
  const parts = [
    h(
      "p",
      { class: `tip-verdict verdict-${e.verdict}` },
      h("span", { class: "glyph", "aria-hidden": "true" }, GLYPH[e.verdict]),
      ` ${e.from.name} → ${e.to.name}: ${e.verdict}`,
    ),
    path ? h("p", { class: "tip-path" }, pathText(path)) : h("p", { class: "tip-path muted" }, "no path"),
    reason ? h("p", { class: "tip-reason" }, ruleBadge(reason.rule, reason.text), " ", reason.text) : null,
    e.fix?.commands.length ? h("p", { class: "tip-fix muted" }, "shift-click for the fix") : null,
  ];
  el.replaceChildren(...parts.filter((p): p is HTMLParagraphElement => p !== null));
  el.hidden = false;
  const box = (el.offsetParent ?? document.body).getBoundingClientRect();
  const left = Math.min(anchor.right - box.left + 8, box.width - el.offsetWidth - 8);
  const top = Math.min(anchor.top - box.top, box.height - el.offsetHeight - 8);
  el.style.left = `${Math.max(8, left)}px`;
  el.style.top = `${Math.max(8, top)}px`;
}
