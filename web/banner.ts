import { markBidi } from "../server/model/escape/bidi.ts";
import { machinesOf } from "./fleet/health.ts";
import type { State } from "./store.ts";

interface Notice {
  kind:
    | "reconnecting"
    | "unreachable"
    | "stale"
    | "machine-down"
    | "machine-stale"
    | "node-drain"
    | "example"
    | "snapshot"
    | "compose";
  level: "warn" | "info";
  text: string;
}

/** The notices the page must not hide: a lost stream, a lost engine, stale data, data that is not live. */
export function notices(state: State): Notice[] {
  const out: Notice[] = [];
  const status = state.status;
  if (state.connection === "reconnecting") {
    out.push({
      kind: "reconnecting",
      level: "warn",
      text: "Lost the connection to the reachgraph server; reconnecting… The graph shows the last data received.",
    });
  }
  // A fleet says which machine is lost; the sums above it would only say "something".
  const fleet = (status?.engines?.length ?? 0) > 1 || state.topology?.swarm !== undefined;
  const machines = fleet ? machinesOf(state.topology, status) : [];
  for (const m of machines) {
    const why = m.engine?.error ? `: ${m.engine.error}` : "";
    if (m.state === "down") {
      const what =
        m.engine && !m.engine.reachable ? `engine unreachable${why}` : `swarm node ${m.node?.state}`;
      out.push({
        kind: "machine-down",
        level: "warn",
        text: `${m.key} is down (${what}). Its containers are kept and marked stale.`,
      });
    } else if (m.state === "stale")
      out.push({
        kind: "machine-stale",
        level: "warn",
        text: `${m.key}: its view may be out of date${why}. Its containers are marked stale.`,
      });
    if (m.availability)
      out.push({
        kind: "node-drain",
        level: "info",
        text: `Swarm node ${m.key} is set to ${m.availability}: the manager ${
          m.availability === "drain" ? "moves its tasks elsewhere" : "places no new tasks on it"
        }.`,
      });
  }
  const explained = machines.some((m) => m.state !== "live");
  // A static source (example, snapshot file) has no engine at all; only a configured engine can be unreachable.
  if (
    !explained &&
    status &&
    !status.reachable &&
    (status.source.kind === "live" || status.engineUrl !== null)
  ) {
    const why = status.error ? `: ${status.error}` : "";
    out.push({
      kind: "unreachable",
      level: "warn",
      text: `Docker engine unreachable${status.engineUrl ? ` at ${status.engineUrl}` : ""}${why}.`,
    });
  }
  if (status?.stale && !explained) {
    const since = status.lastSyncAt
      ? ` Last synchronised ${new Date(status.lastSyncAt).toLocaleString()}.`
      : "";
    out.push({ kind: "stale", level: "warn", text: `The topology may be out of date.${since}` });
  }
  const source = status?.source ?? state.topology?.source;
  if (source?.kind === "example") {
    out.push({
      kind: "example",
      level: "info",
      text: `Example data (${source.label}), not a live engine.`,
    });
  } else if (source?.kind === "snapshot") {
    out.push({ kind: "snapshot", level: "info", text: `Saved snapshot ${source.label}, not live.` });
  } else if (source?.kind === "compose") {
    out.push({
      kind: "compose",
      level: "info",
      text: `Predicted from compose file ${source.label}, not live.`,
    });
  }
  return out;
}

/** Renders the banner; `data-kinds` lists the active notices for tests and styling. */
export function renderBanner(el: HTMLElement, state: State): void {
  const list = notices(state);
  const kinds = list.map((n) => n.kind).join(" ");
  if (el.dataset.kinds === kinds && el.textContent === list.map((n) => markBidi(n.text)).join("")) return;
  el.dataset.kinds = kinds;
  el.dataset.level = list.some((n) => n.level === "warn") ? "warn" : "info";
  el.replaceChildren(
    ...list.map((n) => {
      const p = document.createElement("p");
      p.className = `notice notice-${n.kind}`;
      p.textContent = markBidi(n.text);
      return p;
    }),
  );
  el.hidden = list.length === 0;
}
