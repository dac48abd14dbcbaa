import { markBidi } from "../../server/model/escape/bidi.ts";
import type { CanvasTheme } from "./canvas-theme.ts";
import type { Scene } from "./canvas-scene.ts";
import { paintLanes } from "./canvas-lanes.ts";
import { rasterFar } from "./canvas-raster.ts";
import { LINK_STYLES, STATES } from "./canvas-scene.ts";
import { LINK_STYLES as LINK_ROWS } from "./style.ts";
import { createLabelBoxes, placeLabels } from "./label-layout.ts";

/** Reach codes per node: what one source's verdicts paint on the canvas. */
export const REACH = { none: 0, reachable: 1, blocked: 2, unknown: 3, source: 4 } as const;

export interface Frame {
  t: { x: number; y: number; k: number };
  width: number;
  height: number;
  dpr: number;
  theme: CanvasTheme;
  selected: number;
  hovered: number;
  /** The keyboard cursor. */
  active: number;
  /** Nodes at full strength while something is selected (the selection and its neighbours); null: all. */
  near: Uint8Array | null;
  reach: Uint8Array | null;
  /** 1 for nodes a search matches; null: no search. */
  match: Uint8Array | null;
  showAddresses: boolean;
}

/** Level of detail: labels appear only when zoomed in far enough to read them. */
export const LOD = { containerLabels: 0.7, networkLabels: 0.25, addresses: 1.1, dots: 0.3, dashes: 0.6 };
const MAX_LABELS = 1500;
const MARGIN = 40;
const HOLLOW = new Set(["exited", "created", "removing", "dead", "paused"]);

/** Draws one frame: batched edges per style, containers batched per state, hubs by shape, then labels. */
export function paintFrame(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  xy: Float32Array,
  f: Frame,
): number[] {
  const { t, theme } = f;
  const n = scene.model.nodes.length;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, f.width * f.dpr, f.height * f.dpr);
  if (n === 0 || xy.length < n * 2) return [];
  ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * t.x, f.dpr * t.y);
  const x0 = (-t.x - MARGIN) / t.k;
  const x1 = (f.width - t.x + MARGIN) / t.k;
  const y0 = (-t.y - MARGIN) / t.k;
  const y1 = (f.height - t.y + MARGIN) / t.k;
  const dim = (i: number): boolean =>
    scene.stale[i] === 1 ||
    (f.near !== null && f.near[i] === 0) ||
    (f.reach !== null && f.reach[i] === REACH.blocked) ||
    (f.match !== null && f.match[i] === 0);

  const far = t.k < LOD.dots;
  if (far) rasterFar(ctx, scene, xy, f, dim);
  // The raster writes pixels over everything: far out the tiles go on top of it, as outlines.
  if (scene.model.lanes) paintLanes(ctx, scene.model.lanes, f, far);
  ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * t.x, f.dpr * t.y);
  // Edges: one path per style; with a selection, the selection's edges are drawn again on top.
  ctx.lineWidth = Math.min(1.5, Math.max(0.5, 1.2 * t.k)) / t.k;
  ctx.globalAlpha = f.near ? 0.2 : 0.75;
  for (let s = 0; s < LINK_STYLES.length && !far; s++) {
    ctx.beginPath();
    let any = false;
    for (let j = 0; j < scene.linkStyle.length; j++) {
      if (scene.linkStyle[j] !== s) continue;
      const a = scene.ends[2 * j];
      const b = scene.ends[2 * j + 1];
      if (a < 0 || b < 0) continue;
      const [ax, ay, bx, by] = [xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1]];
      if ((ax < x0 && bx < x0) || (ax > x1 && bx > x1) || (ay < y0 && by < y0) || (ay > y1 && by > y1))
        continue;
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      any = true;
    }
    if (!any) continue;
    const kind = LINK_STYLES[s];
    const row = kind === "down" ? null : LINK_ROWS[kind];
    ctx.strokeStyle = row?.ink === "host" ? theme.hostEdge : row?.ink === "muted" ? theme.muted : theme.edge;
    // Dashes are costly to rasterise; they show once few enough edges are in view to tell them apart.
    const dashed = (row === null || row.dash !== "solid") && t.k >= LOD.dashes;
    ctx.setLineDash(dashed ? [4 / t.k, 3 / t.k] : []);
    const faint = row !== null && row.width < 1;
    ctx.globalAlpha = (f.near ? 0.2 : 0.75) * (faint ? 0.6 : 1);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (f.selected >= 0) {
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = 2.2 / t.k;
    ctx.beginPath();
    for (const j of scene.incident[f.selected]) {
      const [a, b] = [scene.ends[2 * j], scene.ends[2 * j + 1]];
      ctx.moveTo(xy[2 * a], xy[2 * a + 1]);
      ctx.lineTo(xy[2 * b], xy[2 * b + 1]);
    }
    ctx.stroke();
  }

  // Containers, grouped by state and dimming; far out they were rasterised above.
  const visible: number[] = [];
  const buckets: number[][] = Array.from({ length: STATES.length * 2 }, () => []);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    visible.push(i);
    if (scene.network[i] === 0 && !far) buckets[scene.state[i] * 2 + (dim(i) ? 1 : 0)].push(i);
  }
  for (let b = 0; b < buckets.length; b++) {
    const members = buckets[b];
    if (members.length === 0) continue;
    const state = STATES[b >> 1];
    const colour = theme.state[state];
    const hollow = HOLLOW.has(state);
    ctx.globalAlpha = b & 1 ? 0.22 : 1;
    ctx.fillStyle = hollow ? theme.nodeFill : colour;
    ctx.strokeStyle = colour;
    ctx.lineWidth = state === "paused" ? 4 : 2;
    // One path per circle: the rasteriser has a fast path for a lone oval, none for thousands in one path.
    for (const i of members) {
      ctx.beginPath();
      ctx.arc(xy[2 * i], xy[2 * i + 1], scene.radius[i], 0, 2 * Math.PI);
      ctx.fill();
      if (hollow) ctx.stroke();
    }
  }

  // Hubs: few, each with its driver's shape.
  for (const i of visible) {
    const path = scene.shape[i];
    if (!path) continue;
    const node = scene.model.nodes[i];
    const colour = node.kind === "service" ? theme.fg : theme.network[node.style ?? "bridge"];
    ctx.globalAlpha = dim(i) ? 0.22 : 1;
    const [hx, hy] = [t.x + xy[2 * i] * t.k, t.y + xy[2 * i + 1] * t.k];
    ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * hx, f.dpr * hy);
    ctx.fillStyle = node.style === "null" || node.kind === "service" ? theme.nodeFill : colour;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.fill(path);
    ctx.stroke(path);
    if (scene.icc[i]) {
      const d = scene.radius[i] * 0.72;
      ctx.beginPath();
      ctx.moveTo(-d, d);
      ctx.lineTo(d, -d);
      ctx.strokeStyle = theme.fg;
      ctx.lineWidth = 3;
      ctx.stroke();
    }
  }
  ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * t.x, f.dpr * t.y);
  ctx.globalAlpha = 1;
  paintRings(ctx, scene, xy, f, visible);
  paintLabels(ctx, scene, xy, f, visible);
  return visible;
}

function ring(ctx: CanvasRenderingContext2D, xy: Float32Array, scene: Scene, i: number, pad: number): void {
  const r = scene.radius[i] + pad;
  ctx.moveTo(xy[2 * i] + r, xy[2 * i + 1]);
  ctx.arc(xy[2 * i], xy[2 * i + 1], r, 0, 2 * Math.PI);
}

/** Reach verdict rings (batched), then selection, hover and the keyboard cursor. */
function paintRings(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  xy: Float32Array,
  f: Frame,
  visible: number[],
): void {
  const { theme, t } = f;
  if (f.reach) {
    for (const [code, colour, dash] of [
      [REACH.reachable, theme.reachOk, false],
      [REACH.unknown, theme.reachUnknown, true],
    ] as const) {
      ctx.beginPath();
      for (const i of visible) if (f.reach[i] === code) ring(ctx, xy, scene, i, 2);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 3;
      ctx.setLineDash(dash ? [3, 2] : []);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
  // A stale container (its machine is down or out of date): a dashed ring in the warning colour.
  ctx.beginPath();
  let anyStale = false;
  for (const i of visible)
    if (scene.stale[i]) {
      ring(ctx, xy, scene, i, 2);
      anyStale = true;
    }
  if (anyStale) {
    ctx.strokeStyle = theme.warn;
    ctx.lineWidth = 2;
    ctx.setLineDash([3, 2]);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const marks: Array<[number, number[]]> = [
    [f.selected, []],
    [f.hovered, []],
    [f.active, [4, 3]],
  ];
  for (const [i, dash] of marks) {
    if (i < 0) continue;
    ctx.beginPath();
    ring(ctx, xy, scene, i, 3);
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = Math.max(3, 3 / t.k);
    ctx.setLineDash(dash.map((d) => d / Math.min(1, t.k)));
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

const FONTS = {
  network: "600 12px system-ui, sans-serif",
  container: "11px system-ui, sans-serif",
  edge: "10px system-ui, sans-serif",
};
const LINE = { network: 15, container: 14, edge: 12 };
/** Where an address label may sit along its edge, from the hub (source) end: nearest the container first. */
const ALONG = [0.62, 0.74, 0.5];
const OBSTACLES_UP_TO = 3000;
let boxes = createLabelBoxes(0);
let owner = new Int32Array(0);
let along = new Float32Array(0);
const widths = new Map<string, number>();

function widthOf(ctx: CanvasRenderingContext2D, font: string, text: string): number {
  const key = `${font}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    ctx.font = font;
    w = ctx.measureText(text).width + 4;
    // Labels come and go with the model; the cache is bounded so it never grows without end.
    if (widths.size > 50_000) widths.clear();
    widths.set(key, w);
  }
  return w;
}

/**
 * Labels in screen space at a fixed, legible size, only for nodes in view and only when zoomed in enough;
 * a label that would overlap one of higher priority (selection and hover, hubs, containers, then addresses)
 * is left out (label-layout.ts), and each address label takes the first free spot along its edge.
 */
function paintLabels(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  xy: Float32Array,
  f: Frame,
  visible: number[],
): void {
  const { t, theme } = f;
  if (t.k < LOD.networkLabels && f.selected < 0) return;
  ctx.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);
  const sx = (i: number): number => t.x + xy[2 * i] * t.k;
  const sy = (i: number): number => t.y + xy[2 * i + 1] * t.k;
  const showContainers = t.k >= LOD.containerLabels;
  const showAddresses = f.showAddresses && t.k >= LOD.addresses;
  const nodes = scene.model.nodes;
  const links = scene.model.links;
  const inView = new Uint8Array(nodes.length);
  for (const i of visible) inView[i] = 1;
  const addressLinks: number[] = [];
  if (showAddresses)
    for (let j = 0; j < links.length && addressLinks.length < MAX_LABELS; j++) {
      const b = scene.ends[2 * j + 1];
      if (links[j].label && b >= 0 && scene.ends[2 * j] >= 0 && inView[b] && LINK_ROWS[links[j].kind].address)
        addressLinks.push(j);
    }
  const obstacles = visible.length <= OBSTACLES_UP_TO ? visible.length : 0;
  const capacity = obstacles + Math.min(visible.length, MAX_LABELS) + 2 + addressLinks.length * ALONG.length;
  if (boxes.x.length < capacity) {
    boxes = createLabelBoxes(capacity);
    owner = new Int32Array(capacity);
    along = new Float32Array(capacity);
  }
  let n = 0;
  for (let v = 0; v < obstacles; v++) {
    const i = visible[v];
    const r = scene.radius[i] * t.k;
    boxes.x[n] = sx(i);
    boxes.y[n] = sy(i) - r;
    boxes.w[n] = boxes.h[n] = 2 * r;
    boxes.priority[n] = Infinity;
    owner[n++] = -1;
  }
  let labelled = 0;
  const candidate = (i: number, rank: number): void => {
    const hub = scene.network[i] === 1;
    const font = hub ? FONTS.network : FONTS.container;
    boxes.x[n] = sx(i);
    boxes.y[n] = sy(i) + (scene.radius[i] + 2) * t.k;
    boxes.w[n] = widthOf(ctx, font, nodes[i].label);
    boxes.h[n] = hub ? LINE.network : LINE.container;
    boxes.priority[n] = rank * 1e6 + scene.incident[i].length;
    owner[n++] = i;
    labelled++;
  };
  for (const i of visible) {
    if (labelled >= MAX_LABELS) break;
    if (i === f.selected || i === f.hovered) continue;
    if (scene.network[i] === 1) candidate(i, 3);
    else if (showContainers) candidate(i, 2);
  }
  // The selection's and the hovered node's names always show, whatever the zoom.
  for (const i of new Set([f.selected, f.hovered])) if (i >= 0) candidate(i, 4);
  for (const j of addressLinks) {
    const a = scene.ends[2 * j];
    const b = scene.ends[2 * j + 1];
    const w = widthOf(ctx, FONTS.edge, links[j].label);
    for (const [alt, k] of ALONG.entries()) {
      boxes.x[n] = sx(a) + (sx(b) - sx(a)) * k;
      boxes.y[n] = sy(a) + (sy(b) - sy(a)) * k - LINE.edge / 2;
      boxes.w[n] = w;
      boxes.h[n] = LINE.edge;
      boxes.priority[n] = 1e5 - alt;
      along[n] = k;
      owner[n++] = nodes.length + j;
    }
  }
  boxes.count = n;
  const shown = placeLabels(boxes, f.width, f.height, owner);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.lineWidth = 3;
  ctx.strokeStyle = theme.halo;
  const dimmed = (i: number): boolean =>
    (f.near !== null && f.near[i] === 0) || (f.match !== null && f.match[i] === 0);
  for (const c of shown) {
    const o = owner[c];
    if (o < 0) continue;
    if (o < nodes.length) {
      ctx.font = scene.network[o] === 1 ? FONTS.network : FONTS.container;
      // Faded labels keep full opacity in the muted ink, so they stay readable in both themes.
      ctx.fillStyle = dimmed(o) ? theme.muted : theme.fg;
      const text = markBidi(nodes[o].label);
      ctx.strokeText(text, boxes.x[c], boxes.y[c] + 1);
      ctx.fillText(text, boxes.x[c], boxes.y[c] + 1);
    } else {
      const j = o - nodes.length;
      ctx.font = FONTS.edge;
      ctx.fillStyle = theme.edgeLabel;
      const text = markBidi(links[j].label);
      ctx.strokeText(text, boxes.x[c], boxes.y[c] + 1);
      ctx.fillText(text, boxes.x[c], boxes.y[c] + 1);
    }
  }
}
