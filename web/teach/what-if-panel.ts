import type { Container, Network, Topology } from "../../server/model/topology.ts";
import type { WhatIf } from "../../server/model/what-if/index.ts";
import type { Child } from "../dom.ts";
import { h } from "../dom.ts";
import { ruleBadge } from "../explain/widgets.ts";
import type { State, Store } from "../store.ts";
import type { TeachSource } from "./source.ts";

export interface WhatIfPanel {
  render(state: State): void;
}

const button = (text: string, attrs: Record<string, string>, onClick: () => void): HTMLButtonElement => {
  const b = h("button", { type: "button", ...attrs }, text);
  b.addEventListener("click", onClick);
  return b;
};

/** Networks a container could be connected to: not host/none, not the routing mesh, overlays only if attachable. */
function connectable(t: Topology, c: Container): Network[] {
  const on = new Set(c.interfaces.map((i) => i.networkId));
  return t.networks
    .filter((n) => !on.has(n.id) && n.driver !== "host" && n.driver !== "null" && !n.ingress && !n.configOnly)
    .filter((n) => n.name !== "docker_gwbridge" && (n.driver !== "overlay" || n.attachable))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The what-if controls for the pinned container or network, the list of applied changes with the commands
 * that would make them real, and undo/reset. Nothing here talks to the engine.
 */
export function createWhatIfPanel(el: HTMLElement, store: Store, source: TeachSource): WhatIfPanel {
  let drawn: { topology: Topology | null; selected: string | null; teach: unknown } | null = null;
  const apply = (w: WhatIf): void => void source.apply(w);

  function containerControls(t: Topology, c: Container): Child[] {
    const own = c.interfaces.filter((i) => !i.implicit);
    const nets = connectable(t, c);
    const netSelect = h("select", { class: "whatif-connect-net", "aria-label": "Network to connect to" });
    for (const n of nets) netSelect.append(h("option", { value: n.id }, `${n.name} (${n.driver})`));
    const alias = h("input", {
      class: "whatif-alias",
      placeholder: "alias (optional)",
      "aria-label": "Alias",
    });
    const cport = h("input", {
      class: "whatif-cport",
      type: "number",
      min: "1",
      max: "65535",
      value: String(c.ports[0]?.privatePort ?? 80),
      "aria-label": "Container port",
    });
    const hport = h("input", {
      class: "whatif-hport",
      type: "number",
      min: "1",
      max: "65535",
      value: "8080",
      "aria-label": "Host port",
    });
    const hostIp = h(
      "select",
      { class: "whatif-hostip", "aria-label": "Host address" },
      h("option", { value: "" }, "all addresses (0.0.0.0, ::)"),
      h("option", { value: "127.0.0.1" }, "127.0.0.1 only"),
    );
    return [
      h("h4", null, "Networks"),
      own.length
        ? h(
            "ul",
            { class: "whatif-ifaces" },
            ...own.map((i) =>
              h(
                "li",
                null,
                `${i.network} `,
                button(
                  "Disconnect",
                  { class: "whatif-disconnect", "data-network": i.networkId || i.network },
                  () => apply({ kind: "disconnect", container: c.id, network: i.networkId || i.network }),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "no network of its own"),
      nets.length
        ? h(
            "div",
            { class: "whatif-row" },
            netSelect,
            alias,
            button("Connect", { class: "whatif-connect" }, () => {
              const aliases = alias.value.trim() ? alias.value.trim().split(/[\s,]+/) : [];
              apply({ kind: "connect", container: c.id, network: netSelect.value, aliases });
            }),
          )
        : null,
      h("h4", null, "Publish a port"),
      h(
        "div",
        { class: "whatif-row" },
        hostIp,
        hport,
        h("span", null, "→"),
        cport,
        button("Publish", { class: "whatif-publish" }, () =>
          apply({
            kind: "publish",
            container: c.id,
            containerPort: Number(cport.value),
            hostPort: Number(hport.value),
            ...(hostIp.value ? { hostIp: hostIp.value } : {}),
          }),
        ),
      ),
    ];
  }

  function networkControls(n: Network): Child[] {
    return [
      h("h4", null, "Recreate the network"),
      h(
        "div",
        { class: "whatif-row" },
        n.driver === "bridge"
          ? button(n.icc ? "Turn icc off" : "Turn icc on", { class: "whatif-icc" }, () =>
              apply({ kind: "icc", network: n.id, enabled: !n.icc }),
            )
          : null,
        n.driver === "bridge" || n.driver === "overlay"
          ? button(n.internal ? "Make not internal" : "Make internal", { class: "whatif-internal" }, () =>
              apply({ kind: "internal", network: n.id, enabled: !n.internal }),
            )
          : null,
      ),
    ];
  }

  function targetSelect(t: Topology, selected: string | null): HTMLSelectElement {
    const select = h(
      "select",
      { id: "whatif-target", "aria-label": "Container or network to change" },
      h("option", { value: "" }, "pick a container or network…"),
      h(
        "optgroup",
        { label: "Containers" },
        ...[...t.containers]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => h("option", { value: c.id }, c.name)),
      ),
      h(
        "optgroup",
        { label: "Networks" },
        ...t.networks
          .filter((n) => !n.builtIn && !n.system)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((n) => h("option", { value: n.id }, n.name)),
      ),
    );
    select.value = selected ?? "";
    select.addEventListener("change", () => store.select(select.value || null));
    return select;
  }

  function render(state: State): void {
    const teach = source.get();
    const t = state.topology;
    const next = { topology: t, selected: state.selectedId, teach };
    if (drawn && drawn.topology === t && drawn.selected === next.selected && drawn.teach === teach) return;
    drawn = next;
    el.hidden = t === null;
    el.dataset.count = String(teach.whatIfs.length);
    if (!t) return;
    const container = t.containers.find((c) => c.id === state.selectedId);
    const network = container ? undefined : t.networks.find((n) => n.id === state.selectedId);
    const example = teach.example?.entry;
    const parts: (Node | null)[] = [
      // The fold's summary says "What-if"; the panel says only what that means.
      h("p", null, h("span", { class: "whatif-mark" }, "not applied to the engine")),
      example
        ? h(
            "details",
            { class: "whatif-example" },
            h("summary", null, `Example: ${example.title}`),
            h("p", null, example.description),
            h("p", null, ...example.rules.map((r) => ruleBadge(r))),
          )
        : null,
      h("div", { class: "whatif-row" }, targetSelect(t, state.selectedId)),
      container?.sharesNamespaceWith
        ? h("p", { class: "muted" }, `${container.name} uses another container's namespace (CN-1, CN-2)`)
        : container
          ? h(
              "div",
              { class: "whatif-controls", "data-kind": "container" },
              ...containerControls(t, container),
            )
          : network && !network.builtIn && !network.system
            ? h("div", { class: "whatif-controls", "data-kind": "network" }, ...networkControls(network))
            : h("p", { class: "hint" }, "Select a container or a user-defined network to try a change."),
      teach.error ? h("p", { class: "whatif-error", role: "alert" }, teach.error) : null,
      teach.changes.length
        ? h(
            "ol",
            { class: "whatif-changes" },
            ...teach.changes.map((c) =>
              h(
                "li",
                { class: c.effective ? undefined : "no-effect" },
                h("span", null, c.text),
                h("span", { class: "whatif-rules" }, ...c.rules.map((r) => ruleBadge(r))),
                h("code", null, c.command),
              ),
            ),
          )
        : null,
      h(
        "div",
        { class: "whatif-row" },
        button("Undo", { class: "whatif-undo", ...(teach.whatIfs.length ? {} : { disabled: "" }) }, () =>
          source.undo(),
        ),
        button("Reset", { class: "whatif-reset", ...(teach.whatIfs.length ? {} : { disabled: "" }) }, () =>
          source.reset(),
        ),
      ),
    ];
    el.replaceChildren(...parts.filter((p): p is Node => p !== null));
  }

  return { render };
}
