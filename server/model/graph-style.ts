/**
 * The graph's visual language, shared by the web page and the exports: one row per network kind, container
 * state and edge kind, which every legend, renderer and exporter iterates. A kind without a row is a compile
 * error. Pure: no DOM, no Node.
 */
import type { GroupBy, LinkKind } from "./graph/types.ts";
import type { Container, ContainerState, Network } from "./topology.ts";

/** How a network hub is drawn; one entry per driver family (§1.3–1.10), plus plugins and missing networks. */
export type NetworkStyle =
  "bridge" | "default-bridge" | "overlay" | "macvlan" | "ipvlan" | "host" | "null" | "plugin" | "missing";

/** Outline of a hub: the shape tells the driver even without colour. */
export type HubShape = "circle" | "hexagon" | "diamond" | "triangle" | "house" | "octagon";

export interface NetworkStyleRow {
  /** Legend text. */
  label: string;
  /** Hub colour in the light and the dark theme. */
  light: string;
  dark: string;
  shape: HubShape;
  /** `halo`: a wide translucent outline (docker0); `hollow`: unfilled; `dashed`: an unknown or missing driver. */
  outline: "solid" | "halo" | "hollow" | "dashed";
  /** Graphviz shape and Mermaid's node brackets nearest to `shape`. */
  dot: string;
  mermaid: [string, string];
}

export const NETWORK_STYLES: Record<NetworkStyle, NetworkStyleRow> = {
  bridge: {
    label: "user-defined bridge",
    light: "#2f7ed8",
    dark: "#5aa0f0",
    shape: "circle",
    outline: "solid",
    dot: "ellipse",
    mermaid: ["((", "))"],
  },
  "default-bridge": {
    label: "default bridge (no DNS)",
    light: "#7a8797",
    dark: "#95a3b3",
    shape: "circle",
    outline: "halo",
    dot: "ellipse",
    mermaid: ["((", "))"],
  },
  overlay: {
    label: "overlay",
    light: "#8e5bd6",
    dark: "#b08cf0",
    shape: "hexagon",
    outline: "solid",
    dot: "hexagon",
    mermaid: ["{{", "}}"],
  },
  macvlan: {
    label: "macvlan",
    light: "#e07b1f",
    dark: "#f0a050",
    shape: "diamond",
    outline: "solid",
    dot: "diamond",
    mermaid: ["{", "}"],
  },
  ipvlan: {
    label: "ipvlan",
    light: "#b8860b",
    dark: "#d9b45a",
    shape: "triangle",
    outline: "solid",
    dot: "triangle",
    mermaid: ["[/", "/]"],
  },
  host: {
    label: "Docker host (host network, published ports)",
    light: "#2e9a5b",
    dark: "#4cc585",
    shape: "house",
    outline: "solid",
    dot: "house",
    mermaid: ["[/", "\\]"],
  },
  null: {
    label: "no network (none)",
    light: "#9aa3ad",
    dark: "#7d8692",
    shape: "circle",
    outline: "hollow",
    dot: "ellipse",
    mermaid: ["((", "))"],
  },
  plugin: {
    label: "plugin driver (unknown)",
    light: "#d43c3c",
    dark: "#f06b6b",
    shape: "octagon",
    outline: "dashed",
    dot: "octagon",
    mermaid: [">", "]"],
  },
  missing: {
    label: "network not listed",
    light: "#d43c3c",
    dark: "#f06b6b",
    shape: "octagon",
    outline: "dashed",
    dot: "octagon",
    mermaid: [">", "]"],
  },
};

export interface StateStyleRow {
  light: string;
  dark: string;
  /** Drawn unfilled: the container has no running processes (or is frozen, for paused). */
  hollow: boolean;
  /** A dashed outline: it is not running at all. */
  dashed: boolean;
  /** A thick outline (paused). */
  thick: boolean;
}

/** Container colours per state; the legend text is the state's own name. */
export const STATE_STYLES: Record<ContainerState, StateStyleRow> = {
  running: { light: "#38a169", dark: "#48bb78", hollow: false, dashed: false, thick: false },
  paused: { light: "#d69e2e", dark: "#d69e2e", hollow: true, dashed: false, thick: true },
  restarting: { light: "#dd6b20", dark: "#dd6b20", hollow: false, dashed: false, thick: false },
  created: { light: "#718096", dark: "#8a96a8", hollow: true, dashed: true, thick: false },
  removing: { light: "#718096", dark: "#8a96a8", hollow: true, dashed: true, thick: false },
  exited: { light: "#8795a8", dark: "#718096", hollow: true, dashed: true, thick: false },
  dead: { light: "#c53030", dark: "#c53030", hollow: true, dashed: true, thick: false },
};

export interface LinkStyleRow {
  /** Legend text. */
  legend: string;
  /** `host`: the host network's colour; `muted`: the muted ink; `edge`: the edge ink. */
  ink: "edge" | "host" | "muted";
  dash: "solid" | "dotted" | "dashed";
  width: number;
  /** Drawn with an arrow (from the source end). */
  directed: boolean;
  /** Mermaid's arrow for it. */
  mermaid: string;
  /** Its label is an address or a port: the page shows it with the address labels. */
  address: boolean;
}

/** Edges per kind; an interface without an address (§5) is drawn as `DOWN_LINK` whatever its kind. */
export const LINK_STYLES: Record<LinkKind, LinkStyleRow> = {
  interface: {
    legend: "interface (its address)",
    ink: "edge",
    dash: "solid",
    width: 1.4,
    directed: false,
    mermaid: "---",
    address: true,
  },
  implicit: {
    legend: "implicit gateway bridge (OV-2)",
    ink: "edge",
    dash: "dotted",
    width: 0.8,
    directed: false,
    mermaid: "-.-",
    address: true,
  },
  host: {
    legend: "host network mode (H-1)",
    ink: "host",
    dash: "solid",
    width: 1.6,
    directed: false,
    mermaid: "---",
    address: false,
  },
  published: {
    legend: "published port, host → container (PP-1)",
    ink: "host",
    dash: "dashed",
    width: 1.2,
    directed: true,
    mermaid: "-->",
    address: true,
  },
  namespace: {
    legend: "shares netns (container:, CN-1)",
    ink: "host",
    dash: "dashed",
    width: 2,
    directed: true,
    mermaid: "==>",
    address: false,
  },
  legacy: {
    legend: "legacy link (DB-3)",
    ink: "muted",
    dash: "solid",
    width: 0.8,
    directed: true,
    mermaid: "-.->",
    address: false,
  },
};
export const DOWN_LINK = { legend: "interface, no address (stopped)", mermaid: "-.-" } as const;
/** Every edge kind, in the legends' order. */
export const LINK_KINDS = Object.keys(LINK_STYLES) as LinkKind[];

/** Hub and container radius per node kind. */
export const NODE_RADIUS = { container: 9, network: 14, host: 16, service: 12 } as const;

export interface GroupStyleRow {
  /** Legend text. */
  legend: string;
  /** `hull`: a rounded outline round the members; `box`: a labelled rectangle (a machine). */
  outline: "hull" | "box";
  dash: "solid" | "dashed";
  /** `palette`: a colour per name (`groupColor`); else this one colour. */
  color: "palette" | string;
  /** Graphviz cluster style (a node group is a `subgraph cluster_…`). */
  dot: string;
  /** Fill opacity of the outline in SVG, two hex digits for DOT and Mermaid. */
  fill: number;
  fillHex: string;
}

/** Group outlines per kind: compose projects, machines of a fleet, swarm services. */
export const GROUP_STYLES: Record<GroupBy, GroupStyleRow> = {
  project: {
    legend: "compose project",
    outline: "hull",
    dash: "solid",
    color: "palette",
    dot: "rounded",
    fill: 0.1,
    fillHex: "1a",
  },
  node: {
    legend: "machine (engine or swarm node)",
    outline: "box",
    dash: "solid",
    color: "#4a5568",
    dot: "rounded,filled",
    fill: 0.04,
    fillHex: "0a",
  },
  service: {
    legend: "swarm service (its tasks)",
    outline: "hull",
    dash: "dashed",
    color: "palette",
    dot: "rounded,dashed",
    fill: 0.08,
    fillHex: "14",
  },
};
/** Every group kind, in the legends' order. */
export const GROUP_KINDS = Object.keys(GROUP_STYLES) as GroupBy[];

/** A collapsed swarm service: one vertex for its tasks, in its group's colour. */
export const SERVICE_VERTEX = {
  legend: "swarm service, collapsed: one vertex for its tasks",
  dot: "box3d",
  mermaid: ["([", "])"],
} as const;

/** The colour of a group: its row's, or one per name. */
export function groupStyleColor(by: GroupBy, name: string): string {
  const row = GROUP_STYLES[by];
  return row.color === "palette" ? groupColor(name) : row.color;
}

/** Every container state, in the legends' order. */
export const CONTAINER_STATES = Object.keys(STATE_STYLES) as ContainerState[];
/** Every network kind, in the legends' order. */
export const NETWORK_KINDS = Object.keys(NETWORK_STYLES) as NetworkStyle[];

/** Legend text per network kind (the table's `label`). */
export const NETWORK_STYLE_LABELS = Object.fromEntries(
  NETWORK_KINDS.map((k) => [k, NETWORK_STYLES[k].label]),
) as Record<NetworkStyle, string>;

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

const SHAPES: Record<HubShape, (r: number) => string> = {
  circle: (r) => `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`,
  hexagon: (r) => regular(6, r * 1.1),
  diamond: (r) => regular(4, r * 1.2),
  triangle: (r) => regular(3, r * 1.3, -Math.PI / 2),
  // A house: the host's own network namespace.
  house: (r) => {
    const w = r * 1.1;
    return polygon([
      [-w, -r * 0.1],
      [0, -r * 1.2],
      [w, -r * 0.1],
      [w, r],
      [-w, r],
    ]);
  },
  octagon: (r) => regular(8, r * 1.1, Math.PI / 8),
};

/** SVG path of a network hub of radius `r`, from its row's shape. */
export function networkShape(style: NetworkStyle, r: number): string {
  return SHAPES[NETWORK_STYLES[style].shape](r);
}

/** ICC-1: a bar across a hub of radius `r`, like a "no entry" sign: members cannot reach each other. */
export function iccOffMark(r: number): string {
  const d = r * 0.72;
  return `M${(-d).toFixed(2)},${d.toFixed(2)}L${d.toFixed(2)},${(-d).toFixed(2)}`;
}

/** The page's ink in both themes: text, muted text, edges, edge labels, background (web/styles.css). */
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
