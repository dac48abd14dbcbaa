/**
 * Which labels to show so that none overlaps another: greedy by priority, each candidate tested against the
 * boxes already placed in the cells of a uniform grid it covers. O(labels × cells per label), never O(n²).
 */
export interface LabelBoxes {
  /** Centre x, top y, width and height of each candidate, in screen pixels; `count` of them are used. */
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  h: Float32Array;
  /** Higher first; ties keep the candidates' order. */
  priority: Float32Array;
  count: number;
}

const CELL = 64;
/** Room kept between two labels, so their halos do not touch. */
const GAP = 2;

/** Allocates room for `capacity` candidates; reuse it across frames to keep garbage out of the draw loop. */
export function createLabelBoxes(capacity: number): LabelBoxes {
  return {
    x: new Float32Array(capacity),
    y: new Float32Array(capacity),
    w: new Float32Array(capacity),
    h: new Float32Array(capacity),
    priority: new Float32Array(capacity),
    count: 0,
  };
}

/**
 * Indices of the candidates to show, in placement order; candidates outside `width × height` are skipped.
 * A candidate of priority `Infinity` is an obstacle (a node's shape): always placed, never tested. With
 * `owner`, candidates sharing an owner ≥ 0 are alternative spots for one label: only the first free one shows.
 */
export function placeLabels(boxes: LabelBoxes, width: number, height: number, owner?: Int32Array): number[] {
  const order = Array.from({ length: boxes.count }, (_, i) => i);
  const { x, y, w, h, priority } = boxes;
  order.sort((a, b) => priority[b] - priority[a] || a - b);
  const cols = Math.max(1, Math.ceil(width / CELL));
  const rows = Math.max(1, Math.ceil(height / CELL));
  const grid = new Map<number, number[]>();
  const shown: number[] = [];
  const done = new Set<number>();
  for (const i of order) {
    const o = owner ? owner[i] : -1;
    if (o >= 0 && done.has(o)) continue;
    const x0 = x[i] - w[i] / 2 - GAP;
    const x1 = x[i] + w[i] / 2 + GAP;
    const y0 = y[i] - GAP;
    const y1 = y[i] + h[i] + GAP;
    if (x1 < 0 || y1 < 0 || x0 > width || y0 > height) continue;
    const c0 = Math.max(0, Math.floor(x0 / CELL));
    const c1 = Math.min(cols - 1, Math.floor(x1 / CELL));
    const r0 = Math.max(0, Math.floor(y0 / CELL));
    const r1 = Math.min(rows - 1, Math.floor(y1 / CELL));
    let free = true;
    for (let r = r0; r <= r1 && free && priority[i] !== Infinity; r++)
      for (let c = c0; c <= c1 && free; c++)
        for (const j of grid.get(r * cols + c) ?? []) {
          // Labels keep a gap between them; a shape only must not be covered (its own label sits right below).
          const g = priority[j] === Infinity ? GAP : 0;
          if (x0 + g < x[j] + w[j] / 2 && x1 - g > x[j] - w[j] / 2 && y0 + g < y[j] + h[j] && y1 - g > y[j]) {
            free = false;
            break;
          }
        }
    if (!free) continue;
    if (o >= 0) done.add(o);
    shown.push(i);
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++) {
        const cell = grid.get(r * cols + c);
        if (cell) cell.push(i);
        else grid.set(r * cols + c, [i]);
      }
  }
  return shown;
}
