import { markBidi } from "../server/model/escape/bidi.ts";
import { fetchProbeCapability } from "./api.ts";
import { renderBanner } from "./banner.ts";
import { renderDetails } from "./details.ts";
import { compareBlock } from "./explain/compare.ts";
import { renderExplanation } from "./explain/panel.ts";
import { createProbeRunner } from "./explain/probe-runner.ts";
import { createMachines } from "./fleet/health.ts";
import { createFleetStrip } from "./fleet/strip.ts";
import { createLayout } from "./graph/layout.ts";
import type { GraphModel } from "./graph/model.ts";
import { createAdaptiveView } from "./graph/adaptive-view.ts";
import { installGraphStyles } from "./graph/style-sheet.ts";
import { installKeys } from "./keys.ts";
import { createLegend } from "./legend.ts";
import { createMatrixView } from "./matrix/view.ts";
import { createReachPainter } from "./reach/painter.ts";
import { setupScale } from "./scale.ts";
import { createSideFolds } from "./side-folds.ts";
import { connectEvents } from "./sse.ts";
import { setupTeach } from "./teach/index.ts";
import type { ChangeReason, State, Tab } from "./store.ts";
import { createStore } from "./store.ts";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

installGraphStyles();
const store = createStore();
const svg = document.getElementById("graph") as unknown as SVGSVGElement;
const banner = byId("banner");
const details = byId("details");
const explain = byId("explain");
const side = explain.parentElement as HTMLElement;
const connection = byId("connection");
const source = byId("source");
const counts = byId("counts");
const updateLegend = createLegend(byId("legend"));
const layout = createLayout();
const graph = createAdaptiveView(svg, layout, {
  onSelect: (id, extend) => {
    const state = store.get();
    const from = reach.sourceEnd(state);
    const to = id === null ? null : reach.endOfNode(state, id);
    // Shift-click / Shift+Enter on a second end opens the explanation for the pair.
    if (extend && from !== null && to !== null && to !== from) store.setPair({ from, to });
    else store.select(id === state.selectedId ? null : id);
  },
  onHover: (id) => store.hover(id),
});
const reach = createReachPainter(graph, byId("reach-tooltip"));
const teach = setupTeach(store);
const machinesOf = createMachines();
const machines = (s: State) => machinesOf(s.topology, s.status);
const scale = setupScale(store, graph, byId("panel-graph"), teach.url, machines);
const updateFleet = createFleetStrip(byId("fleet"), (key) => {
  const shown = store.get().scope.nodes;
  store.setScope({ nodes: shown.length === 1 && shown[0] === key ? [] : [key], focus: null });
});
createSideFolds(store);
installKeys(graph, byId("panel-graph"));
const probes = createProbeRunner(store, () => reach.model());
const matrix = createMatrixView(byId("panel-matrix"), {
  open: (pair) => store.setPair(pair),
  setOptions: (options) => store.setMatrix(options),
});
let model: GraphModel | null = null;
let drawn = false;
let fitted = scale.restoredZoom;

function renderHeader(state: State): void {
  connection.dataset.state = state.connection;
  connection.textContent = { connecting: "connecting…", open: "live", reconnecting: "reconnecting…" }[
    state.connection
  ];
  if (state.connection === "open" && state.status && state.status.source.kind !== "live") {
    connection.textContent = "connected · not live";
  }
  const t = state.topology;
  source.textContent = t ? markBidi(`${t.source.kind} · ${t.source.label}`) : "";
  counts.textContent = t ? `${t.containers.length} containers · ${t.networks.length} networks` : "";
}

function renderTabs(state: State): void {
  for (const tab of ["graph", "matrix"] as const) {
    const button = byId(`tab-${tab}`);
    button.setAttribute("aria-selected", String(state.tab === tab));
    button.tabIndex = state.tab === tab ? 0 : -1;
    byId(`panel-${tab}`).hidden = state.tab !== tab;
  }
  document.body.dataset.tab = state.tab;
}

/** Node keys of a model, to tell a new set of nodes (filter, focus, collapse) from a redraw of the same. */
const nodeSet = (m: GraphModel): string => m.nodes.map((n) => n.key).join("\n");
let drawnNodes = "";
let refitOnSettle = false;

/** Filter, focus and collapse re-fit the view as a deep link does: now, and again once the layout rests. */
function refit(): void {
  graph.fit(true, scale.fitTarget());
  refitOnSettle = !layout.settled();
}

/** The graph: a new model when the topology, the view options or the scope change. */
function drawGraph(state: State, reason: ChangeReason): void {
  if (!state.topology) return;
  const topologyChanged = reason !== "view";
  model = scale.model(state);
  graph.update(model);
  updateLegend(
    model.groups.filter((g) => g.by === "project"),
    model.lanes !== undefined,
  );
  // Until the first layout settles (big graphs take a few seconds), frame what there is.
  if (!drawn && !fitted && model.nodes.length > 0) graph.fit(false);
  const nodes = topologyChanged ? drawnNodes : nodeSet(model);
  if (!topologyChanged && drawn && fitted && nodes !== drawnNodes) refit();
  drawnNodes = topologyChanged ? nodeSet(model) : nodes;
  drawn = model.nodes.length > 0;
}

/** Search, selection and reachability paint on the graph; each step is memoised, so this runs on every change. */
function paintGraph(state: State): void {
  scale.applySearch(state.scope.query);
  graph.setShowAddresses(state.view.showAddresses);
  graph.highlight(state.selectedId, state.hoverId);
  reach.update(state, model);
}

function drawExplanation(state: State): void {
  renderExplanation(explain, state, reach.model(), {
    close: () => store.setPair(null),
    swap: () => state.pair && store.setPair({ from: state.pair.to, to: state.pair.from }),
    probe: () => void probes.run(),
    cancelProbe: () => probes.cancel(),
  });
}

function drawDetails(state: State): void {
  details.hidden = state.pair !== null;
  side.classList.toggle("explaining", state.pair !== null);
  const from = reach.sourceEnd(state);
  const current = reach.model();
  renderDetails(
    details,
    state,
    (id) => {
      store.select(id);
      graph.focus(id);
    },
    () => (from && current ? compareBlock(current, from, (to) => store.setPair({ from, to })) : null),
  );
}

type Panel = [select: (state: State) => unknown, draw: (state: State, reason: ChangeReason) => void];
/** Each part of the page with what it reads; it redraws when that changes (in this order: graph first). */
const PANELS: Panel[] = [
  [(s) => [s.topology, s.view, s.scope, machines(s)], drawGraph],
  [(s) => s, paintGraph],
  [(s) => [s.status, s.connection, s.topology], (s) => renderBanner(banner, s)],
  [(s) => [s.status, s.connection, s.topology], renderHeader],
  [(s) => [machines(s), s.scope.nodes], (s) => updateFleet(machines(s), s.scope.nodes)],
  [(s) => s.tab, renderTabs],
  [(s) => s.pair, () => probes.cancel()],
  [(s) => [s.topology, s.pair, s.probe, s.probes, s.connection], drawExplanation],
  [(s) => [s.topology, s.selectedId, s.hoverId, s.connection, s.pair, s.observed], drawDetails],
  [
    (s) => [s.tab, s.topology, s.matrix, s.probe, s.observed],
    (s) => void (s.tab === "matrix" && matrix.update(reach.model(), s)),
  ],
  [(s) => s.seq, (s) => void (document.body.dataset.seq = String(s.seq))],
];
for (const [select, draw] of PANELS) store.watch(select, (_, state, reason) => draw(state, reason));
store.subscribe((_, reason) => {
  if (reason === "snapshot") void fetchProbeCapability().then((caps) => store.setProbes(caps));
});
// While a big first layout is still converging, keep it framed unless the user took over the view.
let lastAutoFit = 0;
layout.onTick(() => {
  if (fitted || graph.userZoomed() || performance.now() - lastAutoFit < 1000) return;
  lastAutoFit = performance.now();
  graph.fit(false);
});
layout.onSettled(() => {
  svg.setAttribute("data-layout", "settled");
  if (!model || model.nodes.length === 0) return;
  if (fitted && !refitOnSettle) return;
  refitOnSettle = false;
  fitted = true;
  graph.fit(drawn, scale.fitTarget());
});

function bindToggle(id: string, apply: (checked: boolean) => void): void {
  const input = byId<HTMLInputElement>(id);
  input.addEventListener("change", () => apply(input.checked));
}
bindToggle("opt-system", (showSystem) => store.setView({ showSystem }));
bindToggle("opt-empty", (showEmpty) => store.setView({ showEmpty }));
bindToggle("opt-labels", (showAddresses) => store.setView({ showAddresses }));
byId("fit").addEventListener("click", () => graph.fit(true, scale.fitTarget()));
for (const tab of ["graph", "matrix"] as Tab[]) {
  const button = byId(`tab-${tab}`);
  button.addEventListener("click", () => store.setTab(tab));
  button.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const other: Tab = tab === "graph" ? "matrix" : "graph";
    store.setTab(other);
    byId(`tab-${other}`).focus();
  });
}
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  if (store.get().pair) {
    store.setPair(null);
    return;
  }
  store.select(null);
  store.hover(null);
  (document.activeElement as HTMLElement | null)?.blur?.();
});

for (const [, draw] of PANELS) draw(store.get(), "connection");
connectEvents(teach.feed);
