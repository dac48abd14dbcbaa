import type { Disagreement, PairObservation, ProbeResult } from "../../server/model/probe-types.ts";
import type { PairExplanation } from "../../server/model/reachability/index.ts";
import { h } from "../dom.ts";
import { GLYPH } from "../reach/describe.ts";
import type { State } from "../store.ts";
import { spinner } from "./widgets.ts";

interface ProbeActions {
  probe(): void;
  cancelProbe(): void;
}

/** The "Probe now" section: the button, a spinner with Cancel, then observed vs predicted per check. */
export function renderProbe(state: State, e: PairExplanation, actions: ProbeActions): HTMLElement {
  const section = h("section", { class: "probe", "aria-live": "polite" }, h("h3", null, "Proof by probe"));
  const caps = state.probes;
  if (!caps?.enabled) {
    section.dataset.state = "disabled";
    section.append(
      h(
        "p",
        { class: "muted" },
        caps
          ? "Probes are disabled on this server: start it with probes allowed to check this pair for real."
          : "This server does not offer probes.",
      ),
    );
    return section;
  }
  const run = state.probe;
  const running = run?.state === "running";
  section.dataset.state = run?.state ?? "idle";
  const button = h("button", { type: "button", class: "probe-now" }, "Probe now");
  button.disabled = running;
  button.addEventListener("click", actions.probe);
  section.append(
    h(
      "p",
      { class: "hint" },
      `Runs a helper container (${caps.image || "probe image"}) in ${e.from.name}'s network namespace.`,
    ),
    button,
  );
  if (running) {
    const cancel = h("button", { type: "button", class: "probe-cancel" }, "Cancel");
    cancel.addEventListener("click", actions.cancelProbe);
    section.append(" ", spinner("probing…"), " probing… ", cancel);
  }
  if (run?.state === "error") section.append(h("p", { class: "probe-error", role: "alert" }, run.error));
  if (run?.state === "cancelled") section.append(h("p", { class: "muted" }, "Probe cancelled."));
  if (run?.state !== "done") return section;
  const obs = run.report.pairs.find((p) => p.from.id === e.from.id && p.to.id === e.to.id);
  section.dataset.disagreements = String(run.disagreements.length);
  for (const s of run.report.sources)
    if (s.status !== "ok")
      section.append(h("p", { class: "probe-error" }, `helper ${s.helper}: ${s.status} ${s.message ?? ""}`));
  if (!obs) {
    section.append(h("p", { class: "probe-error" }, "The probe report has no result for this pair."));
  } else {
    section.append(
      h(
        "p",
        { class: `observed verdict-${obs.verdict}`, "data-observed": obs.verdict },
        h("span", { class: "glyph", "aria-hidden": "true" }, GLYPH[obs.verdict]),
        ` observed ${obs.verdict} · predicted ${e.verdict}`,
        h("br", null),
        h("span", { class: "muted" }, obs.evidence),
      ),
      checksTable(obs, e),
    );
    for (const s of obs.skipped)
      section.append(h("p", { class: "muted" }, `not probed: ${s.address} (${s.reason})`));
  }
  section.append(disagreementList(run.disagreements));
  return section;
}

function disagreementList(list: Disagreement[]): HTMLElement {
  if (!list.length)
    return h("p", { class: "agreement" }, "No disagreement: the probes confirm the prediction.");
  return h(
    "div",
    { class: "disagreements", role: "alert" },
    h("h4", null, `${list.length} disagreement${list.length === 1 ? "" : "s"} with the prediction`),
    h(
      "ul",
      null,
      ...list.map((d) =>
        h(
          "li",
          null,
          `${d.from.name} → ${d.to.name}: ${d.aspect}${d.name ? ` ${d.name}` : ""}: predicted ${d.predicted}, observed ${d.observed}`,
          d.rules.length ? ` [${d.rules.join(", ")}]` : "",
          d.evidence ? ` — ${d.evidence}` : "",
        ),
      ),
    ),
  );
}

/** One stacked row per check (a six-column table breaks words letter by letter in a 360-pixel panel). */
function checksTable(obs: PairObservation, e: PairExplanation): HTMLElement {
  const rows = obs.results.map((r) => {
    const predicted = predictedFor(r, e, obs);
    const observed = observedOf(r, obs);
    const mismatch = predicted !== "—" && predicted !== "unknown" && predicted !== observed;
    return h(
      "li",
      { class: `check${mismatch ? " mismatch" : ""}`, "data-kind": r.kind },
      h(
        "div",
        { class: "check-what" },
        h("strong", null, r.kind === "tcp" ? "TCP" : r.kind === "icmp" ? "ICMP" : "name"),
        " ",
        h("code", null, target(r)),
        h("span", { class: "muted" }, ` via ${r.network ?? r.role}`),
      ),
      h(
        "div",
        { class: "check-result" },
        `observed ${r.status}${r.detail ? ` (${r.detail})` : ""} · predicted ${predicted} `,
        h("span", { class: "check-mark" }, mismatch ? "✗ differs" : "✓ agrees"),
      ),
    );
  });
  return h("ul", { class: "checks", "aria-label": "Checks: observed and predicted" }, ...rows);
}

function target(r: ProbeResult): string {
  if (r.kind === "name") return `${r.name ?? "?"}${r.resolved?.length ? ` → ${r.resolved.join(" ")}` : ""}`;
  return `${r.address ?? "?"}${r.port !== null ? `:${r.port}` : ""}`;
}

/** What a check observed, in the words of the prediction. */
function observedOf(r: ProbeResult, obs: PairObservation): string {
  if (r.kind === "name") {
    const n = obs.names.find((x) => x.name === r.name);
    return n?.resolvesToTarget ? "resolves" : "does not resolve";
  }
  if (r.status === "ok" || (r.kind === "tcp" && r.status === "refused")) return "reachable";
  if (r.status === "timeout" || r.status === "unreachable") return "blocked";
  return "unknown";
}

/** The model's prediction for one check; "—" where the model says nothing about that address. */
function predictedFor(r: ProbeResult, e: PairExplanation, obs: PairObservation): string {
  if (r.kind === "name") {
    const known = e.names.some((n) => n.name.toLowerCase() === (r.name ?? "").toLowerCase());
    if (known) return "resolves";
    return obs.names.some((n) => n.name === r.name) && e.namesKnown ? "does not resolve" : "—";
  }
  const path = e.paths.find((p) => p.address === r.address && (r.role !== "published" || p.port === r.port));
  if (path) return path.verdict;
  const route = e.ports.flatMap((p) => p.routes).find((x) => x.address === r.address && x.port === r.port);
  if (route) return "reachable";
  return e.verdict === "blocked" ? "blocked" : "—";
}
