import type { GraphGroup } from "./graph/model.ts";
import {
  CONTAINER_STATES,
  DOWN_LINK,
  iccOffMark,
  LINK_KINDS,
  LINK_STYLES,
  NETWORK_KINDS,
  NETWORK_STYLES,
  networkShape,
} from "./graph/style.ts";
import { h } from "./dom.ts";
import { SERVICE_VERTEX } from "../server/model/graph-style.ts";
import { serviceShape } from "./graph/paint.ts";

const SVG = "http://www.w3.org/2000/svg";
const REACH: Array<[string, string]> = [
  ["reach-source", "selected source"],
  ["reach-reachable", "reachable from it (✓)"],
  ["reach-unknown", "unknown (?)"],
  ["reach-blocked", "blocked (✗)"],
];
function swatch(build: (g: SVGGElement) => void, cls: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "-14 -12 28 24");
  svg.setAttribute("class", `swatch ${cls}`);
  svg.setAttribute("aria-hidden", "true");
  const g = document.createElementNS(SVG, "g");
  svg.append(g);
  build(g);
  return svg;
}

function shape(d: string, cls: string): SVGSVGElement {
  return swatch((g) => {
    const p = document.createElementNS(SVG, "path");
    p.setAttribute("d", d);
    p.setAttribute("class", "shape");
    g.append(p);
  }, cls);
}

/** A bridge hub with a flag: internal (INT-2) or icc off (ICC-1, with its bar). */
function flagged(cls: string): SVGSVGElement {
  return swatch((g) => {
    const p = document.createElementNS(SVG, "path");
    p.setAttribute("d", networkShape("bridge", 8));
    p.setAttribute("class", "shape");
    g.append(p);
    if (cls !== "icc-off") return;
    const bar = document.createElementNS(SVG, "path");
    bar.setAttribute("d", iccOffMark(8));
    bar.setAttribute("class", "icc-mark");
    g.append(bar);
  }, `node network net-bridge ${cls}`);
}

/** NO-1: the "no entry" mark a container with only lo carries. */
function noNetworkSwatch(): SVGSVGElement {
  return swatch((g) => {
    g.setAttribute("class", "no-net");
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("r", "6");
    const p = document.createElementNS(SVG, "path");
    p.setAttribute("d", "M-4,4L4,-4");
    g.append(c, p);
  }, "node container");
}

function edge(cls: string): SVGSVGElement {
  return swatch((g) => {
    const l = document.createElementNS(SVG, "line");
    Object.entries({ x1: "-12", y1: "0", x2: "12", y2: "0" }).forEach(([k, v]) => l.setAttribute(k, v));
    l.setAttribute("class", `link ${cls}`);
    g.append(l);
  }, "edge");
}

/** A fleet machine's tile, as the page draws it (`.lane`), live or down. */
function tile(state: "live" | "down"): SVGSVGElement {
  return swatch((g) => {
    g.setAttribute("class", "lane");
    g.setAttribute("data-state", state);
    const r = document.createElementNS(SVG, "rect");
    Object.entries({ x: "-12", y: "-9", width: "24", height: "18", rx: "4" }).forEach(([k, v]) =>
      r.setAttribute(k, v),
    );
    g.append(r);
  }, "fleet");
}

/** Builds the static part of the legend and returns a function that refreshes the compose projects. */
export function createLegend(el: HTMLElement): (groups: GraphGroup[], fleet: boolean) => void {
  const fleetSection = h(
    "section",
    { hidden: "", "data-section": "fleet" },
    h("h3", null, "Fleet"),
    h(
      "ul",
      null,
      h("li", null, tile("live"), "a machine: engine or swarm node"),
      h("li", null, tile("down"), "machine down or stale"),
      h(
        "li",
        null,
        shape(networkShape("bridge", 7), "node container state-running stale"),
        "stale container",
      ),
      h("li", null, shape(serviceShape(8), "node service"), SERVICE_VERTEX.legend),
    ),
  );
  const projects = h("ul", { class: "projects" });
  const projectSection = h("section", { hidden: "" }, h("h3", null, "Compose projects"), projects);
  const body = h(
    "div",
    { class: "legend-body" },
    h(
      "section",
      null,
      h("h3", null, "Networks"),
      h(
        "ul",
        null,
        // `null` is drawn as a mark on the container (NO-1), never as a hub of its own.
        ...NETWORK_KINDS.filter((s) => s !== "null").map((s) =>
          h("li", null, shape(networkShape(s, 8), `node network net-${s}`), NETWORK_STYLES[s].label),
        ),
        h("li", null, flagged("internal"), "internal (INT-2)"),
        h("li", null, flagged("icc-off"), "icc off: members isolated (ICC-1)"),
      ),
    ),
    h(
      "section",
      null,
      h("h3", null, "Containers"),
      h(
        "ul",
        null,
        ...CONTAINER_STATES.map((s) =>
          h("li", null, shape(networkShape("bridge", 7), `node container state-${s}`), s),
        ),
        h("li", null, noNetworkSwatch(), "no network (--network none, NO-1)"),
      ),
    ),
    h(
      "section",
      null,
      h("h3", null, "Reachability (click a container)"),
      h(
        "ul",
        null,
        ...REACH.map(([cls, text]) =>
          h("li", null, shape(networkShape("bridge", 7), `node container state-running ${cls}`), text),
        ),
      ),
    ),
    h(
      "section",
      null,
      h("h3", null, "Edges"),
      h(
        "ul",
        null,
        ...LINK_KINDS.map((k) => h("li", null, edge(k), LINK_STYLES[k].legend)),
        h("li", null, edge("interface down"), DOWN_LINK.legend),
      ),
    ),
    fleetSection,
    projectSection,
  );
  // Opening and closing is the side panel's fold (index.html), closed while something is selected.
  el.replaceChildren(body);
  let shown = "";
  return (groups, fleet) => {
    fleetSection.hidden = !fleet;
    const key = groups.map((g) => g.name).join("\n");
    if (key === shown) return;
    shown = key;
    projectSection.hidden = groups.length === 0;
    projects.replaceChildren(
      ...groups.map((g) => {
        const dot = h("span", { class: "project-dot" });
        dot.style.setProperty("--group", g.color);
        return h("li", null, dot, g.name);
      }),
    );
  };
}
