import { h } from "../dom.ts";
import type { MatrixOptions } from "../store.ts";

/** The matrix's controls: name order, grouping, and a count. */
export function createMatrixBar(set: (options: Partial<MatrixOptions>) => void): {
  el: HTMLElement;
  update(options: MatrixOptions, containers: number): void;
} {
  const sort = h("button", { type: "button", class: "mx-sort", "aria-label": "Sort by name" }, "Name ↑");
  const group = h(
    "select",
    { class: "mx-group-by", "aria-label": "Group rows and columns" },
    h("option", { value: "none" }, "no grouping"),
    h("option", { value: "project" }, "by compose project"),
    h("option", { value: "network" }, "by network"),
  );
  const count = h("span", { class: "muted" });
  let current: MatrixOptions = { sort: "asc", group: "none" };
  sort.addEventListener("click", () => set({ sort: current.sort === "asc" ? "desc" : "asc" }));
  group.addEventListener("change", () => set({ group: group.value as MatrixOptions["group"] }));
  const legend = h(
    "span",
    { class: "mx-legend" },
    // Rows are sources: say the direction, so "blocked" never reads as "cannot be reached from".
    h("span", { class: "mx-cell v-reachable", "aria-hidden": "true" }, "✓"),
    " row reaches column ",
    h("span", { class: "mx-cell v-blocked", "aria-hidden": "true" }, "✗"),
    " row cannot reach column ",
    h("span", { class: "mx-cell v-unknown", "aria-hidden": "true" }, "?"),
    " unknown · click a cell to explain it",
  );
  const el = h("div", { class: "mx-bar" }, sort, group, count, legend);
  return {
    el,
    update(options, containers) {
      current = options;
      sort.textContent = options.sort === "asc" ? "Name ↑" : "Name ↓";
      sort.setAttribute("aria-label", `Sort by name, now ${options.sort === "asc" ? "A to Z" : "Z to A"}`);
      group.value = options.group;
      count.textContent = `${containers} containers + @host`;
    },
  };
}
