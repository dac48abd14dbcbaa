import type { LinkKind } from "../../server/model/graph/index.ts";
import type { ContainerState } from "../../server/model/topology.ts";
import type { GraphModel } from "./model.ts";
import { serviceShape } from "./paint.ts";
import { CONTAINER_STATES, LINK_KINDS, networkShape } from "./style.ts";

/** Link styles the canvas batches into one path each: every edge kind of the style table, and `down`. */
export const LINK_STYLES: ReadonlyArray<LinkKind | "down"> = [...LINK_KINDS, "down"];

export const STATES: readonly ContainerState[] = CONTAINER_STATES;

/** A `GraphModel` flattened into typed arrays, built once per model so a frame only walks numbers. */
export interface Scene {
  model: GraphModel;
  /** Node ID → index in `model.nodes` (and in the layout buffer). */
  index: Map<string, number>;
  network: Uint8Array;
  radius: Float32Array;
  /** Container state as an index into `STATES`. */
  state: Uint8Array;
  joiner: Uint8Array;
  /** 1 for a container whose machine is down or stale. */
  stale: Uint8Array;
  /** Hub outline per network node, centred at 0,0. */
  shape: Array<Path2D | null>;
  icc: Uint8Array;
  /** Two node indices per link. */
  ends: Int32Array;
  linkStyle: Uint8Array;
  /** Links touching each node, as indices into `model.links`. */
  incident: number[][];
}

/** Flattens a model for drawing; O(nodes + links). */
export function buildScene(model: GraphModel): Scene {
  const n = model.nodes.length;
  const index = new Map<string, number>();
  const keyIndex = new Map<string, number>();
  const network = new Uint8Array(n);
  const radius = new Float32Array(n);
  const state = new Uint8Array(n);
  const joiner = new Uint8Array(n);
  const stale = new Uint8Array(n);
  const icc = new Uint8Array(n);
  const shapes = new Map<string, Path2D>();
  const shape: Array<Path2D | null> = new Array<Path2D | null>(n).fill(null);
  model.nodes.forEach((d, i) => {
    index.set(d.id, i);
    keyIndex.set(d.key, i);
    radius[i] = d.radius;
    if (d.kind === "service") {
      // A collapsed swarm service is drawn with the hubs: a few, each with its own shape.
      network[i] = 1;
      const key = `service:${d.radius}`;
      if (!shapes.has(key)) shapes.set(key, new Path2D(serviceShape(d.radius)));
      shape[i] = shapes.get(key) ?? null;
    } else if (d.kind !== "container" && d.style) {
      network[i] = 1;
      const key = `${d.style}:${d.radius}`;
      if (!shapes.has(key)) shapes.set(key, new Path2D(networkShape(d.style, d.radius)));
      shape[i] = shapes.get(key) ?? null;
      icc[i] = d.iccOff ? 1 : 0;
    } else {
      state[i] = Math.max(0, STATES.indexOf(d.state ?? "running"));
      joiner[i] = d.joiner ? 1 : 0;
      stale[i] = d.stale ? 1 : 0;
    }
  });
  const ends = new Int32Array(model.links.length * 2);
  const linkStyle = new Uint8Array(model.links.length);
  const incident: number[][] = Array.from({ length: n }, () => []);
  model.links.forEach((l, j) => {
    const a = keyIndex.get(l.source) ?? -1;
    const b = keyIndex.get(l.target) ?? -1;
    ends[2 * j] = a;
    ends[2 * j + 1] = b;
    linkStyle[j] = LINK_STYLES.indexOf(l.down ? "down" : l.kind);
    if (a >= 0) incident[a].push(j);
    if (b >= 0) incident[b].push(j);
  });
  return { model, index, network, radius, state, joiner, stale, shape, icc, ends, linkStyle, incident };
}

/** The node a node is linked with, for each of `i`'s links. */
export function neighbours(scene: Scene, i: number): number[] {
  return scene.incident[i].map((j) => {
    const a = scene.ends[2 * j];
    return a === i ? scene.ends[2 * j + 1] : a;
  });
}
