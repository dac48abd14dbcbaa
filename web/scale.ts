import "./controls/scale.css";
import { createFilters } from "./controls/filters.ts";
import { createScopeActions } from "./controls/scope-actions.ts";
import type { SearchEntry } from "./controls/search-index.ts";
import { createSearchBox } from "./controls/search.ts";
import { h } from "./dom.ts";
import type { Machine } from "./fleet/health.ts";
import type { AdaptiveView } from "./graph/adaptive-view.ts";
import type { GraphModel } from "./graph/model.ts";
import { createScopedModel } from "./scale-model.ts";
import { collapsedGroupOf, collapsedId, NO_FILTERS, serviceIdOf } from "./scope/scope.ts";
import type { State, Store } from "./store.ts";
import type { TeachUrl } from "./teach/index.ts";
import { installTestHooks } from "./test-hooks.ts";
import { formatUrlState, parseUrlState } from "./url-state.ts";

export interface Scale {
  /** The graph model of the store's current scope (memoised). */
  model(state: State): GraphModel;
  /** Dims what the search does not match and frames the matches; call after the graph drew the state. */
  applySearch(query: string): void;
  /** The nodes a fit should frame: the search's matches while there are any, else everything. */
  fitTarget(): ReadonlySet<string> | undefined;
  /** True when the URL set the zoom, so the page must not fit the graph over it. */
  restoredZoom: boolean;
}

const URL_WRITE_MS = 120;
/** The view follows the search once typing pauses this long. */
const SEARCH_FIT_MS = 250;

/**
 * The page at scale: search, filters, collapse and focus controls, the view state in the URL, and the test
 * hooks. Call before the first render; it applies the URL's state to the store.
 */
export function setupScale(
  store: Store,
  graph: AdaptiveView,
  panel: HTMLElement,
  teach: TeachUrl,
  machines: (state: State) => readonly Machine[],
): Scale {
  const initial = parseUrlState(location.search);
  store.setScope(initial.scope);
  store.setView(initial.view);
  if (initial.tab) store.setTab(initial.tab);
  if (Object.keys(initial.matrix).length) store.setMatrix(initial.matrix);
  if (initial.zoom) graph.setZoom(initial.zoom);
  const checkboxes = {
    "opt-system": "showSystem",
    "opt-empty": "showEmpty",
    "opt-labels": "showAddresses",
  } as const;
  for (const [id, key] of Object.entries(checkboxes)) {
    const input = document.getElementById(id) as HTMLInputElement | null;
    if (input) input.checked = store.get().view[key];
  }

  let drawnIds: { model: GraphModel; ids: Set<string> } | null = null;
  const drawn = (id: string): boolean => {
    const model = graph.model();
    if (drawnIds?.model !== model) drawnIds = { model, ids: new Set(model.nodes.map((n) => n.id)) };
    return drawnIds.ids.has(id);
  };
  /** The drawn node standing for a match the collapse hides, if any: its project's, or its swarm service's. */
  function collapsedNodeOf(e: SearchEntry, collapsed: ReadonlySet<string>): string | null {
    const compose = e.project && e.service ? { project: e.project, service: e.service } : undefined;
    const group = collapsedGroupOf(compose, collapsed);
    if (group && drawn(collapsedId(group))) return collapsedId(group);
    const service = e.swarmService ? serviceIdOf(store.get(), e.swarmService) : null;
    return service !== null && drawn(service) ? service : null;
  }
  function open(entry: SearchEntry): void {
    let id = entry.id;
    if (!drawn(id)) {
      const group = collapsedNodeOf(entry, new Set(store.get().scope.collapsed));
      if (group) id = group;
      // A match the filters hide: drop the filters, so Enter always shows what was found.
      else store.setScope(NO_FILTERS);
    }
    store.select(id);
    graph.zoomTo(id);
  }
  const search = createSearchBox({
    setQuery: (query) => store.setScope({ query }),
    open,
    drawn: (e) => drawn(e.id),
  });
  const filters = createFilters((scope) => store.setScope(scope));
  const actions = createScopeActions({
    set: (scope) => store.setScope(scope),
    select: (id) => store.select(id),
  });
  const bar = h("div", {
    id: "scalebar",
    class: "scalebar",
    role: "toolbar",
    "aria-label": "Search and scope",
  });
  bar.append(search.el, filters.el, actions.el);
  document.querySelector("header.topbar")?.after(bar);

  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  // Until the link's example, what-ifs, selection and pair are back, writing the URL would drop them.
  let restoring = true;
  function writeUrl(): void {
    urlTimer = undefined;
    if (restoring) return;
    const qs = formatUrlState(store.get(), graph.userZoomed() ? graph.zoomState() : null, teach.view());
    const next = `${location.pathname}${qs ? `?${qs}` : ""}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`)
      history.replaceState(history.state, "", next);
  }
  const scheduleUrl = (): void => {
    urlTimer ??= setTimeout(writeUrl, URL_WRITE_MS);
  };
  graph.onZoomEnd(scheduleUrl);
  teach.subscribe(scheduleUrl);
  void teach.restore(initial).finally(() => {
    restoring = false;
    document.body.dataset.restored = "true";
    scheduleUrl();
  });

  // Search filters the graph: matches stay, the rest dims, and the view frames the matches.
  let searched: { query: string; model: GraphModel } | null = null;
  let matched: ReadonlySet<string> | undefined;
  let searchFit: ReturnType<typeof setTimeout> | undefined;
  function applySearch(query: string): void {
    const model = graph.model();
    if (searched?.query === query && searched.model === model) return;
    const changed = searched !== null && searched.query !== query;
    searched = { query, model };
    const entries = search.matches();
    if (!entries) matched = undefined;
    else {
      const ids = new Set<string>();
      const collapsed = new Set(store.get().scope.collapsed);
      for (const e of entries) {
        if (drawn(e.id)) ids.add(e.id);
        else {
          const group = collapsedNodeOf(e, collapsed);
          if (group) ids.add(group);
        }
      }
      matched = ids;
    }
    graph.setSearch(matched ?? null);
    if (!changed) return;
    clearTimeout(searchFit);
    searchFit = setTimeout(() => graph.fit(true, matched?.size ? matched : undefined), SEARCH_FIT_MS);
  }

  let actionsSelected: string | null = null;
  store.subscribe((state, reason) => {
    if (reason !== "selection" || state.selectedId !== actionsSelected) {
      search.update(state.topology, state.scope.query);
      filters.update(state.topology, state.scope);
      actions.update(state);
      actionsSelected = state.selectedId;
    }
    scheduleUrl();
  });
  installTestHooks(store, graph, panel);
  return {
    model: createScopedModel(machines),
    applySearch,
    fitTarget: () => (matched?.size ? matched : undefined),
    restoredZoom: initial.zoom !== null,
  };
}
