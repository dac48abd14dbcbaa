import type { NetworkStyle } from "../graph-style.ts";
import { INK, NETWORK_COLORS, STATE_COLORS } from "../graph-style.ts";

const FONT = `system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif`;
const HALO = `paint-order:stroke;stroke:${INK.bg};stroke-width:3px;stroke-linejoin:round`;
const HOST = NETWORK_COLORS.host;

/** The SVG's stylesheet: the page's light theme (web/styles.css) with its colours written out. */
export function svgStyle(): string {
  const rules = [
    `text{font-family:${FONT}}`,
    `.bg{fill:${INK.bg}}`,
    `.title{font-size:18px;font-weight:600;fill:${INK.fg}}`,
    `.subtitle{font-size:11px;fill:${INK.muted}}`,
    `.link{stroke:${INK.edge};stroke-width:1.4;fill:none}`,
    `.link.down{stroke-dasharray:4 3;opacity:.7}`,
    `.link.implicit{stroke-width:.8;stroke-dasharray:1 3;opacity:.7}`,
    `.link.namespace{stroke:${HOST};stroke-width:2;stroke-dasharray:6 3}`,
    `.link.legacy{stroke-width:.8;stroke:${INK.muted}}`,
    `.link.host{stroke:${HOST};stroke-width:1.6}`,
    `.link.published{stroke:${HOST};stroke-width:1.2;stroke-dasharray:5 3}`,
    `.link-label{font-size:9.5px;fill:${INK.edgeLabel};text-anchor:middle;dominant-baseline:middle;${HALO}}`,
    `.link-label.implicit,.link-label.down{fill:${INK.muted};font-style:italic}`,
    `.label{font-size:11px;text-anchor:middle;fill:${INK.fg};${HALO}}`,
    `.network .label,.host .label{font-weight:600;font-size:12px}`,
    `.sub{font-size:9.5px;text-anchor:middle;fill:${INK.muted};${HALO}}`,
    `.shape{stroke-width:2;fill:#fff}`,
    `.network .shape,.host .shape{fill-opacity:.85}`,
    ...(Object.entries(NETWORK_COLORS) as [NetworkStyle, string][]).map(
      ([style, c]) => `.net-${style} .shape{fill:${c};stroke:${c}}`,
    ),
    `.net-default-bridge .shape{stroke-width:5;stroke-opacity:.45;paint-order:stroke}`,
    `.net-null .shape{fill:#fff;stroke-width:3}`,
    `.net-plugin .shape,.net-missing .shape{stroke-dasharray:4 2;fill-opacity:.35}`,
    `.internal .shape{stroke:${INK.fg};stroke-width:3;stroke-dasharray:1 3}`,
    `.icc-mark{stroke:${INK.fg};stroke-width:3;stroke-linecap:round;fill:none}`,
    ...Object.entries(STATE_COLORS).map(([state, c]) => `.state-${state} .shape{fill:${c};stroke:${c}}`),
    `.state-exited .shape,.state-created .shape,.state-dead .shape,.state-removing .shape{fill:#fff;stroke-dasharray:3 2}`,
    `.state-paused .shape{fill:#fff;stroke-width:4}`,
    `.joiner .shape{stroke:${HOST};stroke-width:3}`,
    `.no-net circle{fill:#fff;stroke:${INK.fg};stroke-width:1.2}`,
    `.no-net path{stroke:${INK.fg};stroke-width:1.4;stroke-linecap:round}`,
    `.hull path{fill-opacity:.1;stroke-opacity:.7;stroke-width:1.5}`,
    `.hull-label{font-size:11px;font-weight:600;text-anchor:middle;${HALO}}`,
    `.legend-box{fill:#fff;stroke:#d5dae1}`,
    `.legend text{font-size:10.5px;fill:${INK.fg};dominant-baseline:middle}`,
    `.legend .heading{font-weight:600;font-size:11px}`,
  ];
  return rules.join("\n");
}
