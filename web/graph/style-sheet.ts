import type { LinkStyleRow, NetworkStyleRow } from "../../server/model/graph-style.ts";
import {
  CONTAINER_STATES,
  LINK_KINDS,
  LINK_STYLES,
  NETWORK_KINDS,
  NETWORK_STYLES,
  STATE_STYLES,
} from "../../server/model/graph-style.ts";

const OUTLINES: Record<NetworkStyleRow["outline"], string> = {
  solid: "",
  halo: "stroke-width: 5; stroke-opacity: 0.45; paint-order: stroke;",
  hollow: "fill: var(--node-fill); stroke-width: 3;",
  dashed: "stroke-dasharray: 4 2; fill-opacity: 0.35;",
};
const INKS: Record<LinkStyleRow["ink"], string> = {
  edge: "var(--edge)",
  host: "var(--net-host)",
  muted: "var(--muted)",
};
const DASHES: Record<LinkStyleRow["dash"], string> = {
  solid: "",
  dotted: "stroke-dasharray: 1 3; opacity: 0.7;",
  dashed: "stroke-dasharray: 6 3;",
};

/**
 * The page's per-kind CSS (adopted after web/styles.css, so each rule keeps the specificity of the generic rule
 * it refines, via `:where`, and the page's state rules — selection, `.down`, `.active` — still win), written from the style table (server/model/graph-style.ts): colour variables for
 * both themes, hub outlines, container states and edge kinds. web/styles.css holds only what no kind decides.
 */
export function graphStyleSheet(): string {
  const vars = (theme: "light" | "dark"): string =>
    [
      ...NETWORK_KINDS.map((k) => `--net-${k}: ${NETWORK_STYLES[k][theme]};`),
      ...CONTAINER_STATES.map((s) => `--state-${s}: ${STATE_STYLES[s][theme]};`),
    ].join(" ");
  return [
    `:root { ${vars("light")} }`,
    `@media (prefers-color-scheme: dark) { :root { ${vars("dark")} } }`,
    ...NETWORK_KINDS.map((k) => `.net-${k} { --c: var(--net-${k}); }`),
    ...NETWORK_KINDS.filter((k) => OUTLINES[NETWORK_STYLES[k].outline]).map(
      (k) => `.node.network:where(.net-${k}) .shape { ${OUTLINES[NETWORK_STYLES[k].outline]} }`,
    ),
    ...CONTAINER_STATES.map((s) => {
      const row = STATE_STYLES[s];
      const shape = [
        row.hollow ? "fill: var(--node-fill);" : "",
        row.dashed ? "stroke-dasharray: 3 2;" : "",
        row.thick ? "stroke-width: 4;" : "",
      ].join(" ");
      return `.state-${s} { --s: var(--state-${s}); }${shape.trim() ? ` .node.container:where(.state-${s}) .shape { ${shape} }` : ""}`;
    }),
    ...LINK_KINDS.map((k) => {
      const row = LINK_STYLES[k];
      return `.link:where(.${k}) { stroke: ${INKS[row.ink]}; stroke-width: ${row.width}; ${DASHES[row.dash]} }`;
    }),
  ].join("\n");
}

/**
 * Adopts the generated sheet before the page's own, so web/styles.css can still refine it. A constructed sheet,
 * not a `<style>` element: the page's CSP has no 'unsafe-inline'.
 */
export function installGraphStyles(doc: Document = document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(graphStyleSheet());
  doc.adoptedStyleSheets = [sheet, ...doc.adoptedStyleSheets];
}
