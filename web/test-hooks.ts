import type { AdaptiveView } from "./graph/adaptive-view.ts";
import type { Store } from "./store.ts";

/** Where a node is on screen (client coordinates of its centre) and whether it is inside the graph's view. */
export interface FoundNode {
  x: number;
  y: number;
  visible: boolean;
  kind: string;
  label: string;
  cls: string;
}

/** Hooks for browser tests and the benchmark; they read the page, they never change what it shows. */
export interface ReachgraphHooks {
  mode(): string;
  nodeCount(): number;
  find(id: string): FoundNode | null;
  selected(): string | null;
  visibleIds(): string[];
  /** Frames per second over `ms`; with `pan`, the view moves by a pixel each frame so every frame redraws. */
  fps(ms: number, pan?: boolean): Promise<number>;
  layoutSettled(): boolean;
  /** The pan and zoom (translate x, y and scale k). */
  zoom(): { x: number; y: number; k: number };
  /** True while a fresh small layout is computed before its first paint. */
  layoutPending(): boolean;
  reheat(alpha: number): void;
}

declare global {
  interface Window {
    __reachgraph?: ReachgraphHooks;
  }
}

/** Installs `window.__reachgraph`. */
export function installTestHooks(store: Store, graph: AdaptiveView, panel: HTMLElement): ReachgraphHooks {
  function find(id: string): FoundNode | null {
    const node = graph.model().nodes.find((n) => n.id === id);
    const rect = node ? graph.anchor(id) : null;
    if (!node || !rect) return null;
    const view = panel.getBoundingClientRect();
    const [x, y] = [rect.x + rect.width / 2, rect.y + rect.height / 2];
    const visible = !panel.hidden && x >= view.left && x <= view.right && y >= view.top && y <= view.bottom;
    return { x, y, visible, kind: node.kind, label: node.label, cls: node.cls };
  }
  const hooks: ReachgraphHooks = {
    mode: () => graph.mode(),
    nodeCount: () => graph.model().nodes.length,
    find,
    selected: () => store.get().selectedId,
    visibleIds() {
      const canvas = graph.mode() === "canvas" ? graph.canvas() : null;
      if (canvas) return canvas.visibleIds();
      return graph
        .model()
        .nodes.filter((n) => find(n.id)?.visible)
        .map((n) => n.id);
    },
    fps(ms, pan = false) {
      const start = graph.zoomState();
      return new Promise((resolve) => {
        let frames = 0;
        const t0 = performance.now();
        const step = (now: number): void => {
          if (now - t0 >= ms) {
            if (pan) graph.setZoom(start);
            resolve((frames * 1000) / (now - t0));
            return;
          }
          frames++;
          if (pan) graph.setZoom({ ...start, x: start.x + (frames % 2 ? 1 : 0) });
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
    layoutSettled: () => graph.layout.settled() && !graph.layout.pending(),
    zoom: () => graph.zoomState(),
    layoutPending: () => graph.layout.pending(),
    reheat: (alpha) => graph.layout.reheat(alpha),
  };
  window.__reachgraph = hooks;
  return hooks;
}
