import { markBidi } from "../../server/model/escape/bidi.ts";
import type { Selection } from "d3";
import { select } from "d3";
import type { GraphLink, GraphNode } from "./model.ts";
import { iccOffMark, LINK_STYLES, networkShape } from "./style.ts";

type Sel<E extends Element, D> = Selection<E, D, SVGGElement, unknown>;

const CONTAINER_SHAPE = "M-9,0a9,9 0 1,0 18,0a9,9 0 1,0 -18,0Z";

/** A collapsed swarm service: a rounded square (a stack of tasks), never mistaken for one container. */
export function serviceShape(r: number): string {
  const [a, c] = [r, r * 0.35];
  return `M${-a + c},${-a}H${a - c}Q${a},${-a} ${a},${-a + c}V${a - c}Q${a},${a} ${a - c},${a}H${-a + c}Q${-a},${a} ${-a},${a - c}V${-a + c}Q${-a},${-a} ${-a + c},${-a}Z`;
}

/** The elements every node has; painted by `paintNode`. */
export function enterNode(g: Sel<SVGGElement, GraphNode>): void {
  g.attr("tabindex", 0).attr("role", "button");
  g.append("title");
  g.append("path").attr("class", "shape");
  // Name and caption scale together (`--lz`) so they stay legible zoomed out; see svg-labels.ts.
  const labels = g.append("g").attr("class", "labels");
  labels.append("text").attr("class", "label");
  labels.append("text").attr("class", "sub");
  g.append("text").attr("class", "proof").attr("aria-hidden", "true");
}

/** Writes the attributes of a node (only when its signature changed); returns the signature drawn. */
export function paintNode(el: SVGGElement, d: GraphNode): string {
  const g = select(el);
  g.attr("class", `node ${d.kind} ${d.cls}`)
    .attr("data-id", d.id)
    .attr("data-kind", d.kind)
    .attr("aria-label", markBidi(d.aria));
  const r = d.radius;
  g.select("path.shape").attr(
    "d",
    d.style ? networkShape(d.style, r) : d.kind === "service" ? serviceShape(r) : CONTAINER_SHAPE,
  );
  // ICC-1: a bar across the hub, so icc off never looks like a plugin driver's dashed outline.
  g.selectAll("path.icc-mark")
    .data(d.iccOff ? [r] : [])
    .join((enter) => enter.insert("path", "g.labels").attr("class", "icc-mark"))
    .attr("d", iccOffMark);
  // NO-1: a "no entry" sign beside a container with only lo, as the exports draw it.
  g.selectAll("g.no-net")
    .data(d.noNetwork ? [r] : [])
    .join((enter) => {
      const mark = enter.insert("g", "g.labels").attr("class", "no-net");
      mark.append("circle").attr("r", 4.5);
      mark.append("path").attr("d", "M-3,3L3,-3");
      return mark;
    })
    .attr("transform", `translate(${r},${-r})`);
  g.select("text.proof")
    .attr("x", r + 2)
    .attr("y", -r + 2);
  // The full name and every line under it: the label itself may be shortened (shortName).
  g.select("title").text(markBidi([d.name, ...d.sub].join("\n")));
  g.select<SVGGElement>("g.labels").style("translate", `0 ${r + 1}px`);
  const labelY = d.kind === "container" ? 11 : 12;
  g.select("text.label").attr("y", labelY).text(markBidi(d.label));
  g.select("text.sub")
    .attr("y", labelY + 12)
    .text(markBidi(d.caption));
  return d.sig;
}

/** Writes the attributes of a link; returns the signature drawn. */
export function paintLink(el: SVGLineElement, d: GraphLink): string {
  const line = select(el)
    .attr("class", `link ${d.cls}`)
    .attr("data-kind", d.kind)
    .attr("data-container", d.containerId);
  if (d.networkId) line.attr("data-network", d.networkId);
  if (LINK_STYLES[d.kind].directed) line.attr("marker-end", "url(#arrow)");
  return d.sig;
}
