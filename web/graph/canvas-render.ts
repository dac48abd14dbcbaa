import type { Quadtree, ZoomBehavior, ZoomTransform } from "d3";
import { quadtree, select, zoom, zoomIdentity } from "d3";
import { createAnnouncer, nearestTo, stepFrom } from "./canvas-keys.ts";
import type { Frame } from "./canvas-paint.ts";
import { paintFrame, REACH } from "./canvas-paint.ts";
import type { Scene } from "./canvas-scene.ts";
import { buildScene, neighbours } from "./canvas-scene.ts";
import { readTheme } from "./canvas-theme.ts";
import type { ReachPaint } from "./highlight.ts";
import type { Layout } from "./layout.ts";
import type { GraphModel } from "./model.ts";
import type { GraphCallbacks, GraphView } from "./render.ts";
import { FIT_MS, ZOOM_TO_SCALE } from "./render.ts";

/** The canvas renderer's extras beyond `GraphView`, for the test hooks and the benchmark. */
export interface CanvasView extends GraphView {
  readonly element: HTMLCanvasElement;
  /** IDs of the nodes drawn in the last frame (inside the view). */
  visibleIds(): string[];
  /** Redraws every frame (the benchmark's "panning" load) instead of only on change. */
  setContinuous(on: boolean): void;
  /** Stops drawing while another renderer is shown. */
  setActive(on: boolean): void;
}

const HIT_SLOP = 6;

/** A canvas renderer with the SVG renderer's interface, for graphs too big to draw as DOM. */
export function createCanvasView(parent: HTMLElement, layout: Layout, callbacks: GraphCallbacks): CanvasView {
  const canvas = document.createElement("canvas");
  canvas.id = "graph-canvas";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "graph");
  canvas.setAttribute("aria-label", "Containers and networks; arrow keys move between nodes, Enter selects");
  canvas.setAttribute("aria-describedby", "graph-live");
  Object.assign(canvas.style, { width: "100%", height: "100%", display: "none", cursor: "grab" });
  parent.prepend(canvas);
  const announcer = createAnnouncer(parent);
  const ctx = canvas.getContext("2d", { alpha: true }) as CanvasRenderingContext2D;
  let scene: Scene = buildScene({ nodes: [], links: [], groups: [] });
  let theme = readTheme();
  let t: ZoomTransform = zoomIdentity;
  let size = { width: 0, height: 0 };
  let dpr = window.devicePixelRatio || 1;
  let selected = -1;
  let hovered = -1;
  let active = -1;
  let near: Uint8Array | null = null;
  let reach: Uint8Array | null = null;
  let reachPaint: ReachPaint | null = null;
  let searchIds: ReadonlySet<string> | null = null;
  let match: Uint8Array | null = null;
  let showAddresses = true;
  let userZoomed = false;
  let continuous = false;
  let isActive = false;
  let frame: number | null = null;
  let visible: number[] = [];
  let tree: { xy: Float32Array; q: Quadtree<number> } | null = null;
  const zoomEnd: Array<() => void> = [];

  new ResizeObserver(([entry]) => {
    size = { width: entry.contentRect.width, height: entry.contentRect.height };
    dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * dpr);
    canvas.height = Math.round(size.height * dpr);
    draw();
  }).observe(canvas);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    theme = readTheme();
    invalidate();
  });

  function draw(): void {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = continuous && isActive ? requestAnimationFrame(draw) : null;
    if (!isActive || size.width === 0) return;
    const f: Frame = {
      t,
      width: size.width,
      height: size.height,
      dpr,
      theme,
      selected,
      hovered,
      active,
      near,
      reach,
      match,
      showAddresses,
    };
    visible = paintFrame(ctx, scene, layout.buffer(), f);
  }
  function invalidate(): void {
    if (frame === null && isActive) frame = requestAnimationFrame(draw);
  }
  layout.onTick(() => {
    tree = null;
    if (isActive) draw();
  });

  const zoomer: ZoomBehavior<HTMLCanvasElement, unknown> = zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([0.02, 6])
    .on("zoom", (event: { transform: ZoomTransform; sourceEvent: Event | null }) => {
      if (event.sourceEvent) userZoomed = true;
      t = event.transform;
      invalidate();
    })
    .on("end", () => zoomEnd.forEach((f) => f()));
  const root = select(canvas);
  root.call(zoomer).on("dblclick.zoom", null);

  /** The node under a client point, via a quadtree rebuilt only after positions moved. */
  function hit(clientX: number, clientY: number): number {
    const rect = canvas.getBoundingClientRect();
    const [x, y] = t.invert([clientX - rect.left, clientY - rect.top]);
    const xy = layout.buffer();
    if (!tree || tree.xy !== xy) {
      const q = quadtree<number>()
        .x((i) => xy[2 * i])
        .y((i) => xy[2 * i + 1])
        .addAll(scene.model.nodes.map((_, i) => i));
      tree = { xy, q };
    }
    const found = tree.q.find(x, y, 16 + HIT_SLOP / t.k);
    if (found === undefined) return -1;
    const d = Math.hypot(xy[2 * found] - x, xy[2 * found + 1] - y);
    return d <= scene.radius[found] + HIT_SLOP / t.k ? found : -1;
  }
  const idOf = (i: number): string | null => (i < 0 ? null : (scene.model.nodes[i]?.id ?? null));

  canvas.addEventListener("mousemove", (event) => {
    const i = hit(event.clientX, event.clientY);
    canvas.style.cursor = i >= 0 ? "pointer" : "grab";
    if (i !== hovered) callbacks.onHover(idOf(i));
  });
  canvas.addEventListener("mouseleave", () => callbacks.onHover(null));
  canvas.addEventListener("click", (event) =>
    callbacks.onSelect(idOf(hit(event.clientX, event.clientY)), event.shiftKey),
  );
  canvas.addEventListener("focus", () => {
    if (active < 0 && scene.model.nodes.length > 0) {
      const centre = t.invert([size.width / 2, size.height / 2]);
      active = selected >= 0 ? selected : (nearestTo(scene, layout.buffer(), centre[0], centre[1]) ?? -1);
    }
    announce();
    invalidate();
  });
  canvas.addEventListener("keydown", (event) => {
    if (active < 0) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      callbacks.onSelect(idOf(active), event.shiftKey);
      return;
    }
    const next = stepFrom(scene, layout.buffer(), active, event.key);
    if (next === null) return;
    event.preventDefault();
    active = next;
    keepInView(active);
    callbacks.onHover(idOf(active));
    announce();
    invalidate();
  });

  function announce(): void {
    const d = scene.model.nodes[active];
    const total = `${scene.model.nodes.length} nodes drawn on a canvas`;
    announcer.say(
      d ? `${d.aria}${d.sub ? `, ${d.sub}` : ""}. ${total}.` : `${total}. Tab here and use arrow keys.`,
    );
  }

  function keepInView(i: number): void {
    const xy = layout.buffer();
    const [sx, sy] = t.apply([xy[2 * i], xy[2 * i + 1]]);
    if (sx > 40 && sy > 40 && sx < size.width - 40 && sy < size.height - 40) return;
    root.call(zoomer.translateTo, xy[2 * i], xy[2 * i + 1]);
  }

  function paintReachCodes(): void {
    if (!reachPaint) {
      reach = null;
      return;
    }
    const codes = new Uint8Array(scene.model.nodes.length);
    scene.model.nodes.forEach((d, i) => {
      if (d.id === reachPaint?.sourceNode) codes[i] = REACH.source;
      else codes[i] = REACH[reachPaint?.verdictOf(d) ?? "none"];
    });
    reach = codes;
  }

  function highlight(selectedId: string | null, hoverId: string | null): void {
    selected = selectedId === null ? -1 : (scene.index.get(selectedId) ?? -1);
    hovered = hoverId === null ? -1 : (scene.index.get(hoverId) ?? -1);
    if (selected >= 0) {
      near = new Uint8Array(scene.model.nodes.length);
      near[selected] = 1;
      for (const i of neighbours(scene, selected)) near[i] = 1;
    } else near = null;
    invalidate();
  }

  /** Moves the view to `next`, animated unless asked not to or the user prefers reduced motion. */
  function move(next: ZoomTransform, animate: boolean): void {
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (animate && !reduced) root.transition().duration(FIT_MS).call(zoomer.transform, next);
    else root.call(zoomer.transform, next);
  }

  function fit(animate = true, ids?: ReadonlySet<string>): void {
    const xy = layout.buffer();
    const n = scene.model.nodes.length;
    if (n === 0 || size.width === 0) return;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      if (ids && !ids.has(scene.model.nodes[i].id)) continue;
      x0 = Math.min(x0, xy[2 * i]);
      x1 = Math.max(x1, xy[2 * i]);
      y0 = Math.min(y0, xy[2 * i + 1]);
      y1 = Math.max(y1, xy[2 * i + 1]);
    }
    // A fleet's whole map includes its tiles, so a machine with nothing on it (a down node) is in view too.
    for (const l of ids ? [] : (scene.model.lanes ?? [])) {
      [x0, y0] = [Math.min(x0, l.x0 + 60), Math.min(y0, l.y0 + 60)];
      [x1, y1] = [Math.max(x1, l.x1 - 60), Math.max(y1, l.y1 - 65)];
    }
    if (x0 === Infinity) return;
    const k = Math.min(2, 0.95 * Math.min(size.width / (x1 - x0 + 120), size.height / (y1 - y0 + 130)));
    move(
      zoomIdentity
        .translate(size.width / 2, size.height / 2)
        .scale(k)
        .translate(-(x0 + x1) / 2, -(y0 + y1) / 2),
      animate,
    );
  }

  function paintSearch(): void {
    if (!searchIds) {
      match = null;
      return;
    }
    const ids = searchIds;
    match = Uint8Array.from(scene.model.nodes, (d) => (ids.has(d.id) ? 1 : 0));
  }

  return {
    element: canvas,
    update(model: GraphModel) {
      const [sel, hov, act] = [idOf(selected), idOf(hovered), idOf(active)];
      scene = buildScene(model);
      tree = null;
      theme = readTheme();
      active = act === null ? -1 : (scene.index.get(act) ?? -1);
      highlight(sel, hov);
      paintReachCodes();
      paintSearch();
      invalidate();
    },
    highlight,
    paintReach(paint) {
      reachPaint = paint;
      paintReachCodes();
      invalidate();
    },
    anchor(id) {
      const i = scene.index.get(id);
      if (i === undefined) return null;
      const xy = layout.buffer();
      const rect = canvas.getBoundingClientRect();
      const [sx, sy] = t.apply([xy[2 * i], xy[2 * i + 1]]);
      const r = scene.radius[i] * t.k;
      return new DOMRect(rect.left + sx - r, rect.top + sy - r, 2 * r, 2 * r);
    },
    setShowAddresses(show) {
      if (show === showAddresses) return;
      showAddresses = show;
      invalidate();
    },
    fit,
    zoomTo(id) {
      const i = scene.index.get(id);
      if (i === undefined) return;
      const xy = layout.buffer();
      const k = Math.max(t.k, ZOOM_TO_SCALE);
      move(
        zoomIdentity
          .translate(size.width / 2, size.height / 2)
          .scale(k)
          .translate(-xy[2 * i], -xy[2 * i + 1]),
        true,
      );
      userZoomed = true;
      active = i;
      canvas.focus({ preventScroll: true });
      announce();
    },
    setSearch(ids) {
      searchIds = ids;
      paintSearch();
      invalidate();
    },
    userZoomed: () => userZoomed,
    focus(id) {
      const i = scene.index.get(id);
      if (i === undefined) return;
      active = i;
      const xy = layout.buffer();
      const k = Math.max(t.k, 1);
      root.call(
        zoomer.transform,
        zoomIdentity
          .translate(size.width / 2, size.height / 2)
          .scale(k)
          .translate(-xy[2 * i], -xy[2 * i + 1]),
      );
      userZoomed = true;
      canvas.focus({ preventScroll: true });
      announce();
    },
    zoomState: () => ({ x: t.x, y: t.y, k: t.k }),
    setZoom({ x, y, k }) {
      userZoomed = true;
      root.call(zoomer.transform, zoomIdentity.translate(x, y).scale(k));
    },
    onZoomEnd(callback) {
      zoomEnd.push(callback);
    },
    visibleIds: () => visible.map((i) => scene.model.nodes[i]?.id).filter((id): id is string => !!id),
    setContinuous(on) {
      continuous = on;
      if (on) invalidate();
    },
    setActive(on) {
      isActive = on;
      canvas.style.display = on ? "block" : "none";
      if (on) invalidate();
    },
  };
}
