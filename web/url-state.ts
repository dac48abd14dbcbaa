import { z } from "zod";
import type { WhatIf } from "../server/model/what-if/index.ts";
import type { ZoomState } from "./graph/render.ts";
import type { Scope } from "./scope/scope.ts";
import { CONTAINER_STATES } from "../server/model/topology.ts";
import type { MatrixOptions, Pair, State, Tab, ViewOptions } from "./store.ts";

/** What a link reopens: the view state the page keeps in its query string. */
export interface UrlView {
  scope: Partial<Scope>;
  view: Partial<ViewOptions>;
  selectedId: string | null;
  tab: Tab | null;
  matrix: Partial<MatrixOptions>;
  zoom: ZoomState | null;
  /** The explained pair. */
  pair: Pair | null;
  /** The bundled example shown instead of the server's topology. */
  example: string | null;
  /** What-if changes, in the order they were applied. */
  whatIfs: WhatIf[];
}

/** The teaching part of the view: the example shown and the what-ifs applied to it. */
export interface TeachView {
  example: string | null;
  whatIfs: readonly WhatIf[];
}

const name = z.string().regex(/^[\w.:@/*-]{1,200}$/, "letters, digits and . _ - : @ / * only");
const flag = z.enum(["0", "1"]).transform((v) => v === "1");
const PARAMS = {
  q: z.string().max(200),
  net: name,
  driver: name,
  project: name,
  state: z.enum(CONTAINER_STATES),
  // A fleet's filters, named as the exports' options are (`--engine`, `--node`, `--service`).
  engine: name,
  node: name,
  service: name,
  collapse: name,
  focus: name,
  sel: name,
  tab: z.enum(["graph", "matrix"]),
  system: flag,
  empty: flag,
  addr: flag,
  msort: z.enum(["asc", "desc"]),
  mgroup: z.enum(["none", "project", "network"]),
  pair: z
    .string()
    .regex(/^[\w.:@-]{1,200},[\w.:@-]{1,200}$/, "two ends, from,to")
    .transform((v) => {
      const [from, to] = v.split(",");
      return { from, to };
    }),
  example: z.string().regex(/^[a-z0-9-]{1,60}$/, "an example slug"),
  wi: z.string().transform((v, ctx) => {
    const w = parseWhatIf(v);
    if (!w) ctx.addIssue({ code: "custom", message: WHAT_IF_FORMS });
    return w as WhatIf;
  }),
  zoom: z
    .string()
    .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,\d+(\.\d+)?$/, "x,y,scale")
    .transform((v) => v.split(",").map(Number) as [number, number, number])
    .refine(([, , k]) => k >= 0.02 && k <= 6, "a scale from 0.02 to 6"),
};
type Param = keyof typeof PARAMS;
const REPEATED: Param[] = [
  "net",
  "driver",
  "project",
  "state",
  "engine",
  "node",
  "service",
  "collapse",
  "wi",
];

const WHAT_IF_FORMS =
  "icc,NET,on|off · internal,NET,on|off · connect,CTR,NET[,alias+alias] · disconnect,CTR,NET · publish,CTR,HOSTPORT,PORT[,tcp|udp[,HOSTIP]]";
const ref = /^[\w.:@-]{1,200}$/;
const port = (v: string | undefined): number | null => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null;
};

/** A what-if from its URL form (`WHAT_IF_FORMS`); null when it is not one. */
function parseWhatIf(text: string): WhatIf | null {
  const [kind, a, b, c, d, e, ...rest] = text.split(",");
  if (rest.length || !a || !ref.test(a)) return null;
  if ((kind === "icc" || kind === "internal") && (b === "on" || b === "off") && c === undefined)
    return { kind, network: a, enabled: b === "on" };
  if (!b) return null;
  if (kind === "disconnect" && ref.test(b) && c === undefined) return { kind, container: a, network: b };
  if (kind === "connect" && ref.test(b) && d === undefined) {
    const aliases = c ? c.split("+") : [];
    return aliases.every((x) => ref.test(x)) ? { kind, container: a, network: b, aliases } : null;
  }
  const [hostPort, containerPort] = [port(b), port(c)];
  if (kind !== "publish" || hostPort === null || containerPort === null) return null;
  if (d !== undefined && d !== "tcp" && d !== "udp") return null;
  if (e !== undefined && !/^[0-9a-fA-F.:]{2,45}$/.test(e)) return null;
  return {
    kind,
    container: a,
    hostPort,
    containerPort,
    ...(d ? { protocol: d } : {}),
    ...(e ? { hostIp: e } : {}),
  };
}

/** The URL form of a what-if (`parseWhatIf` reads it back). */
function formatWhatIf(w: WhatIf): string {
  switch (w.kind) {
    case "icc":
    case "internal":
      return [w.kind, w.network, w.enabled ? "on" : "off"].join(",");
    case "disconnect":
      return [w.kind, w.container, w.network].join(",");
    case "connect":
      return [w.kind, w.container, w.network, ...(w.aliases?.length ? [w.aliases.join("+")] : [])].join(",");
    case "publish":
      return [
        w.kind,
        w.container,
        w.hostPort,
        w.containerPort,
        ...(w.protocol || w.hostIp ? [w.protocol ?? "tcp"] : []),
        ...(w.hostIp ? [w.hostIp] : []),
      ].join(",");
  }
}

/**
 * Reads the view from a query string. A bad value is ignored with a console warning naming the parameter, the
 * value and what is accepted; it never stops the page.
 */
export function parseUrlState(search: string, warn: (message: string) => void = console.warn): UrlView {
  const params = new URLSearchParams(search);
  const read = <P extends Param>(key: P): Array<z.output<(typeof PARAMS)[P]>> => {
    const values = REPEATED.includes(key) ? params.getAll(key) : params.getAll(key).slice(-1);
    const out: Array<z.output<(typeof PARAMS)[P]>> = [];
    for (const raw of values) {
      const parsed = PARAMS[key].safeParse(raw);
      if (parsed.success) out.push(parsed.data as z.output<(typeof PARAMS)[P]>);
      else warn(`reachgraph: ignoring ?${key}=${raw}: ${parsed.error.issues[0]?.message ?? "not accepted"}`);
    }
    return out;
  };
  for (const key of params.keys())
    if (!(key in PARAMS))
      warn(`reachgraph: ignoring unknown parameter ?${key}; accepted: ${Object.keys(PARAMS).join(", ")}`);
  const one = <P extends Param>(key: P) => read(key)[0];
  const scope: Partial<Scope> = {};
  const q = one("q");
  if (q !== undefined) scope.query = q;
  const lists = {
    networks: read("net"),
    drivers: read("driver"),
    projects: read("project"),
    engines: read("engine"),
    nodes: read("node"),
    services: read("service"),
  };
  for (const [k, v] of Object.entries(lists)) if (v.length) scope[k as "networks"] = v;
  const states = read("state");
  if (states.length) scope.states = states as Scope["states"];
  const collapsed = read("collapse");
  if (collapsed.length) scope.collapsed = collapsed;
  const focus = one("focus");
  if (focus !== undefined) scope.focus = focus;
  const view: Partial<ViewOptions> = {};
  const [system, empty, addr] = [one("system"), one("empty"), one("addr")];
  if (system !== undefined) view.showSystem = system;
  if (empty !== undefined) view.showEmpty = empty;
  if (addr !== undefined) view.showAddresses = addr;
  const matrix: Partial<MatrixOptions> = {};
  const [msort, mgroup] = [one("msort"), one("mgroup")];
  if (msort !== undefined) matrix.sort = msort as MatrixOptions["sort"];
  if (mgroup !== undefined) matrix.group = mgroup as MatrixOptions["group"];
  const zoom = one("zoom");
  return {
    scope,
    view,
    selectedId: one("sel") ?? null,
    tab: (one("tab") as Tab | undefined) ?? null,
    matrix,
    zoom: zoom ? { x: zoom[0], y: zoom[1], k: zoom[2] } : null,
    pair: one("pair") ?? null,
    example: one("example") ?? null,
    whatIfs: read("wi"),
  };
}

/** Writes the view as a query string; defaults are left out, so an untouched page has a bare URL. */
export function formatUrlState(
  state: State,
  zoom: ZoomState | null,
  teach: TeachView = { example: null, whatIfs: [] },
): string {
  const params = new URLSearchParams();
  const { scope, view, matrix } = state;
  if (scope.query) params.set("q", scope.query);
  for (const v of scope.networks) params.append("net", v);
  for (const v of scope.drivers) params.append("driver", v);
  for (const v of scope.projects) params.append("project", v);
  for (const v of scope.states) params.append("state", v);
  for (const v of scope.engines) params.append("engine", v);
  for (const v of scope.nodes) params.append("node", v);
  for (const v of scope.services) params.append("service", v);
  for (const v of scope.collapsed) params.append("collapse", v);
  if (scope.focus) params.set("focus", scope.focus);
  if (state.selectedId) params.set("sel", state.selectedId);
  if (state.pair) params.set("pair", `${state.pair.from},${state.pair.to}`);
  if (teach.example) params.set("example", teach.example);
  for (const w of teach.whatIfs) params.append("wi", formatWhatIf(w));
  if (state.tab !== "graph") params.set("tab", state.tab);
  if (!view.showSystem) params.set("system", "0");
  if (!view.showEmpty) params.set("empty", "0");
  if (!view.showAddresses) params.set("addr", "0");
  if (matrix.sort !== "asc") params.set("msort", matrix.sort);
  if (matrix.group !== "none") params.set("mgroup", matrix.group);
  if (zoom) params.set("zoom", [zoom.x.toFixed(1), zoom.y.toFixed(1), zoom.k.toFixed(4)].join(","));
  return params.toString();
}
