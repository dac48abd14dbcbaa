import { renderBanner } from "./banner.ts";
import { renderDetails } from "./details.ts";
import { createLayout } from "./graph/layout.ts";
import type { GraphModel } from "./graph/model.ts";
import { buildGraphModel } from "./graph/model.ts";
import { createGraphView } from "./graph/render.ts";
import { createLegend } from "./legend.ts";
import { connectEvents } from "./sse.ts";
import type { ChangeReason, State } from "./store.ts";
import { createStore } from "./store.ts";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

const store = createStore();
const svg = document.getElementById("graph") as unknown as SVGSVGElement;
const banner = byId("banner");
const details = byId("details");
const connection = byId("connection");
const source = byId("source");
const counts = byId("counts");
const updateLegend = createLegend(byId("legend"));
const layout = createLayout();
const graph = createGraphView(svg, layout, {
  onSelect: (id) => store.select(id === store.get().selectedId ? null : id),
  onHover: (id) => store.hover(id),
});
let model: GraphModel | null = null;
let drawn = false;
let fitted = false;

function renderHeader(state: State): void {
  connection.dataset.state = state.connection;
  connection.textContent = { connecting: "connecting…", open: "live", reconnecting: "reconnecting…" }[
    state.connection
  ];
  if (state.connection === "open" && state.status && state.status.source.kind !== "live") {
    connection.textContent = "connected · not live";
  }
  const t = state.topology;
  source.textContent = t ? `${t.source.kind} · ${t.source.label}` : "";
  counts.textContent = t ? `${t.containers.length} containers · ${t.networks.length} networks` : "";
}

function render(state: State, reason: ChangeReason): void {
  if (state.topology && (reason === "snapshot" || reason === "delta" || reason === "view")) {
    model = buildGraphModel(state.topology, state.view);
    graph.update(model);
    updateLegend(model.groups);
    // Until the first layout settles (big graphs take a few seconds), frame what there is.
    if (!drawn && !fitted && model.nodes.length > 0) graph.fit(false);
    drawn = model.nodes.length > 0;
  }
  graph.setShowAddresses(state.view.showAddresses);
  graph.highlight(state.selectedId, state.hoverId);
  renderBanner(banner, state);
  renderHeader(state);
  renderDetails(details, state, (id) => {
    store.select(id);
    graph.focus(id);
  });
  document.body.dataset.seq = String(state.seq);
}

store.subscribe(render);
// While a big first layout is still converging, keep it framed unless the user took over the view.
let lastAutoFit = 0;
layout.onTick(() => {
  if (fitted || graph.userZoomed() || performance.now() - lastAutoFit < 1000) return;
  lastAutoFit = performance.now();
  graph.fit(false);
});
layout.onSettled(() => {
  svg.setAttribute("data-layout", "settled");
  if (fitted || !model || model.nodes.length === 0) return;
  fitted = true;
  graph.fit(drawn);
});

function bindToggle(id: string, apply: (checked: boolean) => void): void {
  const input = byId<HTMLInputElement>(id);
  input.addEventListener("change", () => apply(input.checked));
}
bindToggle("opt-system", (showSystem) => store.setView({ showSystem }));
bindToggle("opt-empty", (showEmpty) => store.setView({ showEmpty }));
bindToggle("opt-labels", (showAddresses) => store.setView({ showAddresses }));
byId("fit").addEventListener("click", () => graph.fit());
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  store.select(null);
  store.hover(null);
  (document.activeElement as HTMLElement | null)?.blur?.();
});

render(store.get(), "connection");
connectEvents(store);
