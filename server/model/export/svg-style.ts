import type { LinkStyleRow, NetworkStyleRow } from "../graph-style.ts";
import type { GroupBy } from "../graph/index.ts";
import {
  CONTAINER_STATES,
  GROUP_STYLES,
  INK,
  LINK_KINDS,
  LINK_STYLES,
  NETWORK_KINDS,
  NETWORK_STYLES,
  STATE_STYLES,
} from "../graph-style.ts";

const FONT = `system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif`;
const HALO = `paint-order:stroke;stroke:${INK.bg};stroke-width:3px;stroke-linejoin:round`;
const HOST = NETWORK_STYLES.host.light;
const INKS: Record<LinkStyleRow["ink"], string> = { edge: INK.edge, host: HOST, muted: INK.muted };
const DASHES: Record<LinkStyleRow["dash"], string> = {
  solid: "",
  dotted: ";stroke-dasharray:1 3;opacity:.7",
  dashed: ";stroke-dasharray:5 3",
};
const OUTLINES: Record<NetworkStyleRow["outline"], string> = {
  solid: "",
  halo: "stroke-width:5;stroke-opacity:.45;paint-order:stroke",
  hollow: "fill:#fff;stroke-width:3",
  dashed: "stroke-dasharray:4 2;fill-opacity:.35",
};

/**
 * The SVG's stylesheet: the page's light theme, written out from the style table (graph-style.ts); a fleet's
 * drawing adds its machines' boxes, services' outlines and collapsed services.
 */
export function svgStyle(fleet = false): string {
  const rules = [
    `text{font-family:${FONT}}`,
    `.bg{fill:${INK.bg}}`,
    `.title{font-size:18px;font-weight:600;fill:${INK.fg}}`,
    `.subtitle{font-size:11px;fill:${INK.muted}}`,
    `.link{stroke:${INK.edge};stroke-width:1.4;fill:none}`,
    ...LINK_KINDS.map((k) => {
      const s = LINK_STYLES[k];
      return `.link.${k}{stroke:${INKS[s.ink]};stroke-width:${s.width}${DASHES[s.dash]}}`;
    }),
    `.link.down{stroke-dasharray:4 3;opacity:.7}`,
    `.link-label{font-size:9.5px;fill:${INK.edgeLabel};text-anchor:middle;dominant-baseline:middle;${HALO}}`,
    `.link-label.implicit,.link-label.down{fill:${INK.muted};font-style:italic}`,
    `.label{font-size:11px;text-anchor:middle;fill:${INK.fg};${HALO}}`,
    `.network .label,.host .label{font-weight:600;font-size:12px}`,
    `.sub{font-size:9.5px;text-anchor:middle;fill:${INK.muted};${HALO}}`,
    `.shape{stroke-width:2;fill:#fff}`,
    `.network .shape,.host .shape{fill-opacity:.85}`,
    ...NETWORK_KINDS.map(
      (k) => `.net-${k} .shape{fill:${NETWORK_STYLES[k].light};stroke:${NETWORK_STYLES[k].light}}`,
    ),
    ...NETWORK_KINDS.filter((k) => OUTLINES[NETWORK_STYLES[k].outline]).map(
      (k) => `.net-${k} .shape{${OUTLINES[NETWORK_STYLES[k].outline]}}`,
    ),
    `.internal .shape{stroke:${INK.fg};stroke-width:3;stroke-dasharray:1 3}`,
    `.icc-mark{stroke:${INK.fg};stroke-width:3;stroke-linecap:round;fill:none}`,
    ...CONTAINER_STATES.map((s) => {
      const row = STATE_STYLES[s];
      const extra = `${row.hollow ? ";fill:#fff" : ""}${row.dashed ? ";stroke-dasharray:3 2" : ""}${row.thick ? ";stroke-width:4" : ""}`;
      return `.state-${s} .shape{fill:${row.light};stroke:${row.light}${extra}}`;
    }),
    `.joiner .shape{stroke:${HOST};stroke-width:3}`,
    `.no-net circle{fill:#fff;stroke:${INK.fg};stroke-width:1.2}`,
    `.no-net path{stroke:${INK.fg};stroke-width:1.4;stroke-linecap:round}`,
    `.hull path{fill-opacity:.1;stroke-opacity:.7;stroke-width:1.5}`,
    `.hull-label{font-size:11px;font-weight:600;text-anchor:middle;${HALO}}`,
    `.legend-box{fill:#fff;stroke:#d5dae1}`,
    `.legend text{font-size:10.5px;fill:${INK.fg};dominant-baseline:middle}`,
    `.legend .heading{font-weight:600;font-size:11px}`,
    ...(fleet ? fleetRules() : []),
  ];
  return rules.join("\n");
}

function fleetRules(): string[] {
  const dash = (by: GroupBy): string => (GROUP_STYLES[by].dash === "dashed" ? ";stroke-dasharray:5 3" : "");
  return [
    `.machine rect{fill-opacity:${GROUP_STYLES.node.fill};stroke-width:1.5;stroke-opacity:.8${dash("node")}}`,
    `.machine-label{font-size:12px;font-weight:600;${HALO}}`,
    `.machine-sub{font-size:9.5px;fill:${INK.muted};${HALO}}`,
    `.hull.service path{fill-opacity:${GROUP_STYLES.service.fill}${dash("service")}}`,
    `.svc-shape{stroke-width:2;fill-opacity:.3}`,
  ];
}
