import type { Selection } from "d3";
import type { Verdict } from "../../server/model/reachability/index.ts";
import { GLYPH } from "../reach/describe.ts";
import type { Observation } from "../store.ts";
import type { GraphLink, GraphModel, GraphNode } from "./model.ts";

type Sel<E extends Element, D> = Selection<E, D, SVGGElement, unknown>;

/** The drawn elements the highlighter works on; refreshed after every join. */
export interface Drawn {
  model: GraphModel;
  nodes: Sel<SVGGElement, GraphNode>;
  links: Sel<SVGLineElement, GraphLink>;
  labels: Sel<SVGTextElement, GraphLink>;
}

/** One source's verdicts painted onto the graph: lit, dimmed, unknown, and what probes observed. */
export interface ReachPaint {
  /** Node ID of the source: its container, or the host network hub for `@host`. */
  sourceNode: string;
  verdictOf(node: GraphNode): Verdict | undefined;
  observedOf(node: GraphNode): Observation | undefined;
}

export interface Highlighter {
  /** Call after the elements were joined anew. */
  refresh(drawn: Drawn): void;
  highlight(selectedId: string | null, hoverId: string | null): void;
  paintReach(paint: ReachPaint | null): void;
}

const VERDICTS: Verdict[] = ["reachable", "blocked", "unknown"];

/** Selection, hover and reachability classes; selection and hover touch only elements whose state changes. */
export function createHighlighter(svg: SVGSVGElement): Highlighter {
  let drawn: Drawn | null = null;
  let indexed = false;
  let nodeEls = new Map<string, SVGGElement>();
  let edgeEls = new Map<string, Element[]>();
  let neighbours = new Map<string, Set<string>>();
  const marked = new Map<string, Set<Element>>();
  let reachPainted = false;

  function mark(cls: string, elements: Iterable<Element | undefined>): void {
    const next = new Set<Element>();
    for (const el of elements) if (el) next.add(el);
    for (const el of marked.get(cls) ?? []) if (!next.has(el)) el.classList.remove(cls);
    for (const el of next) el.classList.add(cls);
    marked.set(cls, next);
  }

  function indexElements(d: Drawn): void {
    nodeEls = new Map();
    d.nodes.each(function (n) {
      nodeEls.set(n.id, this);
    });
    edgeEls = new Map();
    neighbours = new Map();
    const add = <V>(map: Map<string, V[] | Set<V>>, key: string, value: V): void => {
      const bucket = map.get(key);
      if (bucket instanceof Set) bucket.add(value);
      else if (bucket) bucket.push(value);
    };
    for (const l of d.model.links) {
      const [a, b] = [keyToId(l.source), keyToId(l.target)];
      if (!neighbours.has(a)) neighbours.set(a, new Set());
      if (!neighbours.has(b)) neighbours.set(b, new Set());
      add(neighbours, a, b);
      add(neighbours, b, a);
    }
    const byEnds = function (this: Element, l: GraphLink): void {
      for (const id of [keyToId(l.source), keyToId(l.target)]) {
        if (!edgeEls.has(id)) edgeEls.set(id, []);
        add(edgeEls, id, this);
      }
    };
    d.links.each(byEnds);
    d.labels.each(byEnds);
  }

  /** Marks the selected and hovered nodes, and the links and neighbours of the selection. */
  function highlight(selectedId: string | null, hoverId: string | null): void {
    const busy = selectedId !== null || hoverId !== null || [...marked.values()].some((m) => m.size > 0);
    if (!indexed && drawn && busy) {
      indexElements(drawn);
      indexed = true;
    }
    svg.classList.toggle("has-selection", selectedId !== null);
    const near = selectedId === null ? [] : [selectedId, ...(neighbours.get(selectedId) ?? [])];
    mark("selected", [selectedId === null ? undefined : nodeEls.get(selectedId)]);
    mark("hovered", [hoverId === null ? undefined : nodeEls.get(hoverId)]);
    mark(
      "near",
      near.map((id) => nodeEls.get(id)),
    );
    mark("active", selectedId === null ? [] : (edgeEls.get(selectedId) ?? []));
  }

  /** A row touches every node once: O(nodes) per change of source, topology or observations. */
  function paintReach(paint: ReachPaint | null): void {
    svg.classList.toggle("has-reach", paint !== null);
    if (!drawn || (!paint && !reachPainted)) return;
    reachPainted = paint !== null;
    drawn.nodes.each(function (d) {
      const verdict = paint && d.id !== paint.sourceNode ? paint.verdictOf(d) : undefined;
      for (const v of VERDICTS) this.classList.toggle(`reach-${v}`, v === verdict);
      this.classList.toggle("reach-source", paint?.sourceNode === d.id);
      if (verdict) this.setAttribute("data-reach", verdict);
      else this.removeAttribute("data-reach");
      const observed = paint && d.id !== paint.sourceNode ? paint.observedOf(d) : undefined;
      const proof = this.querySelector("text.proof");
      if (!proof) return;
      const text = observed ? GLYPH[observed.verdict] : "";
      if (proof.textContent !== text) proof.textContent = text;
      if (observed) {
        this.setAttribute("data-observed", observed.verdict);
        proof.setAttribute("class", `proof ${observed.disagrees ? "disagrees" : "agrees"}`);
      } else this.removeAttribute("data-observed");
    });
  }

  return {
    refresh(next) {
      drawn = next;
      indexed = false;
    },
    highlight,
    paintReach,
  };
}

function keyToId(key: string): string {
  return key.slice(2);
}
