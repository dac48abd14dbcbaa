import type { AdaptiveView } from "./graph/adaptive-view.ts";

const ZOOM_STEP = 1.25;
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

const typing = (el: Element | null): boolean =>
  el instanceof HTMLInputElement ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  (el instanceof HTMLElement && el.isContentEditable);

/** The drawn node nearest in an arrow's direction (a 90° cone, across-distance weighted), by screen position. */
function stepFrom(from: SVGGElement, dir: [number, number]): SVGGElement | null {
  const centre = (el: Element): [number, number] => {
    const r = el.getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
  };
  const [fx, fy] = centre(from);
  let best: SVGGElement | null = null;
  let bestScore = Infinity;
  for (const el of document.querySelectorAll<SVGGElement>("#graph g.node")) {
    if (el === from) continue;
    const [x, y] = centre(el);
    const along = (x - fx) * dir[0] + (y - fy) * dir[1];
    const across = Math.abs((x - fx) * dir[1] - (y - fy) * dir[0]);
    if (along <= 0 || across > along) continue;
    const score = along + 2 * across;
    if (score < bestScore) [best, bestScore] = [el, score];
  }
  return best;
}

/**
 * The page's keys beyond a node's own Enter and Escape: `/` focuses the search, `+`/`-` zoom the graph about
 * its centre, arrows move between the drawn nodes (the canvas view has its own), and the skip link jumps to the
 * first container.
 */
export function installKeys(graph: AdaptiveView, panel: HTMLElement): void {
  function zoomBy(factor: number): void {
    const { x, y, k } = graph.zoomState();
    const rect = panel.getBoundingClientRect();
    const [cx, cy] = [rect.width / 2, rect.height / 2];
    graph.setZoom({ x: cx - (cx - x) * factor, y: cy - (cy - y) * factor, k: k * factor });
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) return;
    if (event.key === "/") {
      const search = document.getElementById("search");
      if (!search) return;
      event.preventDefault();
      search.focus();
      return;
    }
    if (panel.hidden) return;
    if (event.key === "+" || event.key === "=" || event.key === "-") {
      event.preventDefault();
      zoomBy(event.key === "-" ? 1 / ZOOM_STEP : ZOOM_STEP);
      return;
    }
    const dir = ARROWS[event.key];
    const node = document.activeElement?.closest?.("#graph g.node");
    if (!dir || !(node instanceof SVGGElement)) return;
    event.preventDefault();
    const next = stepFrom(node, dir);
    if (next) next.focus();
  });
  document.getElementById("skip-to-graph")?.addEventListener("click", (event) => {
    event.preventDefault();
    const first = graph.model().nodes.find((n) => n.kind === "container");
    if (first) graph.focus(first.id);
  });
}
