import type { Force } from "d3";
import type { Box } from "./lanes.ts";

interface Boxed {
  x?: number;
  y?: number;
  vx?: number;
  vy?: number;
  box: Box | null;
}

/** Centring towards a node's own tile, in place of the pull towards the origin. */
const PULL = 0.04;
/** How hard a node outside its tile is pushed back: not cooled by alpha, so tiles hold at rest too. */
const WALL = 0.3;
const MARGIN = 24;
/** Below the tile's top edge, room for its name and health line. */
const HEADER = 56;

/**
 * Keeps each node of a fleet in its machine's tile (or the band of shared networks): a gentle pull to the
 * tile's centre and a wall at its edge. Nodes without a box are left alone. O(nodes) per tick.
 */
export function laneForce<N extends Boxed>(): Force<N, never> {
  let boxed: N[] = [];
  const force = (alpha: number): void => {
    for (const d of boxed) {
      const b = d.box as Box;
      const [x, y] = [d.x ?? 0, d.y ?? 0];
      let vx = ((b.x0 + b.x1) / 2 - x) * PULL * alpha;
      let vy = ((b.y0 + b.y1) / 2 - y) * PULL * alpha;
      if (x < b.x0 + MARGIN) vx += (b.x0 + MARGIN - x) * WALL;
      else if (x > b.x1 - MARGIN) vx += (b.x1 - MARGIN - x) * WALL;
      if (y < b.y0 + HEADER) vy += (b.y0 + HEADER - y) * WALL;
      else if (y > b.y1 - MARGIN) vy += (b.y1 - MARGIN - y) * WALL;
      d.vx = (d.vx ?? 0) + vx;
      d.vy = (d.vy ?? 0) + vy;
    }
  };
  force.initialize = (nodes: N[]) => {
    boxed = nodes.filter((d) => d.box !== null);
  };
  return force;
}
