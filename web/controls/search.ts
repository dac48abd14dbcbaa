import type { Topology } from "../../server/model/topology.ts";
import { h } from "../dom.ts";
import type { SearchEntry } from "./search-index.ts";
import { indexForSearch, search } from "./search-index.ts";

export interface SearchActions {
  /** The query changed (kept in the store, so the URL carries it). */
  setQuery(query: string): void;
  /** Enter or a click on a result: select it and bring it into view. */
  open(entry: SearchEntry): void;
  /** Whether a result is drawn in the current scope (a filtered-out one is marked). */
  drawn(entry: SearchEntry): boolean;
}

export interface SearchBox {
  el: HTMLElement;
  update(topology: Topology | null, query: string): void;
  /** Every entry the query matches (null when the box is empty), for the graph to dim the rest. */
  matches(): SearchEntry[] | null;
}

const LIMIT = 50;

/** A search box with a results list (a combobox): arrows move, Enter opens the active result, Escape closes. */
export function createSearchBox(actions: SearchActions): SearchBox {
  const input = h("input", {
    type: "search",
    id: "search",
    placeholder: "Search name, image, IP, label…",
    autocomplete: "off",
    role: "combobox",
    "aria-label": "Search containers and networks by name, image, IP address or label",
    "aria-controls": "search-results",
    "aria-expanded": "false",
    "aria-autocomplete": "list",
  });
  const list = h("ul", { id: "search-results", role: "listbox", "aria-label": "Search results", hidden: "" });
  const count = h("span", { id: "search-count", class: "search-count", "aria-live": "polite" });
  const el = h("div", { class: "search" }, input, count, list);
  let topology: Topology | null = null;
  let index: SearchEntry[] | null = null;
  let results: SearchEntry[] = [];
  let active = 0;

  function render(): void {
    // Indexed on first use after a change, so deltas cost nothing while nobody searches.
    index ??= topology ? indexForSearch(topology) : [];
    const { total, entries } = search(index, input.value, LIMIT);
    results = entries;
    active = Math.min(active, Math.max(0, entries.length - 1));
    const open = input.value.trim() !== "" && document.activeElement === input;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    count.textContent = input.value.trim() === "" ? "" : total > LIMIT ? `${LIMIT} of ${total}` : `${total}`;
    list.dataset.total = String(total);
    list.replaceChildren(
      ...entries.map((e, i) =>
        h(
          "li",
          {
            id: `search-result-${i}`,
            role: "option",
            class: `search-result ${e.kind}${actions.drawn(e) ? "" : " hidden-by-scope"}`,
            "aria-selected": String(i === active),
            "data-id": e.id,
          },
          h("span", { class: "name" }, e.name),
          h("span", { class: "detail" }, e.kind === "network" ? `network · ${e.detail}` : e.detail),
        ),
      ),
    );
    if (entries.length) input.setAttribute("aria-activedescendant", `search-result-${active}`);
    else input.removeAttribute("aria-activedescendant");
  }

  input.addEventListener("input", () => {
    active = 0;
    actions.setQuery(input.value);
    render();
  });
  input.addEventListener("focus", render);
  input.addEventListener("blur", () => {
    // After a click on a result has been handled.
    setTimeout(() => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = Math.max(0, Math.min(results.length - 1, active + step));
      render();
      list.querySelector(`#search-result-${active}`)?.scrollIntoView({ block: "nearest" });
    } else if (event.key === "Enter") {
      event.preventDefault();
      const entry = results[active];
      if (entry) actions.open(entry);
    } else if (event.key === "Escape" && input.value) {
      event.stopPropagation();
      input.value = "";
      actions.setQuery("");
      render();
    }
  });
  list.addEventListener("mousedown", (event) => event.preventDefault());
  list.addEventListener("click", (event) => {
    const li = (event.target as Element).closest<HTMLElement>("li[data-id]");
    const entry = results.find((e) => e.id === li?.dataset.id);
    if (entry) actions.open(entry);
  });

  return {
    el,
    matches() {
      if (input.value.trim() === "") return null;
      index ??= topology ? indexForSearch(topology) : [];
      const { ids } = search(index, input.value, 0);
      return index.filter((e) => ids.has(e.id));
    },
    update(next, query) {
      if (next !== topology) {
        topology = next;
        index = null;
      }
      if (input.value !== query) input.value = query;
      if (document.activeElement === input || !list.hidden) render();
    },
  };
}
