import type { CanvasView } from "./canvas-render.ts";
import { createCanvasView } from "./canvas-render.ts";
import type { Layout } from "./layout.ts";
import { feedLayout } from "./layout.ts";
import type { GraphModel } from "./model.ts";
import type { GraphCallbacks, GraphView } from "./render.ts";
import { createGraphView } from "./render.ts";

/**
 * Above this many nodes the graph is drawn on a canvas; below it as SVG (accessible DOM, exports). Measured
 * (`npm run bench`, CPU raster): SVG pans at ~20 fps with 1,100 nodes, the canvas at ~40 with 5,500.
 */
export const CANVAS_THRESHOLD = 1000;

export type RenderMode = "svg" | "canvas";

/** One `GraphView` that draws with SVG or canvas by size; the rest of the page never knows which. */
export interface AdaptiveView extends GraphView {
  mode(): RenderMode;
  model(): GraphModel;
  canvas(): CanvasView | null;
  layout: Layout;
}

const EMPTY: GraphModel = { nodes: [], links: [], groups: [] };

/** Creates both renderers lazily around one layout; the canvas only once a graph needs it. */
export function createAdaptiveView(
  svg: SVGSVGElement,
  layout: Layout,
  callbacks: GraphCallbacks,
): AdaptiveView {
  // The views share the layout, which this view alone feeds; an idle view is emptied, not fed.
  const facade: Layout = { ...layout, update: () => undefined };
  const svgView = createGraphView(svg, facade, callbacks);
  let canvasView: CanvasView | null = null;
  let mode: RenderMode = "svg";
  let current: GraphModel = EMPTY;
  let state = {
    selectedId: null as string | null,
    hoverId: null as string | null,
    addresses: true,
    search: null as ReadonlySet<string> | null,
  };
  const zoomEnd: Array<() => void> = [];
  const active = (): GraphView => (mode === "canvas" && canvasView ? canvasView : svgView);
  const element = (): HTMLElement | SVGSVGElement =>
    mode === "canvas" && canvasView ? canvasView.element : svg;

  function ensureCanvas(): CanvasView {
    if (!canvasView) {
      canvasView = createCanvasView(svg.parentElement as HTMLElement, facade, callbacks);
      for (const f of zoomEnd) canvasView.onZoomEnd(f);
    }
    return canvasView;
  }

  // A fresh small layout is computed before its first paint; until then the graph stays hidden.
  layout.onTick(() => {
    if (!layout.pending()) element().style.visibility = "";
  });

  return {
    layout,
    mode: () => mode,
    model: () => current,
    canvas: () => canvasView,
    update(model) {
      if (model === current) return;
      current = model;
      feedLayout(layout, model);
      const next: RenderMode = model.nodes.length > CANVAS_THRESHOLD ? "canvas" : "svg";
      if (next !== mode) {
        const zoom = active().zoomState();
        if (next === "canvas") {
          svgView.update(EMPTY);
          svg.style.display = "none";
          ensureCanvas().setActive(true);
        } else {
          canvasView?.setActive(false);
          svg.style.display = "";
        }
        // Carry the view over only when the user chose it; otherwise the page keeps fitting the new graph.
        const chosen = active().userZoomed();
        mode = next;
        if (chosen) active().setZoom(zoom);
        active().setShowAddresses(state.addresses);
        active().setSearch(state.search);
      }
      active().update(model);
      active().highlight(state.selectedId, state.hoverId);
      if (layout.pending()) element().style.visibility = "hidden";
    },
    highlight(selectedId, hoverId) {
      state = { ...state, selectedId, hoverId };
      active().highlight(selectedId, hoverId);
    },
    paintReach: (paint) => active().paintReach(paint),
    anchor: (id) => active().anchor(id),
    setShowAddresses(show) {
      state = { ...state, addresses: show };
      active().setShowAddresses(show);
    },
    fit: (animate, ids) => active().fit(animate, ids),
    zoomTo: (id) => active().zoomTo(id),
    setSearch(ids) {
      state = { ...state, search: ids };
      active().setSearch(ids);
    },
    userZoomed: () => active().userZoomed(),
    focus: (id) => active().focus(id),
    zoomState: () => active().zoomState(),
    setZoom: (z) => active().setZoom(z),
    onZoomEnd(callback) {
      zoomEnd.push(callback);
      svgView.onZoomEnd(callback);
      canvasView?.onZoomEnd(callback);
    },
  };
}
