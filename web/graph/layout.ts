import { randomLcg } from "d3";
import type { FromWorker, LayoutLink, LayoutNode, ToWorker } from "./layout-protocol.ts";
import { PRESETTLE_LIMIT } from "./layout-protocol.ts";
import type { GraphModel } from "./model.ts";

export type { LayoutLink, LayoutNode } from "./layout-protocol.ts";

export interface Point {
  x: number;
  y: number;
}

export interface Layout {
  /** Replaces the node and link sets, keeping the position of every node whose key survives. */
  update(nodes: LayoutNode[], links: LayoutLink[]): void;
  /** Current position of a node. */
  position(key: string): Point | undefined;
  /** Positions as x, y pairs in the order of the last `update`'s nodes; replaced (not mutated) on each tick. */
  buffer(): Float32Array;
  /** Pins a node (while dragging) or releases it with `null`. */
  pin(key: string, point: Point | null): void;
  /** Adds a listener called once per animation frame in which positions moved. */
  onTick(callback: () => void): void;
  /** Adds a listener called when the layout comes to rest. */
  onSettled(callback: () => void): void;
  settled(): boolean;
  /** True while a fresh layout is computed before its first paint. */
  pending(): boolean;
  /** Heats the layout again (the benchmark measures drawing while it runs). */
  reheat(alpha: number): void;
  stop(): void;
}

/**
 * The layout, run by d3-force in a Web Worker: the main thread only places new nodes (next to their network,
 * so they appear where they belong) and receives positions as transferred Float32Arrays.
 */
export function createLayout(): Layout {
  const worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  const random = randomLcg(0.17);
  const tickListeners: Array<() => void> = [];
  const settledListeners: Array<() => void> = [];
  let epoch = 0;
  let keys: string[] = [];
  let linkKeys: string[] = [];
  let index = new Map<string, number>();
  let xy: Float32Array = new Float32Array(0);
  let isSettled = true;
  let isPending = false;
  let frame: number | null = null;
  let announceSettled = false;

  const send = (message: ToWorker, transfer: Transferable[] = []): void =>
    worker.postMessage(message, transfer);

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (message.epoch !== epoch) return;
    xy = message.xy;
    isPending = false;
    if (message.settled && !isSettled) announceSettled = true;
    isSettled = message.settled;
    if (frame === null) frame = requestAnimationFrame(flush);
  };

  // Positions may arrive faster than the screen refreshes; listeners run once per frame.
  function flush(): void {
    frame = null;
    for (const f of tickListeners) f();
    if (announceSettled) {
      announceSettled = false;
      for (const f of settledListeners) f();
    }
  }

  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

  /** Initial positions: survivors where they are, new hubs on a spiral, new containers around their anchor. */
  function place(nodes: LayoutNode[]): Float32Array {
    const out = new Float32Array(nodes.length * 2);
    const placed = new Map<string, number>();
    const aroundAnchor = new Map<string, number>();
    let spiral = 0;
    for (const [i, n] of nodes.entries()) {
      const old = index.get(n.key);
      if (old === undefined) continue;
      out[2 * i] = xy[2 * old];
      out[2 * i + 1] = xy[2 * old + 1];
      placed.set(n.key, i);
      spiral++;
    }
    const networksFirst = [...nodes.keys()].sort((a, b) =>
      nodes[a].kind === nodes[b].kind ? a - b : nodes[a].kind === "network" ? -1 : 1,
    );
    for (const i of networksFirst) {
      const n = nodes[i];
      if (placed.has(n.key)) continue;
      const anchor = n.near ? placed.get(n.near) : undefined;
      // A fleet: a node starts inside its machine's tile; next to its hub only when that is in the same tile.
      const inBox = (j: number): boolean =>
        !n.box ||
        (out[2 * j] >= n.box.x0 &&
          out[2 * j] <= n.box.x1 &&
          out[2 * j + 1] >= n.box.y0 &&
          out[2 * j + 1] <= n.box.y1);
      if (n.box && (anchor === undefined || !inBox(anchor))) {
        out[2 * i] = n.box.x0 + (n.box.x1 - n.box.x0) * (0.1 + 0.8 * random());
        out[2 * i + 1] = n.box.y0 + (n.box.y1 - n.box.y0) * (0.1 + 0.8 * random());
      } else if (anchor !== undefined) {
        // Members spread out with their count, so a hub with 500 new members does not start as one knot.
        const nth = (aroundAnchor.get(n.near as string) ?? 0) + 1;
        aroundAnchor.set(n.near as string, nth);
        const angle = random() * 2 * Math.PI;
        const d = 30 + 14 * Math.sqrt(nth) * (0.8 + 0.4 * random());
        out[2 * i] = out[2 * anchor] + d * Math.cos(angle);
        out[2 * i + 1] = out[2 * anchor + 1] + d * Math.sin(angle);
      } else {
        // Phyllotaxis spiral, as d3-force does, continuing after the nodes already placed.
        const r = (n.kind === "network" ? 60 : 12) * Math.sqrt(0.5 + spiral);
        const a = spiral * Math.PI * (3 - Math.sqrt(5));
        out[2 * i] = r * Math.cos(a);
        out[2 * i + 1] = r * Math.sin(a);
      }
      spiral++;
      placed.set(n.key, i);
    }
    return out;
  }

  return {
    update(nodes, links) {
      const nextKeys = nodes.map((n) => n.key);
      const nextLinkKeys = links.map((l) => l.key);
      // Nothing to move when only labels or states changed: no reheat, positions stay valid.
      if (same(nextKeys, keys) && same(nextLinkKeys, linkKeys)) return;
      const fresh = keys.length === 0;
      const start = place(nodes);
      epoch++;
      keys = nextKeys;
      linkKeys = nextLinkKeys;
      index = new Map(nextKeys.map((k, i) => [k, i]));
      xy = start;
      isSettled = false;
      isPending = fresh && nodes.length <= PRESETTLE_LIMIT && nodes.length > 0;
      const copy = start.slice();
      send({ type: "update", epoch, nodes, links, xy: copy }, [copy.buffer]);
    },
    position(key) {
      const i = index.get(key);
      return i === undefined ? undefined : { x: xy[2 * i], y: xy[2 * i + 1] };
    },
    buffer: () => xy,
    pin(key, point) {
      const i = index.get(key);
      if (i === undefined) return;
      if (!point) {
        send({ type: "unpin", key });
        return;
      }
      xy[2 * i] = point.x;
      xy[2 * i + 1] = point.y;
      isSettled = false;
      send({ type: "pin", key, x: point.x, y: point.y });
    },
    onTick(callback) {
      tickListeners.push(callback);
    },
    onSettled(callback) {
      settledListeners.push(callback);
    },
    settled: () => isSettled,
    pending: () => isPending,
    reheat(alpha) {
      isSettled = false;
      send({ type: "reheat", alpha });
    },
    stop() {
      worker.terminate();
    },
  };
}

/** Hands a graph model to the layout: only what the physics reads, in the model's order. */
export function feedLayout(layout: Layout, model: GraphModel): void {
  layout.update(
    model.nodes.map(({ key, kind, radius, spread, group, near, box }) => ({
      key,
      kind,
      radius,
      spread,
      group,
      near,
      box,
    })),
    model.links.map(({ key, kind, source, target }) => ({ key, kind, source, target })),
  );
}
