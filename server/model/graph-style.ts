/**
 * The graph's visual language, shared by the web page and the exports: a hub shape and colour per network
 * driver, a colour per container state and compose project. Pure: no DOM, no Node.
 */
import type { Container, Network } from "./topology.ts";

/** How a network hub is drawn; one entry per driver family (§1.3–1.10), plus plugins and missing networks. */
export type NetworkStyle =
  "bridge" | "default-bridge" | "overlay" | "macvlan" | "ipvlan" | "host" | "null" | "plugin" | "missing";

export const NETWORK_STYLE_LABELS: Record<NetworkStyle, string> = {
  bridge: "user-defined bridge",
  "default-bridge": "default bridge (no DNS)",
  overlay: "overlay",
  macvlan: "macvlan",
  ipvlan: "ipvlan",
  host: "host network",
  null: "no network (none)",
  plugin: "plugin driver (unknown)",
  missing: "network not listed",
};

/** Picks the drawing style of a network from its driver. */
export function networkStyle(net: Network): NetworkStyle {
  if (!net.knownDriver) return "plugin";
  switch (net.driver) {
    case "bridge":
      return net.defaultBridge ? "default-bridge" : "bridge";
    case "overlay":
    case "macvlan":
    case "ipvlan":
    case "host":
    case "null":
      return net.driver;
    default:
      return "plugin";
  }
}

/** Short flags shown under a network's name. */
export function networkBadges(net: Network): string[] {
  const out: string[] = [];
  if (!net.knownDriver) out.push(`driver ${net.driver}?`);
  if (net.internal) out.push("internal");
  // ICC-1: peers on an icc=false bridge cannot reach each other directly.
  if (net.driver === "bridge" && !net.icc) out.push("icc off");
  if (net.ipv6) out.push("ipv6");
  if (net.ingress) out.push("ingress");
  if (net.configOnly) out.push("config only");
  return out;
}

/** The state badge under a container's name; nothing for the common running case. */
export function containerBadge(c: Container): string {
  if (c.state === "running") return "";
  return c.state;
}

/** Closed polygon path centred at 0,0. */
function polygon(points: Array<[number, number]>): string {
  return `M${points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join("L")}Z`;
}

function regular(sides: number, r: number, rotate = 0): string {
  return polygon(
    Array.from({ length: sides }, (_, i) => {
      const a = rotate + (i * 2 * Math.PI) / sides;
      return [r * Math.cos(a), r * Math.sin(a)] as [number, number];
    }),
  );
}

/** SVG path of a network hub of radius `r`: the shape tells the driver even without colour. */
export function networkShape(style: NetworkStyle, r: number): string {
  switch (style) {
    case "bridge":
    case "default-bridge":
    case "null":
      return `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
    case "overlay":
      return regular(6, r * 1.1);
    case "macvlan":
      return regular(4, r * 1.2);
    case "ipvlan":
      return regular(3, r * 1.3, -Math.PI / 2);
    case "host": {
      // A house: the host's own network namespace.
      const w = r * 1.1;
      return polygon([
        [-w, -r * 0.1],
        [0, -r * 1.2],
        [w, -r * 0.1],
        [w, r],
        [-w, r],
      ]);
    }
    case "plugin":
    case "missing":
      return regular(8, r * 1.1, Math.PI / 8);
  }
}

/** ICC-1: a bar across a hub of radius `r`, like a "no entry" sign: members cannot reach each other. */
export function iccOffMark(r: number): string {
  const d = r * 0.72;
  return `M${(-d).toFixed(2)},${d.toFixed(2)}L${d.toFixed(2)},${(-d).toFixed(2)}`;
}

/** Hub colours per style, as the page's light theme draws them (web/styles.css `--net-*`). */
export const NETWORK_COLORS: Record<NetworkStyle, string> = {
  bridge: "#2f7ed8",
  "default-bridge": "#7a8797",
  overlay: "#8e5bd6",
  macvlan: "#e07b1f",
  ipvlan: "#b8860b",
  host: "#2e9a5b",
  null: "#9aa3ad",
  plugin: "#d43c3c",
  missing: "#d43c3c",
};

/** Container colours per state, as the page's light theme draws them (web/styles.css `--state-*`). */
export const STATE_COLORS: Record<Container["state"], string> = {
  running: "#38a169",
  paused: "#d69e2e",
  restarting: "#dd6b20",
  created: "#718096",
  removing: "#718096",
  exited: "#8795a8",
  dead: "#c53030",
};

/** The page's light-theme ink: text, muted text, edges, edge labels, background. */
export const INK = { fg: "#1d2330", muted: "#5f6b7a", edge: "#8a94a3", edgeLabel: "#3c4656", bg: "#f7f8fa" };

// Saturated enough to read as text on both the light and the dark background.
const GROUP_PALETTE = [
  "#4e79a7",
  "#e8761d",
  "#d1495b",
  "#2f9e77",
  "#9467bd",
  "#8c6d4b",
  "#1f9bb4",
  "#c2185b",
  "#6b8e23",
  "#5c6bc0",
];

/** A colour per compose project that does not change when other projects come and go. */
export function groupColor(project: string): string {
  let h = 2166136261;
  for (let i = 0; i < project.length; i++) h = Math.imul(h ^ project.charCodeAt(i), 16777619);
  return GROUP_PALETTE[(h >>> 0) % GROUP_PALETTE.length];
}
