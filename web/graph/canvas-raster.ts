import type { Frame } from "./canvas-paint.ts";
import type { Scene } from "./canvas-scene.ts";
import { STATES } from "./canvas-scene.ts";

/** An `#rgb` / `#rrggbb` / `rgb(r, g, b)` colour as [r, g, b]; grey for anything else. */
export function parseColor(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/.exec(css);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : [128, 128, 128];
}

let image: ImageData | null = null;

/**
 * Far out, thousands of one-pixel edges and tiny squares: written straight into pixels (aliased lines, alpha
 * blended over the background) and put in one call. Anti-aliased paths cost ~10x more on a CPU rasteriser.
 */
export function rasterFar(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  xy: Float32Array,
  f: Frame,
  dim: (i: number) => boolean,
): void {
  const W = Math.round(f.width * f.dpr);
  const H = Math.round(f.height * f.dpr);
  if (W <= 0 || H <= 0) return;
  if (!image || image.width !== W || image.height !== H) image = ctx.createImageData(W, H);
  const px = new Uint32Array(image.data.buffer);
  const [br, bg, bb] = parseColor(f.theme.halo);
  px.fill((255 << 24) | (bb << 16) | (bg << 8) | br);
  const k = f.t.k * f.dpr;
  const ox = f.t.x * f.dpr;
  const oy = f.t.y * f.dpr;

  function blend(i: number, r: number, g: number, b: number, a: number): void {
    const d = px[i];
    const dr = d & 255;
    const dg = (d >> 8) & 255;
    const db = (d >> 16) & 255;
    px[i] = (255 << 24) | ((db + (b - db) * a) << 16) | ((dg + (g - dg) * a) << 8) | (dr + (r - dr) * a);
  }

  const [er, eg, eb] = parseColor(f.theme.edge);
  const edgeAlpha = f.near ? 0.12 : 0.45;
  for (let j = 0; j < scene.linkStyle.length; j++) {
    const a = scene.ends[2 * j];
    const b = scene.ends[2 * j + 1];
    if (a < 0 || b < 0) continue;
    let x0 = Math.round(ox + xy[2 * a] * k);
    let y0 = Math.round(oy + xy[2 * a + 1] * k);
    const x1 = Math.round(ox + xy[2 * b] * k);
    const y1 = Math.round(oy + xy[2 * b + 1] * k);
    if ((x0 < 0 && x1 < 0) || (x0 >= W && x1 >= W) || (y0 < 0 && y1 < 0) || (y0 >= H && y1 >= H)) continue;
    // Bresenham, clipped per pixel.
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (let steps = 0; steps < 4096; steps++) {
      if (x0 >= 0 && x0 < W && y0 >= 0 && y0 < H) blend(y0 * W + x0, er, eg, eb, edgeAlpha);
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  const colours = STATES.map((s) => parseColor(f.theme.state[s]));
  const n = scene.model.nodes.length;
  for (let i = 0; i < n; i++) {
    if (scene.network[i] === 1) continue;
    const size = Math.max(2, Math.round(2 * scene.radius[i] * k));
    const cx = Math.round(ox + xy[2 * i] * k - size / 2);
    const cy = Math.round(oy + xy[2 * i + 1] * k - size / 2);
    if (cx + size < 0 || cy + size < 0 || cx >= W || cy >= H) continue;
    const [r, g, b] = colours[scene.state[i]];
    const alpha = dim(i) ? 0.22 : 1;
    for (let y = Math.max(0, cy); y < Math.min(H, cy + size); y++)
      for (let x = Math.max(0, cx); x < Math.min(W, cx + size); x++) blend(y * W + x, r, g, b, alpha);
  }
  ctx.putImageData(image, 0, 0);
}
