import { markBidi } from "../../server/model/escape/bidi.ts";
import type { CanvasTheme } from "./canvas-theme.ts";
import type { Scene } from "./canvas-scene.ts";
import { rasterFar } from "./canvas-raster.ts";
import { LINK_STYLES, STATES } from "./canvas-scene.ts";
import { LINK_STYLES as LINK_ROWS } from "./style.ts";

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
    (f.near !== null && f.near[i] === 0) || (f.reach !== null && f.reach[i] === REACH.blocked);

  const far = t.k < LOD.dots;
  if (far) {
    rasterFar(ctx, scene, xy, f, dim);
    ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * t.x, f.dpr * t.y);
  }
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
    const colour = theme.network[node.style ?? "bridge"];
    ctx.globalAlpha = dim(i) ? 0.22 : 1;
    const [hx, hy] = [t.x + xy[2 * i] * t.k, t.y + xy[2 * i + 1] * t.k];
    ctx.setTransform(f.dpr * t.k, 0, 0, f.dpr * t.k, f.dpr * hx, f.dpr * hy);
    ctx.fillStyle = node.style === "null" ? theme.nodeFill : colour;
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

/** Labels in screen space at a fixed size, only for nodes in view, and only when zoomed in enough. */
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
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const sx = (i: number): number => t.x + xy[2 * i] * t.k;
  const sy = (i: number): number => t.y + xy[2 * i + 1] * t.k;
  const showContainers = t.k >= LOD.containerLabels;
  let count = 0;
  ctx.font = "600 12px system-ui, sans-serif";
  ctx.lineWidth = 3;
  ctx.strokeStyle = theme.halo;
  for (const i of visible) {
    if (scene.network[i] === 0 || count >= MAX_LABELS) continue;
    const label = markBidi(scene.model.nodes[i].label);
    const y = sy(i) + (scene.radius[i] + 4) * t.k;
    ctx.strokeText(label, sx(i), y);
    ctx.fillStyle = theme.fg;
    ctx.fillText(label, sx(i), y);
    count++;
  }
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = theme.fg;
  const labelled = new Set<number>();
  if (showContainers)
    for (const i of visible) {
      if (scene.network[i] === 1 || count >= MAX_LABELS) continue;
      ctx.fillText(markBidi(scene.model.nodes[i].label), sx(i), sy(i) + (scene.radius[i] + 2) * t.k);
      labelled.add(i);
      count++;
    }
  // The selection's name always shows, whatever the zoom.
  if (f.selected >= 0 && !labelled.has(f.selected) && scene.network[f.selected] === 0)
    ctx.fillText(markBidi(scene.model.nodes[f.selected].label), sx(f.selected), sy(f.selected) + 12);
  if (!f.showAddresses || t.k < LOD.addresses) return;
  ctx.fillStyle = theme.edgeLabel;
  ctx.font = "10px system-ui, sans-serif";
  const inView = new Uint8Array(scene.model.nodes.length);
  for (const i of visible) inView[i] = 1;
  scene.model.links.forEach((l, j) => {
    const [a, b] = [scene.ends[2 * j], scene.ends[2 * j + 1]];
    if (!l.label || a < 0 || b < 0 || !inView[b] || count >= MAX_LABELS) return;
    // Nearer the container end, as the SVG draws them, so labels around a busy hub do not pile up.
    ctx.fillText(markBidi(l.label), sx(a) * 0.42 + sx(b) * 0.58, sy(a) * 0.42 + sy(b) * 0.58);
    count++;
  });
}
