/** A rectangle of the layout plane. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One machine's tile: its containers and local networks are laid out inside it. */
export interface Lane extends Box {
  /** The machine's map key (`Container.node`, `Network.node`). */
  key: string;
}

/** The tiles of a fleet, and the band above them where what spans machines (overlays) is drawn once. */
export interface LaneLayout {
  lanes: Lane[];
  band: Box;
}

/** Tiles grow in steps, so one more container does not move every tile. */
const STEP = 200;
const MIN_SIDE = 480;
/** Room per member: about a container and its label (`spreadOf`) at the page's spacing. */
const PER_MEMBER = 64;

/**
 * Where each machine's tile goes: a grid of equal squares, wider than tall (3 machines side by side; 30 in
 * rows of 7), sized for the busiest machine, centred on the origin, with the band for shared networks above.
 * Pure; `counts` in the machines' order (the order the engines were given).
 */
export function laneLayout(counts: ReadonlyArray<{ key: string; members: number }>): LaneLayout | null {
  if (counts.length < 2) return null;
  const busiest = Math.max(...counts.map((c) => c.members));
  const side = Math.max(MIN_SIDE, Math.ceil((PER_MEMBER * Math.sqrt(busiest) + 240) / STEP) * STEP);
  const gap = side / 4;
  const cols = counts.length <= 4 ? counts.length : Math.ceil(Math.sqrt(counts.length * 1.6));
  const rows = Math.ceil(counts.length / cols);
  const width = cols * side + (cols - 1) * gap;
  const height = rows * side + (rows - 1) * gap;
  const [left, top] = [-width / 2, -height / 2];
  const lanes = counts.map(({ key }, i) => {
    const [c, r] = [i % cols, Math.floor(i / cols)];
    const x0 = left + c * (side + gap);
    const y0 = top + r * (side + gap);
    return { key, x0, y0, x1: x0 + side, y1: y0 + side };
  });
  const bandHeight = Math.max(240, side / 3);
  return { lanes, band: { x0: left, y0: top - gap - bandHeight, x1: left + width, y1: top - gap } };
}
