import type { ContainerState } from "../../server/model/topology.ts";
import type { NetworkStyle } from "./style.ts";
import { CONTAINER_STATES, NETWORK_KINDS, NETWORK_STYLES, STATE_STYLES } from "./style.ts";

/** The page's colours, read from its CSS custom properties so the canvas follows the light and dark themes. */
export interface CanvasTheme {
  fg: string;
  muted: string;
  edge: string;
  edgeLabel: string;
  halo: string;
  nodeFill: string;
  focus: string;
  hostEdge: string;
  reachOk: string;
  reachUnknown: string;
  /** A fleet machine's tile, its outline, and the outline and text of one that is down or stale. */
  lane: string;
  laneLine: string;
  warn: string;
  warnText: string;
  network: Record<NetworkStyle, string>;
  state: Record<ContainerState, string>;
}

/** Reads the theme from `:root`; cheap enough to call on every model update and colour-scheme change. */
export function readTheme(el: Element = document.documentElement): CanvasTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  // The variables come from the style table (web/graph/style-sheet.ts), one per kind and theme.
  const state = Object.fromEntries(
    CONTAINER_STATES.map((s) => [s, v(`--state-${s}`, STATE_STYLES[s].light)]),
  ) as Record<ContainerState, string>;
  const network = Object.fromEntries(
    NETWORK_KINDS.map((s) => [s, v(`--net-${s}`, NETWORK_STYLES[s].light)]),
  ) as Record<NetworkStyle, string>;
  return {
    fg: v("--fg", "#1d2330"),
    muted: v("--muted", "#5f6b7a"),
    edge: v("--edge", "#8a94a3"),
    edgeLabel: v("--edge-label", "#3c4656"),
    halo: v("--halo", "#f7f8fa"),
    nodeFill: v("--node-fill", "#ffffff"),
    focus: v("--focus", "#1a73e8"),
    hostEdge: network.host,
    reachOk: v("--reach-ok", "#1f9d55"),
    reachUnknown: v("--reach-unknown", "#c98a00"),
    lane: v("--panel", "#ffffff"),
    laneLine: v("--line", "#d5dae1"),
    warn: v("--warn-line", "#e6c35c"),
    warnText: v("--warn-fg", "#6b4a00"),
    network,
    state,
  };
}
