import type { Selection } from "d3";
import { createLabelBoxes, placeLabels } from "./label-layout.ts";
import type { Point } from "./layout.ts";
import type { GraphLink, GraphNode } from "./model.ts";

type Sel<E extends Element, D> = Selection<E, D, SVGGElement, unknown>;

/** Smallest on-screen size of the smallest label (9.5px address labels); names are a little larger. */
export const LEGIBLE_PX = 9;
const SMALLEST_PX = 9.5;
/** Vertical extent of a node's name, and of its name and caption, at the base font size. */
const NAME_H = 15;
const NAME_SUB_H = 28;
const EDGE_LABEL_H = 12;
/** Where an address label may sit along its edge, from the hub (source) end: nearest the container first. */
const ALONG = [0.62, 0.74, 0.5];

export interface SvgLabelInput {
  nodes: Sel<SVGGElement, GraphNode>;
  links: Sel<SVGTextElement, GraphLink>;
  at(key: string): Point;
  transform: { x: number; y: number; k: number };
  width: number;
  height: number;
  /** Captions (`.sub`) and address labels are shown at this zoom. */
  subs: boolean;
  addresses: boolean;
  /** Drawn first: the selection, the hovered node and their neighbours. */
  first: ReadonlySet<string>;
  degree: ReadonlyMap<string, number>;
}

/** Factor labels are drawn at so the smallest stays legible when zoomed out (`--lz` on the SVG). */
export function labelZoom(k: number): number {
  return Math.max(1, LEGIBLE_PX / (SMALLEST_PX * k));
}

/**
 * Hides the labels that would overlap a label of higher priority (selection and hover, then hubs, then busy
 * containers, then addresses) and places each address label at the first free spot along its edge.
 */
export function createSvgLabels(): { update(input: SvgLabelInput): void; measure(el: SVGGElement): void } {
  const widths = new WeakMap<Element, number>();
  const hidden = new WeakMap<Element, boolean>();
  let boxes = createLabelBoxes(0);

  function measure(el: SVGGElement): void {
    let w = 0;
    for (const t of el.querySelectorAll<SVGTextElement>("text.label, text.sub"))
      if (t.textContent) w = Math.max(w, t.getComputedTextLength());
    widths.set(el, w + 4);
  }

  function setHidden(el: Element, hide: boolean): void {
    if (hidden.get(el) === hide) return;
    hidden.set(el, hide);
    el.classList.toggle("label-hidden", hide);
  }

  return {
    measure,
    update(input) {
      const { transform: t } = input;
      const lz = labelZoom(t.k);
      const nodeEls: SVGGElement[] = [];
      const nodeData: GraphNode[] = [];
      input.nodes.each(function (d) {
        nodeEls.push(this);
        nodeData.push(d);
      });
      const linkEls: SVGTextElement[] = [];
      const linkData: GraphLink[] = [];
      if (input.addresses)
        input.links.each(function (d) {
          linkEls.push(this);
          linkData.push(d);
        });
      const capacity = nodeData.length * 2 + linkData.length * ALONG.length;
      if (boxes.x.length < capacity) boxes = createLabelBoxes(capacity);
      const owner = new Int32Array(capacity);
      const along = new Float32Array(capacity);
      let n = 0;
      const s = t.k * lz;
      // The shapes themselves: placed first, so no label covers a node.
      for (let i = 0; i < nodeData.length; i++) {
        const d = nodeData[i];
        const p = input.at(d.key);
        boxes.x[n] = t.x + p.x * t.k;
        boxes.y[n] = t.y + (p.y - d.radius) * t.k;
        boxes.w[n] = boxes.h[n] = 2 * d.radius * t.k;
        boxes.priority[n] = Infinity;
        owner[n++] = -1;
      }
      for (let i = 0; i < nodeData.length; i++) {
        const d = nodeData[i];
        const p = input.at(d.key);
        const w = widths.get(nodeEls[i]) ?? 0;
        boxes.x[n] = t.x + p.x * t.k;
        boxes.y[n] = t.y + (p.y + d.radius + 1) * t.k;
        boxes.w[n] = w * s;
        boxes.h[n] = (input.subs && d.caption ? NAME_SUB_H : NAME_H) * s;
        const rank = input.first.has(d.id) ? 4 : d.kind === "container" ? 2 : 3;
        boxes.priority[n] = rank * 1e6 + (input.degree.get(d.key) ?? 0);
        owner[n++] = i;
      }
      for (let j = 0; j < linkData.length; j++) {
        const l = linkData[j];
        const a = input.at(l.source);
        const b = input.at(l.target);
        const w = Number(linkEls[j].getAttribute("data-w")) || measureEdge(linkEls[j], lz);
        for (const [alt, f] of ALONG.entries()) {
          boxes.x[n] = t.x + (a.x + (b.x - a.x) * f) * t.k;
          boxes.y[n] = t.y + (a.y + (b.y - a.y) * f) * t.k - (EDGE_LABEL_H / 2) * s;
          boxes.w[n] = w * s;
          boxes.h[n] = EDGE_LABEL_H * s;
          // Nearer positions first; any address ranks below every name.
          boxes.priority[n] = 1e5 - alt;
          along[n] = f;
          owner[n++] = nodeData.length + j;
        }
      }
      boxes.count = n;
      const shown = new Uint8Array(nodeData.length + linkData.length);
      const place = new Float32Array(linkData.length);
      for (const i of placeLabels(boxes, input.width, input.height, owner)) {
        const o = owner[i];
        if (o < 0) continue;
        shown[o] = 1;
        if (o >= nodeData.length) place[o - nodeData.length] = along[i];
      }
      for (let i = 0; i < nodeEls.length; i++) setHidden(nodeEls[i], !shown[i]);
      for (let j = 0; j < linkEls.length; j++) {
        const on = shown[nodeData.length + j] === 1;
        setHidden(linkEls[j], !on);
        if (!on) continue;
        const f = place[j];
        const a = input.at(linkData[j].source);
        const b = input.at(linkData[j].target);
        linkEls[j].setAttribute("x", (a.x + (b.x - a.x) * f).toFixed(1));
        linkEls[j].setAttribute("y", (a.y + (b.y - a.y) * f).toFixed(1));
      }
    },
  };
}

/** Width of an address label at its base size, kept on the element (re-measured when its text changes). */
function measureEdge(el: SVGTextElement, lz: number): number {
  const w = el.getComputedTextLength() / lz + 4;
  el.setAttribute("data-w", w.toFixed(1));
  return w;
}
