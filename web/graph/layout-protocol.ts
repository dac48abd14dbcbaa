import type { Box } from "../fleet/lanes.ts";
import type { LinkKind, NodeKind } from "./model.ts";

/** What the physics needs to know about a node; plain data so it crosses into the layout worker. */
export interface LayoutNode {
  key: string;
  kind: NodeKind;
  radius: number;
  spread: number;
  group: string | null;
  near: string | null;
  /** A fleet: the tile (or the band above the tiles) the node is kept in; members share one object. */
  box: Box | null;
}

export interface LayoutLink {
  key: string;
  kind: LinkKind;
  source: string;
  target: string;
}

/** Main thread → layout worker. `epoch` numbers node orders; positions always come in the order of an epoch. */
export type ToWorker =
  | { type: "update"; epoch: number; nodes: LayoutNode[]; links: LayoutLink[]; xy: Float32Array }
  | { type: "pin"; key: string; x: number; y: number }
  | { type: "unpin"; key: string }
  | { type: "reheat"; alpha: number };

/** Layout worker → main thread: positions as x, y pairs in the node order of `epoch` (transferred). */
export interface FromWorker {
  type: "positions";
  epoch: number;
  xy: Float32Array;
  settled: boolean;
}

/** Below this many nodes a fresh layout is computed before it is posted, so it does not fly in. */
export const PRESETTLE_LIMIT = 1500;
/** Gentle reheat for deltas: nodes drift into place, the picture never re-lays out from scratch. */
export const REHEAT_ALPHA = 0.3;
