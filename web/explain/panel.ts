import type { Layer, PairExplanation, Reason } from "../../server/model/reachability/index.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { formatPort } from "../details.ts";
import type { Child } from "../dom.ts";
import { h } from "../dom.ts";
import { decidingReason, GLYPH, pathText, unknownNote } from "../reach/describe.ts";
import type { ReachModel } from "../reach/model.ts";
import type { State } from "../store.ts";
import { HOST_END } from "../store.ts";
import { renderProbe } from "./probe-view.ts";
import { copyButton, ruleBadge } from "./widgets.ts";

export interface ExplainActions {
  close(): void;
  swap(): void;
  probe(): void;
  cancelProbe(): void;
}

/** What each panel element last showed, so an unchanged explanation is not rebuilt. */
const shown = new WeakMap<HTMLElement, { sig: string; probe: State["probe"]; caps: State["probes"] }>();

const LAYERS: { layer: Layer; title: string }[] = [
  { layer: "state", title: "State" },
  { layer: "names", title: "Names" },
  { layer: "network", title: "Network: shared network, icc, internal, isolation" },
  { layer: "ports", title: "Ports and bindings" },
];

/** Renders `reachgraph why` for the chosen pair, layer by layer; every engine string goes in as text. */
export function renderExplanation(
  el: HTMLElement,
  state: State,
  model: ReachModel | null,
  actions: ExplainActions,
): void {
  const pair = state.pair;
  el.hidden = pair === null;
  if (!pair || !model) {
    shown.delete(el);
    el.replaceChildren();
    return;
  }
  const e = model.explain(pair.from, pair.to);
  if (!e) {
    shown.delete(el);
    el.replaceChildren(h("p", { class: "hint" }, "One end of this pair is no longer in the topology."));
    return;
  }
  // Deltas for other containers (a probe's own helpers among them) must not rebuild the panel under the user.
  const ends = model.topology.containers.filter((c) => c.id === e.from.id || c.id === e.to.id);
  const drawn = { sig: JSON.stringify([e, ends.map((c) => [c.interfaces, c.ports])]), probe: state.probe };
  const last = shown.get(el);
  if (last && last.sig === drawn.sig && last.probe === drawn.probe && last.caps === state.probes) return;
  shown.set(el, { ...drawn, caps: state.probes });
  el.dataset.from = e.from.id;
  el.dataset.to = e.to.id;
  el.dataset.verdict = e.verdict;
  const close = h("button", { type: "button", class: "icon", "aria-label": "Close the explanation" }, "×");
  close.addEventListener("click", actions.close);
  const swap = h("button", { type: "button", class: "icon", "aria-label": "Swap the two ends" }, "⇄");
  swap.addEventListener("click", actions.swap);
  const note = unknownNote(e);
  const parts: (Node | null)[] = [
    h(
      "div",
      { class: "explain-head" },
      h("h2", null, e.from.name, h("span", { class: "arrow" }, " → "), e.to.name),
      swap,
      close,
    ),
    h(
      "p",
      { class: `verdict verdict-${e.verdict}` },
      h("span", { class: "glyph", "aria-hidden": "true" }, GLYPH[e.verdict]),
      ` ${e.verdict}`,
      e.verdict === "reachable" && !e.responsive ? " (but unresponsive: paused)" : "",
      h("span", { class: "verdict-sentence" }, verdictSentence(e)),
    ),
    decidingLine(e),
    // The answer first: verdict, deciding rule and fix sit above the layer-by-layer detail.
    fixSection(e),
    note ? h("p", { class: "unknown-note" }, note) : null,
    ...LAYERS.map(({ layer, title }) => layerSection(e, layer, title, model.topology)),
    h("h3", null, "Paths"),
    e.paths.length
      ? h(
          "ul",
          { class: "paths" },
          ...e.paths.map((p) => h("li", { class: `path-${p.verdict}` }, ruleBadge(p.rule), pathText(p))),
        )
      : h("p", { class: "muted" }, "none"),
    renderProbe(state, e, actions),
  ];
  el.replaceChildren(...parts.filter((p): p is Node => p !== null));
}

/** The verdict in a sentence that names both ends, so "blocked" never reads as the other direction. */
function verdictSentence(e: PairExplanation): string {
  const [from, to] = [e.from.name, e.to.name];
  if (e.verdict === "reachable") return `${from} can reach ${to}`;
  if (e.verdict === "blocked") return `${from} cannot reach ${to}`;
  return `the data does not decide whether ${from} can reach ${to}`;
}

function decidingLine(e: PairExplanation): HTMLElement | null {
  const reason = decidingReason(e);
  if (!reason) return null;
  return h(
    "p",
    { class: "deciding", "data-rule": reason.rule },
    h("span", { class: "muted" }, "Deciding rule "),
    ruleBadge(reason.rule, reason.text),
    h("span", null, reason.text),
  );
}

function layerSection(e: PairExplanation, layer: Layer, title: string, t: Topology): HTMLElement | null {
  const body: Child[] = [];
  if (layer === "names") body.push(...namesBody(e));
  if (layer === "network") body.push(sharedNetworks(e, t));
  if (layer === "ports") body.push(...portsBody(e, t));
  const reasons = unique(e.reasons.filter((r) => r.layer === layer));
  if (reasons.length) body.push(h("ul", { class: "reasons" }, ...reasons.map(reasonItem)));
  if (!body.length) return null;
  return h("section", { class: `layer layer-${layer}`, "data-layer": layer }, h("h3", null, title), ...body);
}

function reasonItem(r: { rule: string; text: string }): HTMLElement {
  return h("li", { class: "reason" }, ruleBadge(r.rule, r.text), h("span", null, r.text));
}

function namesBody(e: PairExplanation): Child[] {
  const out: Child[] = [];
  if (e.names.length)
    out.push(
      h(
        "ul",
        { class: "names" },
        ...e.names.map((n) =>
          h(
            "li",
            null,
            ruleBadge(n.rule),
            h("code", null, n.name),
            n.network ? ` on ${n.network}` : " in /etc/hosts",
            n.address ? ` → ${n.address}` : "",
          ),
        ),
      ),
    );
  else if (e.to.id !== HOST_END)
    out.push(h("p", { class: "muted" }, "no name resolves to the target from here"));
  if (!e.namesKnown)
    out.push(
      h(
        "p",
        { class: "unknown-note" },
        "unknown: the target was not inspected, so some names may be missing",
      ),
    );
  return out;
}

/** The networks both ends are on, with the flags that decide direct traffic (ICC-1, INT-1). */
function sharedNetworks(e: PairExplanation, t: Topology): HTMLElement {
  const from = t.containers.find((c) => c.id === e.from.id);
  const to = t.containers.find((c) => c.id === e.to.id);
  if (!from || !to) return h("p", { class: "muted" }, "the host is not on a Docker network");
  const mine = new Set(from.interfaces.map((i) => i.networkId));
  const shared = to.interfaces.filter((i) => i.networkId && mine.has(i.networkId));
  if (!shared.length) return h("p", { class: "muted" }, "no shared network");
  const nets = new Map(t.networks.map((n) => [n.id, n]));
  return h(
    "ul",
    { class: "shared" },
    ...shared.map((i) => {
      const n = nets.get(i.networkId);
      const flags = n
        ? [
            n.driver,
            n.knownDriver ? "" : "plugin driver: unknown",
            n.driver === "bridge" ? (n.icc ? "icc on" : "icc off") : "",
            n.internal ? "internal" : "",
          ].filter(Boolean)
        : ["not listed"];
      return h("li", null, `shared: ${i.network} (${flags.join(", ")})`);
    }),
  );
}

function portsBody(e: PairExplanation, t: Topology): Child[] {
  const target: Container | undefined = t.containers.find((c) => c.id === e.to.id);
  const out: Child[] = [];
  if (target?.ports.length)
    out.push(h("ul", { class: "bindings" }, ...target.ports.map((p) => h("li", null, formatPort(p)))));
  if (e.ports.length)
    out.push(
      h(
        "ul",
        { class: "port-access" },
        ...e.ports.map((p) => {
          const routes = p.routes.map((r) =>
            h("li", null, ruleBadge(r.rule), `${r.kind}: ${r.address ?? "?"}:${r.port}`),
          );
          const unusable = p.unusable.map((u) =>
            h(
              "li",
              { class: "unusable" },
              ruleBadge(u.rule),
              `${u.hostIp}:${u.hostPort} not usable from here`,
            ),
          );
          return h(
            "li",
            null,
            `${p.port}/${p.protocol} ${p.published ? "published" : "exposed only (PP-9: no effect)"}`,
            routes.length || unusable.length
              ? h("ul", null, ...routes, ...unusable)
              : h("span", { class: "muted" }, " · no route"),
          );
        }),
      ),
    );
  return out;
}

function fixSection(e: PairExplanation): HTMLElement | null {
  const fix = e.fix;
  if (!fix) return null;
  return h(
    "section",
    { class: "fix" },
    h("h3", null, "Fix"),
    h("p", null, fix.rule ? ruleBadge(fix.rule, fix.text) : null, fix.text),
    // Every step, in the order it runs; Copy takes them all, one per line, ready to paste into a shell.
    fix.commands.length
      ? h(
          "div",
          { class: "command" },
          h("pre", null, ...fix.commands.map((c) => h("code", null, c))),
          copyButton(fix.commands.join("\n")),
        )
      : h("p", { class: "muted" }, "no docker command does this"),
  );
}

function unique(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.rule}|${r.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
