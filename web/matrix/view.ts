import { markBidi } from "../../server/model/escape/bidi.ts";
import type { Verdict } from "../../server/model/reachability/index.ts";
import { h } from "../dom.ts";
import { GLYPH } from "../reach/describe.ts";
import type { ReachModel } from "../reach/model.ts";
import type { MatrixOptions, Observation, Pair, State } from "../store.ts";
import { pairKey } from "../store.ts";
import type { MatrixEnd } from "./order.ts";
import { orderEnds } from "./order.ts";
import { createMatrixBar } from "./toolbar.ts";

export const CELL = 22;
/** Rows and columns drawn beyond the visible edge, so a scroll step never shows blank cells. */
const OVERSCAN = 3;

export interface MatrixActions {
  open(pair: Pair): void;
  setOptions(options: Partial<MatrixOptions>): void;
}

/** Reuses `parent`'s children as `count` elements, so scrolling rewrites attributes instead of the DOM. */
function pool(parent: HTMLElement, count: number, make: () => HTMLElement): HTMLElement[] {
  while (parent.children.length > count) parent.lastElementChild?.remove();
  while (parent.children.length < count) parent.append(make());
  return [...parent.children] as HTMLElement[];
}

/** Sets an attribute only when it changes; most cells keep most attributes from one frame to the next. */
function set(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export interface MatrixView {
  update(model: ReachModel | null, state: State): void;
}

/**
 * A virtualised verdict matrix: only the cells in view exist in the DOM (positioned divs), so thousands of
 * containers still scroll. Rows are sources, columns targets, both with the host first.
 */
export function createMatrixView(root: HTMLElement, actions: MatrixActions): MatrixView {
  const bar = createMatrixBar(actions.setOptions);
  const cols = h("div", { class: "mx-cols-inner" });
  const rows = h("div", { class: "mx-rows-inner" });
  const cells = h("div", { class: "mx-cells" });
  const sizer = h("div", { class: "mx-sizer" }, cells);
  const body = h("div", { class: "mx-body" }, sizer);
  const grid = h(
    "div",
    {
      class: "mx-grid",
      role: "grid",
      tabindex: "0",
      "aria-label": "Reachability matrix: rows reach columns",
    },
    h("div", { class: "mx-corner", "aria-hidden": "true" }, "from ↓ · to →"),
    h("div", { class: "mx-cols", "aria-hidden": "true" }, cols),
    h("div", { class: "mx-rows", "aria-hidden": "true" }, rows),
    body,
  );
  root.replaceChildren(bar.el, grid);

  let model: ReachModel | null = null;
  let ends: MatrixEnd[] = [];
  let options: MatrixOptions | null = null;
  let observed: ReadonlyMap<string, Observation> = new Map();
  let active = { r: 0, c: 0 };
  let frame = 0;

  const schedule = (): void => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  body.addEventListener("scroll", schedule, { passive: true });
  new ResizeObserver(schedule).observe(body);

  function range(scroll: number, size: number, count: number): [number, number] {
    const first = Math.max(0, Math.floor(scroll / CELL) - OVERSCAN);
    return [first, Math.min(count, Math.ceil((scroll + size) / CELL) + OVERSCAN)];
  }

  function cellLabel(from: MatrixEnd, to: MatrixEnd, verdict: Verdict, obs?: Observation): string {
    const proof = obs ? `; probe observed ${obs.verdict}${obs.disagrees ? ", disagrees" : ""}` : "";
    return `${from.name} to ${to.name}: ${verdict}${proof}`;
  }

  function draw(): void {
    frame = 0;
    if (!model) return;
    const [r0, r1] = range(body.scrollTop, body.clientHeight, ends.length);
    const [c0, c1] = range(body.scrollLeft, body.clientWidth, ends.length);
    cols.style.transform = `translateX(${-body.scrollLeft}px)`;
    rows.style.transform = `translateY(${-body.scrollTop}px)`;
    const rowEls = pool(cells, r1 - r0, () => h("div", { role: "row" }));
    const rowHeads = pool(rows, r1 - r0, () => h("div", null));
    for (let r = r0; r < r1; r++) {
      const from = ends[r];
      const row = model.row(from.index);
      // Modulo slots keep an element on the same row while it stays in view: a small scroll rewrites only the edge.
      const rowEl = rowEls[r % rowEls.length];
      set(rowEl, "class", `mx-row${from.groupStart ? " group-start" : ""}`);
      set(rowEl, "aria-rowindex", String(r + 2));
      set(rowEl, "data-from", from.end);
      rowEl.style.top = `${r * CELL}px`;
      const cellEls = pool(rowEl, c1 - c0, () => h("div", { role: "gridcell" }));
      for (let c = c0; c < c1; c++) {
        const to = ends[c];
        const verdict = to.index < 0 ? row.host : row.verdict(to.index);
        const obs = observed.get(pairKey(from.end, to.end));
        const cls = [
          "mx-cell",
          `v-${verdict}`,
          to.groupStart ? "group-start" : "",
          r === c ? "self" : "",
          obs ? `observed obs-${obs.verdict}${obs.disagrees ? " disagrees" : ""}` : "",
          r === active.r && c === active.c ? "active" : "",
        ];
        const cell = cellEls[c % cellEls.length];
        const label = cellLabel(from, to, verdict, obs);
        set(cell, "id", `mx-${r}-${c}`);
        set(cell, "class", cls.filter(Boolean).join(" "));
        set(cell, "aria-colindex", String(c + 2));
        set(cell, "aria-label", label);
        set(cell, "title", label);
        set(cell, "data-to", to.end);
        set(cell, "data-verdict", verdict);
        if (cell.textContent !== GLYPH[verdict]) cell.textContent = GLYPH[verdict];
        cell.style.left = `${c * CELL}px`;
      }
      const head = rowHeads[r % rowHeads.length];
      set(head, "class", `mx-head${from.groupStart ? " group-start" : ""}`);
      set(head, "title", markBidi(from.name));
      head.style.top = `${r * CELL}px`;
      const group = from.groupStart && from.group ? h("span", { class: "mx-group" }, from.group) : null;
      head.replaceChildren(...(group ? [group] : []), markBidi(from.name));
    }
    const colHeads = pool(cols, c1 - c0, () => h("div", null));
    for (let c = c0; c < c1; c++) {
      const to = ends[c];
      const head = colHeads[c % colHeads.length];
      set(head, "class", `mx-head${to.groupStart ? " group-start" : ""}`);
      const shown = markBidi(to.name);
      set(head, "title", shown);
      if (head.textContent !== shown) head.textContent = shown;
      head.style.left = `${c * CELL}px`;
    }
    const activeEl = cells.querySelector(`#mx-${active.r}-${active.c}`);
    if (activeEl) grid.setAttribute("aria-activedescendant", activeEl.id);
    else grid.removeAttribute("aria-activedescendant");
  }

  function openAt(r: number, c: number): void {
    if (ends[r] && ends[c]) actions.open({ from: ends[r].end, to: ends[c].end });
  }

  cells.addEventListener("click", (event) => {
    const cell = (event.target as Element).closest<HTMLElement>(".mx-cell");
    const m = cell ? /^mx-(\d+)-(\d+)$/.exec(cell.id) : null;
    if (!m) return;
    active = { r: Number(m[1]), c: Number(m[2]) };
    openAt(active.r, active.c);
    schedule();
  });

  grid.addEventListener("keydown", (event) => {
    const n = ends.length;
    const page = Math.max(1, Math.floor(body.clientHeight / CELL) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageUp: [-page, 0],
      PageDown: [page, 0],
      Home: [0, -n],
      End: [0, n],
    };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openAt(active.r, active.c);
      return;
    }
    const move = moves[event.key];
    if (!move || n === 0) return;
    event.preventDefault();
    const clamp = (v: number): number => Math.max(0, Math.min(n - 1, v));
    active = { r: clamp(active.r + move[0]), c: clamp(active.c + move[1]) };
    scrollIntoView(active.r, active.c);
    schedule();
  });

  function scrollIntoView(r: number, c: number): void {
    const [y, x] = [r * CELL, c * CELL];
    if (y < body.scrollTop) body.scrollTop = y;
    else if (y + CELL > body.scrollTop + body.clientHeight) body.scrollTop = y + CELL - body.clientHeight;
    if (x < body.scrollLeft) body.scrollLeft = x;
    else if (x + CELL > body.scrollLeft + body.clientWidth) body.scrollLeft = x + CELL - body.clientWidth;
  }

  return {
    update(next, state) {
      if (next !== model || state.matrix !== options) {
        model = next;
        options = state.matrix;
        ends = model ? orderEnds(model, options) : [];
        bar.update(options, Math.max(0, ends.length - 1));
        sizer.style.width = `${ends.length * CELL}px`;
        sizer.style.height = `${ends.length * CELL}px`;
        grid.setAttribute("aria-rowcount", String(ends.length + 1));
        grid.setAttribute("aria-colcount", String(ends.length + 1));
        root.dataset.rows = String(ends.length);
        active = {
          r: Math.min(active.r, Math.max(0, ends.length - 1)),
          c: Math.min(active.c, Math.max(0, ends.length - 1)),
        };
      }
      observed = state.observed;
      if (!root.hidden) schedule();
    },
  };
}
