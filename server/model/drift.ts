import type { Container, Network, Port, Topology } from "./topology.ts";

export const DRIFT_SCHEMA_VERSION = 1;

export type DriftKind =
  | "missing-container"
  | "extra-container"
  | "not-running"
  | "network-mode"
  | "missing-attachment"
  | "extra-attachment"
  | "missing-alias"
  | "port"
  | "missing-network"
  | "extra-network"
  | "network-setting";

export interface DriftItem {
  kind: DriftKind;
  /** The container (`project/service/number`) or network (name) concerned. */
  subject: string;
  expected: string;
  actual: string;
}

export interface Drift {
  schemaVersion: typeof DRIFT_SCHEMA_VERSION;
  projects: string[];
  items: DriftItem[];
}

/**
 * Compares a compose prediction with the live engine, for the prediction's projects only: containers are
 * matched by compose project, service and number (Compose v1 and v2 name them differently), networks by name.
 */
export function diffTopologies(predicted: Topology, live: Topology): Drift {
  const projects = [
    ...new Set(predicted.containers.flatMap((c) => (c.compose ? [c.compose.project] : []))),
  ].sort();
  const inScope = (c: Container) => c.compose !== undefined && projects.includes(c.compose.project);
  const liveByKey = new Map(live.containers.filter(inScope).map((c) => [composeKey(c), c]));
  const liveNets = new Map(live.networks.map((n) => [n.name, n]));
  const items: DriftItem[] = [];
  const add = (kind: DriftKind, subject: string, expected: string, actual: string) =>
    items.push({ kind, subject, expected, actual });

  for (const want of predicted.containers.filter(inScope)) {
    const key = composeKey(want);
    const got = liveByKey.get(key);
    liveByKey.delete(key);
    if (!got) {
      add("missing-container", key, want.name, "absent");
      continue;
    }
    compareMode(key, want, got, predicted, live, add);
    compareAttachments(key, want, got, add);
    // PP-11: a stopped container lists no ports; its state is the difference to report.
    if (got.state !== "running") add("not-running", key, "running", got.state);
    else comparePorts(key, want, got, add);
  }
  for (const [key, extra] of liveByKey) add("extra-container", key, "absent", extra.name);

  const predictedNets = predicted.networks.filter((n) => !n.builtIn);
  for (const want of predictedNets) {
    const got = liveNets.get(want.name);
    if (!got)
      add("missing-network", want.name, `${want.driver}${want.internal ? ", internal" : ""}`, "absent");
    else compareNetwork(want, got, add);
  }
  const expectedNames = new Set(predictedNets.map((n) => n.name));
  for (const net of live.networks) {
    const project = net.labels["com.docker.compose.project"];
    if (project && projects.includes(project) && !expectedNames.has(net.name)) {
      add("extra-network", net.name, "absent", net.driver);
    }
  }
  items.sort((a, b) => a.subject.localeCompare(b.subject) || a.kind.localeCompare(b.kind));
  return { schemaVersion: DRIFT_SCHEMA_VERSION, projects, items };
}

type Add = (kind: DriftKind, subject: string, expected: string, actual: string) => void;

function composeKey(c: Container): string {
  return c.compose ? `${c.compose.project}/${c.compose.service}/${c.compose.number}` : c.name;
}

/** host, none, or the compose service whose namespace it joins (CN-1), on both sides. */
function compareMode(
  key: string,
  want: Container,
  got: Container,
  predicted: Topology,
  live: Topology,
  add: Add,
): void {
  const wantMode = modeOf(want, predicted);
  const gotMode = modeOf(got, live);
  if (wantMode !== gotMode) add("network-mode", key, wantMode, gotMode);
}

function modeOf(c: Container, topology: Topology): string {
  const joined = c.sharesNamespaceWith;
  if (joined) {
    const provider = topology.containers.find((p) => p.id === joined.id);
    return `service:${provider?.compose?.service ?? joined.name ?? joined.id}`;
  }
  return ["host", "none"].includes(c.networkMode) ? c.networkMode : "networks";
}

function compareAttachments(key: string, want: Container, got: Container, add: Add): void {
  const explicit = (c: Container) =>
    c.interfaces.filter((i) => !i.implicit && !["host", "none"].includes(i.network));
  const gotByNet = new Map(explicit(got).map((i) => [i.network, i]));
  const wantNets = new Set(explicit(want).map((i) => i.network));
  for (const iface of explicit(want)) {
    const live = gotByNet.get(iface.network);
    if (!live) {
      add("missing-attachment", key, iface.network, [...gotByNet.keys()].join(", ") || "no networks");
      continue;
    }
    const liveNames = new Set([...(live.aliases ?? []), ...(live.dnsNames ?? [])]);
    if (live.aliases === null) continue;
    for (const alias of iface.aliases ?? []) {
      if (alias !== want.name && !liveNames.has(alias))
        add("missing-alias", key, `${alias} on ${iface.network}`, [...liveNames].join(", "));
    }
  }
  for (const net of gotByNet.keys()) if (!wantNets.has(net)) add("extra-attachment", key, "absent", net);
}

/** Published ports by bind address; a predicted host port 0 is "the engine picks one" and matches any. */
function comparePorts(key: string, want: Container, got: Container, add: Add): void {
  const published = (c: Container) => c.ports.filter((p) => p.publicPort !== undefined && p.hostIp !== "::");
  const show = (p: Port) =>
    `${p.hostIp ?? "0.0.0.0"}:${p.publicPort || "<any>"}->${p.privatePort}/${p.protocol}`;
  const unmatched = published(got);
  for (const p of published(want)) {
    const i = unmatched.findIndex(
      (q) =>
        q.privatePort === p.privatePort &&
        q.protocol === p.protocol &&
        (q.hostIp ?? "0.0.0.0") === (p.hostIp ?? "0.0.0.0") &&
        (p.publicPort === 0 || q.publicPort === p.publicPort),
    );
    if (i >= 0) unmatched.splice(i, 1);
    else add("port", key, show(p), published(got).map(show).join(", ") || "none published");
  }
  for (const q of unmatched) add("port", key, "not published", show(q));
}

function compareNetwork(want: Network, got: Network, add: Add): void {
  const settings: [string, unknown, unknown][] = [
    ["driver", want.driver, got.driver],
    ["internal", want.internal, got.internal],
    ["icc", want.icc, got.icc],
    ["ipv6", want.ipv6, got.ipv6],
  ];
  for (const [name, expected, actual] of settings) {
    if (expected !== actual)
      add("network-setting", want.name, `${name}=${String(expected)}`, `${name}=${String(actual)}`);
  }
}

/** Plain text for `reachgraph diff`. */
export function formatDrift(drift: Drift): string {
  if (!drift.items.length)
    return `no drift: the engine matches the compose prediction for ${drift.projects.join(", ") || "no project"}\n`;
  const lines = [`${drift.items.length} difference(s) for ${drift.projects.join(", ")}:`];
  for (const item of drift.items) {
    lines.push(
      `  ${item.kind.padEnd(18)} ${item.subject}: expected ${item.expected}, engine has ${item.actual}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
