import { markBidi } from "../../server/model/escape/bidi.ts";
import type { D3DragEvent, Selection, ZoomBehavior, ZoomTransform } from "d3";
import { drag, select, zoom, zoomIdentity, zoomTransform } from "d3";
import type { ReachPaint } from "./highlight.ts";
import { createHighlighter } from "./highlight.ts";
import { hullLabelAnchor, hullPath } from "./hulls.ts";
import type { Layout, Point } from "./layout.ts";
import { feedLayout } from "./layout.ts";
import type { GraphGroup, GraphLink, GraphModel, GraphNode, LaneView } from "./model.ts";
import { enterNode, paintLink, paintNode } from "./paint.ts";
import { LINK_STYLES } from "./style.ts";
import { createSvgLabels, labelZoom } from "./svg-labels.ts";

export interface GraphCallbacks {
  /** `extend`: shift-click / Shift+Enter, to pick the second end of a pair. */
  onSelect(id: string | null, extend?: boolean): void;
  onHover(id: string | null): void;
}

/** The SVG renderer: takes a `GraphModel`, joins it by key, and moves elements on layout ticks. */
export interface GraphView {
  update(model: GraphModel): void;
  highlight(selectedId: string | null, hoverId: string | null): void;
  /** Paints one source's verdicts (lit / dimmed / unknown) and observed probe results; null clears. */
  paintReach(paint: ReachPaint | null): void;
  /** Where a node is on screen, to anchor a tooltip. */
  anchor(id: string): DOMRect | null;
  setShowAddresses(show: boolean): void;
  /** Frames the graph, or only the nodes whose IDs are in `ids`. */
  fit(animate?: boolean, ids?: ReadonlySet<string>): void;
  /** Animates the view to centre a node at a scale its label reads at, and moves keyboard focus to it. */
  zoomTo(id: string): void;
  /** Dims the nodes a search does not match; null ends the search. */
  setSearch(ids: ReadonlySet<string> | null): void;
  /** Whether the user has zoomed or panned; automatic fitting stops then. */
  userZoomed(): boolean;
  focus(id: string): void;
  /** The pan and zoom (d3-zoom's translate and scale), for the URL. */
  zoomState(): ZoomState;
  setZoom(z: ZoomState): void;
  /** Adds a listener called when a pan or zoom ends. */
  onZoomEnd(callback: () => void): void;
}

export interface ZoomState {
  x: number;
  y: number;
  k: number;
}

type Sel<E extends Element, D> = Selection<E, D, SVGGElement, unknown>;

/** Below these zoom levels, address labels and then container names are hidden to keep big graphs legible. */
const HIDE_ADDRESSES_BELOW = 0.6;
const HIDE_NAMES_BELOW = 0.32;
/** The scale `zoomTo` brings a node to (at least), and the longest view animation. */
export const ZOOM_TO_SCALE = 1.6;
export const FIT_MS = 600;
/** Above this many nodes, drawing trades finesse (label halos, anti-aliased edges) for frame rate. */
const BIG_GRAPH = 1500;

/**
 * The groups drawn as outlines: compose projects, and a swarm service whose tasks share one machine. A fleet's
 * machines are tiles of their own (drawLanes), and an outline around tasks on several tiles would cover them.
 */
const outlined = (g: GraphGroup): boolean =>
  g.by === "project" || (g.by === "service" && g.parent !== null && !g.collapsed);

/** Creates the renderer inside `svg`. */
export function createGraphView(svg: SVGSVGElement, layout: Layout, callbacks: GraphCallbacks): GraphView {
  const root = select(svg);
  root.selectAll("*").remove();
  const defs = root.append("defs");
  defs
    .append("marker")
    .attr("id", "arrow")
    .attr("viewBox", "0 -4 8 8")
    .attr("refX", 18)
    .attr("markerWidth", 7)
    .attr("markerHeight", 7)
    .attr("orient", "auto")
    .append("path")
    .attr("class", "arrow-head")
    .attr("d", "M0,-4L8,0L0,4Z");
  const viewport = root.append("g").attr("class", "viewport");
  const laneLayer = viewport.append("g").attr("class", "lanes");
  const hullLayer = viewport.append("g").attr("class", "hulls");
  const linkLayer = viewport.append("g").attr("class", "links");
  const linkLabelLayer = viewport.append("g").attr("class", "link-labels").attr("aria-hidden", "true");
  const nodeLayer = viewport.append("g").attr("class", "nodes");

  const drawnSig = new WeakMap<Element, string>();
  let userZoomed = false;
  // Cached, so fitting never forces a synchronous layout of a big SVG.
  let size = { width: svg.clientWidth, height: svg.clientHeight };
  new ResizeObserver(([entry]) => {
    size = { width: entry.contentRect.width, height: entry.contentRect.height };
  }).observe(svg);
  let nodeSel: Sel<SVGGElement, GraphNode> = nodeLayer.selectAll<SVGGElement, GraphNode>("g.node");
  let linkSel: Sel<SVGLineElement, GraphLink> = linkLayer.selectAll<SVGLineElement, GraphLink>("line");
  let labelSel: Sel<SVGTextElement, GraphLink> = linkLabelLayer.selectAll<SVGTextElement, GraphLink>("text");
  let hullSel: Sel<SVGGElement, GraphGroup> = hullLayer.selectAll<SVGGElement, GraphGroup>("g.hull");
  let current: GraphModel = { nodes: [], links: [], groups: [] };
  const highlighter = createHighlighter(svg);

  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .extent(() => [
      [0, 0],
      [size.width, size.height],
    ])
    .scaleExtent([0.05, 4])
    .on("zoom", (event: { transform: { k: number; toString(): string }; sourceEvent: Event | null }) => {
      if (event.sourceEvent) userZoomed = true;
      viewport.attr("transform", event.transform.toString());
      svg.classList.toggle("zoom-far", event.transform.k < HIDE_ADDRESSES_BELOW);
      svg.classList.toggle("zoom-very-far", event.transform.k < HIDE_NAMES_BELOW);
      zoomK = event.transform.k;
      svg.style.setProperty("--lz", labelZoom(zoomK).toFixed(3));
      scheduleLabels();
    });
  const zoomEnd: Array<() => void> = [];
  zoomer.on("end", () => zoomEnd.forEach((f) => f()));
  root.call(zoomer).on("dblclick.zoom", null);
  root.on("click", (event: MouseEvent) => {
    if (event.target === svg) callbacks.onSelect(null);
  });

  const keyOf = (event: Event): GraphNode | undefined => {
    const el = (event.target as Element | null)?.closest?.("g.node");
    return el ? (select(el).datum() as GraphNode) : undefined;
  };
  nodeLayer
    .on("click", (event: MouseEvent) => {
      const d = keyOf(event);
      if (d) callbacks.onSelect(d.id, event.shiftKey);
    })
    .on("keydown", (event: KeyboardEvent) => {
      const d = keyOf(event);
      if (d && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        callbacks.onSelect(d.id, event.shiftKey);
      }
    })
    .on("mouseover focusin", (event: Event) => {
      const d = keyOf(event);
      if (d) callbacks.onHover(d.id);
    })
    .on("mouseout focusout", () => callbacks.onHover(null));

  const dragger = drag<SVGGElement, GraphNode>()
    .on("start", (event: D3DragEvent<SVGGElement, GraphNode, GraphNode>, d) =>
      layout.pin(d.key, { x: event.x, y: event.y }),
    )
    .on("drag", (event: D3DragEvent<SVGGElement, GraphNode, GraphNode>, d) =>
      layout.pin(d.key, { x: event.x, y: event.y }),
    )
    .on("end", (_event: unknown, d) => layout.pin(d.key, null));

  /** Moves the view to `t`, animated unless asked not to or the user prefers reduced motion. */
  function move(t: ZoomTransform, animate: boolean): void {
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (animate && !reduced) root.transition().duration(FIT_MS).call(zoomer.transform, t);
    else root.call(zoomer.transform, t);
  }

  function at(key: string): Point {
    return layout.position(key) ?? { x: 0, y: 0 };
  }

  let showAddresses = true;
  let zoomK = 1;
  let first = new Set<string>();
  let degree = new Map<string, number>();
  let idOfKey = new Map<string, string>();
  let searchIds: ReadonlySet<string> | null = null;
  const labels = createSvgLabels();
  let labelFrame: number | null = null;
  function runLabels(): void {
    labelFrame = null;
    const far = zoomK < HIDE_ADDRESSES_BELOW;
    labels.update({
      nodes: nodeSel,
      links: labelSel,
      at,
      transform: zoomTransform(svg),
      width: size.width,
      height: size.height,
      subs: !far,
      addresses: showAddresses && !far,
      first,
      degree,
    });
  }
  const scheduleLabels = (): void => {
    labelFrame ??= requestAnimationFrame(runLabels);
  };

  /** Positions elements that have never been drawn (they carry no transform / coordinates yet). */
  function drawEntered(): void {
    const fresh = <E extends Element, D>(sel: Sel<E, D>, attr: string): Sel<E, D> =>
      sel.filter(function () {
        return !this.hasAttribute(attr);
      });
    const nodes = fresh(nodeSel, "transform");
    const lines = fresh(linkSel, "x1");
    nodes.attr("transform", (d) => {
      const p = at(d.key);
      return `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
    });
    drawLines(lines);
    drawHulls();
    scheduleLabels();
  }

  function draw(): void {
    nodeSel.attr("transform", (d) => {
      const p = at(d.key);
      return `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
    });
    drawLines(linkSel);
    drawHulls();
    // Address labels move with the label layer, which also decides which labels show.
    scheduleLabels();
  }

  function drawLines(lines: Sel<SVGLineElement, GraphLink>): void {
    lines
      .attr("x1", (d) => at(d.source).x.toFixed(1))
      .attr("y1", (d) => at(d.source).y.toFixed(1))
      .attr("x2", (d) => at(d.target).x.toFixed(1))
      .attr("y2", (d) => at(d.target).y.toFixed(1));
  }

  function drawHulls(): void {
    hullSel.each(function (g) {
      const points = g.members.map(at);
      const el = select(this);
      el.select("path").attr("d", hullPath(points) ?? "");
      const anchor = hullLabelAnchor(points);
      if (anchor) el.select("text").attr("x", anchor.x.toFixed(1)).attr("y", anchor.y.toFixed(1));
    });
  }
  layout.onTick(draw);

  /** A fleet's machine tiles: fixed squares (the layout keeps members inside), named with their health. */
  function drawLanes(lanes: LaneView[]): void {
    const g = laneLayer
      .selectAll<SVGGElement, LaneView>("g.lane")
      .data(lanes, (d) => d.key)
      .join((enter) => {
        const lane = enter.append("g").attr("class", "lane");
        lane.append("rect").attr("rx", 24);
        // The line stays inside its tile; the fleet strip has it whole.
        lane.append("clipPath").append("rect");
        const text = lane.append("text");
        text.append("tspan").attr("class", "lane-name");
        text.append("tspan").attr("class", "lane-text").attr("dx", 8);
        return lane;
      })
      .attr("data-machine", (d) => d.key)
      .attr("data-state", (d) => d.state);
    g.select("clipPath")
      .attr("id", (_, i) => `lane-clip-${i}`)
      .select("rect")
      .attr("x", (d) => d.x0)
      .attr("y", (d) => d.y0)
      .attr("width", (d) => d.x1 - d.x0 - 10)
      .attr("height", (d) => d.y1 - d.y0);
    g.select("text").attr("clip-path", (_, i) => `url(#lane-clip-${i})`);
    g.select(":scope > rect")
      .attr("x", (d) => d.x0)
      .attr("y", (d) => d.y0)
      .attr("width", (d) => d.x1 - d.x0)
      .attr("height", (d) => d.y1 - d.y0);
    g.select("text")
      .attr("x", (d) => d.x0 + 14)
      .attr("y", (d) => d.y0 + 36);
    g.select("tspan.lane-name").text((d) => markBidi(d.key));
    g.select("tspan.lane-text").text((d) =>
      markBidi(`${d.state === "live" ? "" : `${d.state.toUpperCase()} · `}${d.text}`),
    );
  }

  const view: GraphView = {
    update(model) {
      current = model;
      svg.classList.toggle("big", model.nodes.length > BIG_GRAPH);
      feedLayout(layout, model);
      drawLanes(model.lanes ?? []);
      hullSel = hullLayer
        .selectAll<SVGGElement, GraphGroup>("g.hull")
        .data(model.groups.filter(outlined), (d) => d.key)
        .join((enter) => {
          const g = enter.append("g").attr("class", "hull");
          g.append("path");
          g.append("text").attr("class", "hull-label");
          return g;
        })
        .attr("data-project", (d) => (d.by === "project" ? d.name : null))
        .attr("data-service", (d) => (d.by === "service" ? d.name : null))
        .style("--group", (d) => d.color);
      hullSel.select("text").text((d) => markBidi(d.name));

      linkSel = linkLayer
        .selectAll<SVGLineElement, GraphLink>("line")
        .data(model.links, (d) => d.key)
        .join("line");
      linkSel.each(function (d) {
        if (drawnSig.get(this) !== d.sig) drawnSig.set(this, paintLink(this, d));
      });
      labelSel = linkLabelLayer
        .selectAll<SVGTextElement, GraphLink>("text")
        .data(
          model.links.filter((l) => LINK_STYLES[l.kind].address && l.label),
          (d) => d.key,
        )
        .join("text")
        .attr("class", (d) => `link-label ${d.cls}`)
        .each(function (d) {
          // Measured again by the label layer when the text changes.
          if (this.textContent !== d.label) this.removeAttribute("data-w");
        })
        .text((d) => markBidi(d.label));

      nodeSel = nodeLayer
        .selectAll<SVGGElement, GraphNode>("g.node")
        .data(model.nodes, (d) => d.key)
        .join((enter) => {
          const g = enter.append("g").attr("class", "node");
          enterNode(g);
          g.call(dragger);
          return g;
        });
      nodeSel.each(function (d) {
        if (drawnSig.get(this) === d.sig) return;
        drawnSig.set(this, paintNode(this, d));
        labels.measure(this);
      });
      idOfKey = new Map(model.nodes.map((n) => [n.key, n.id]));
      degree = new Map();
      for (const l of model.links)
        for (const k of [l.source, l.target]) degree.set(k, (degree.get(k) ?? 0) + 1);
      highlighter.refresh({ model, nodes: nodeSel, links: linkSel, labels: labelSel });
      if (searchIds) view.setSearch(searchIds);
      // Existing elements move on the layout's next frame; only new ones need a position right now.
      drawEntered();
    },
    highlight(selectedId, hoverId) {
      highlighter.highlight(selectedId, hoverId);
      // The selection's and the hovered node's labels always show, and their neighbours' before others.
      const next = new Set<string>();
      for (const id of [selectedId, hoverId]) if (id !== null) next.add(id);
      if (selectedId !== null)
        for (const l of current.links) {
          const ends = [idOfKey.get(l.source), idOfKey.get(l.target)];
          if (ends.includes(selectedId)) for (const e of ends) if (e) next.add(e);
        }
      if ([...next].join() !== [...first].join()) {
        first = next;
        scheduleLabels();
      }
    },
    paintReach: highlighter.paintReach,
    anchor(id) {
      const el = nodeSel.filter((d) => d.id === id).node();
      return el ? el.getBoundingClientRect() : null;
    },
    setShowAddresses(show) {
      svg.classList.toggle("hide-addresses", !show);
      showAddresses = show;
      scheduleLabels();
    },
    fit(animate = true, ids) {
      const keys = current.nodes.filter((n) => !ids || ids.has(n.id)).map((n) => n.key);
      const points = keys.map(at);
      // A map across machines includes their tiles, and always a machine that is not live (a down node, maybe
      // with nothing drawn). Not a live tile a filter emptied, nor the one tile of a view on one machine: its
      // nodes gather in the tile's middle, and framing the tile would leave them a small part of the panel.
      const used = new Set(current.nodes.flatMap((n) => (n.node === null ? [] : [n.node])));
      if (!ids)
        for (const l of current.lanes ?? [])
          if (l.state !== "live" || (used.size > 1 && used.has(l.key)))
            points.push({ x: l.x0, y: l.y0 }, { x: l.x1, y: l.y1 });
      if (points.length === 0) return;
      const xs = points.map((p) => p.x);
      const ys = points.map((p) => p.y);
      const [x0, x1, y0, y1] = [
        Math.min(...xs) - 60,
        Math.max(...xs) + 60,
        Math.min(...ys) - 60,
        Math.max(...ys) + 70,
      ];
      const { width, height } = size;
      if (width === 0 || height === 0) return;
      const k = Math.min(2, 0.95 * Math.min(width / (x1 - x0), height / (y1 - y0)));
      move(
        zoomIdentity
          .translate(width / 2, height / 2)
          .scale(k)
          .translate(-(x0 + x1) / 2, -(y0 + y1) / 2),
        animate,
      );
    },
    zoomTo(id) {
      const node = current.nodes.find((n) => n.id === id);
      if (!node) return;
      const p = at(node.key);
      const k = Math.max(zoomK, ZOOM_TO_SCALE);
      move(
        zoomIdentity
          .translate(size.width / 2, size.height / 2)
          .scale(k)
          .translate(-p.x, -p.y),
        true,
      );
      userZoomed = true;
      nodeSel
        .filter((d) => d.id === id)
        .node()
        ?.focus({ preventScroll: true });
    },
    setSearch(ids) {
      searchIds = ids;
      svg.classList.toggle("searching", ids !== null);
      nodeSel.classed("match", (d) => ids?.has(d.id) ?? false);
      const matched = (key: string): boolean => ids?.has(idOfKey.get(key) ?? "") ?? false;
      linkSel.classed("match", (d) => matched(d.source) || matched(d.target));
      labelSel.classed("match", (d) => matched(d.source) || matched(d.target));
    },
    userZoomed: () => userZoomed,
    zoomState() {
      const { x, y, k } = zoomTransform(svg);
      return { x, y, k };
    },
    setZoom({ x, y, k }) {
      userZoomed = true;
      root.call(zoomer.transform, zoomIdentity.translate(x, y).scale(k));
    },
    onZoomEnd(callback) {
      zoomEnd.push(callback);
    },
    focus(id) {
      const el = nodeSel.filter((d) => d.id === id).node();
      el?.focus();
    },
  };
  return view;
}
