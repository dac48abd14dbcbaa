import type { GraphGroup } from "./graph/model.ts";
import type { NetworkStyle } from "./graph/style.ts";
import { iccOffMark, NETWORK_STYLE_LABELS, networkShape } from "./graph/style.ts";
import { h } from "./dom.ts";

const SVG = "http://www.w3.org/2000/svg";
const STYLES: NetworkStyle[] = [
  "bridge",
  "default-bridge",
  "overlay",
  "macvlan",
  "ipvlan",
  "host",
  "null",
  "plugin",
];
const STATES = ["running", "paused", "restarting", "created", "exited", "dead"];
const REACH: Array<[string, string]> = [
  ["reach-source", "selected source"],
  ["reach-reachable", "reachable from it (✓)"],
  ["reach-unknown", "unknown (?)"],
  ["reach-blocked", "blocked (✗)"],
];
const EDGES: Array<[string, string]> = [
  ["interface", "interface (address)"],
  ["interface down", "interface, no address"],
  ["implicit", "implicit gateway bridge"],
  ["namespace", "shares netns (container:)"],
  ["legacy", "legacy link"],
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

function edge(cls: string): SVGSVGElement {
  return swatch((g) => {
    const l = document.createElementNS(SVG, "line");
    Object.entries({ x1: "-12", y1: "0", x2: "12", y2: "0" }).forEach(([k, v]) => l.setAttribute(k, v));
    l.setAttribute("class", `link ${cls}`);
    g.append(l);
  }, "edge");
}

/** Builds the static part of the legend and returns a function that refreshes the compose projects. */
export function createLegend(el: HTMLElement): (groups: GraphGroup[]) => void {
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
        ...STYLES.map((s) =>
          h("li", null, shape(networkShape(s, 8), `node network net-${s}`), NETWORK_STYLE_LABELS[s]),
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
        ...STATES.map((s) => h("li", null, shape(networkShape("bridge", 7), `node container state-${s}`), s)),
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
      h("ul", null, ...EDGES.map(([cls, text]) => h("li", null, edge(cls), text))),
    ),
    projectSection,
  );
  // Opening and closing is the side panel's fold (index.html), closed while something is selected.
  el.replaceChildren(body);
  let shown = "";
  return (groups) => {
    const key = groups.map((g) => g.project).join("\n");
    if (key === shown) return;
    shown = key;
    projectSection.hidden = groups.length === 0;
    projects.replaceChildren(
      ...groups.map((g) => {
        const dot = h("span", { class: "project-dot" });
        dot.style.setProperty("--group", g.color);
        return h("li", null, dot, g.project);
      }),
    );
  };
}
