import type { Container, Interface, Topology } from "../../server/model/topology.ts";
import { h } from "../dom.ts";
import { ruleBadge } from "../explain/widgets.ts";
import type { DriverSection } from "./drivers.ts";
import { SECTIONS, sectionOfRule } from "./drivers.ts";
import { ruleText } from "./rules.ts";

export interface DriverPanel {
  /** Opens the panel at a section, or at the section explaining a rule (and highlights the rule). */
  open(target?: { section?: string; rule?: string }): void;
  close(): void;
  isOpen(): boolean;
  /** Redraws the "how an interface looks" examples from the shown topology. */
  update(topology: Topology | null): void;
}

/** The driver panel: per driver and mode, what it does, a real interface, and the rules that decide reachability. */
export function createDriverPanel(el: HTMLElement): DriverPanel {
  let topology: Topology | null = null;
  let current: DriverSection = SECTIONS[0];
  let highlighted: string | null = null;
  /** Where focus was before the panel opened; it goes back there on close. */
  let returnFocus: HTMLElement | null = null;

  const nav = h("nav", { class: "drivers-nav", "aria-label": "Drivers and modes" });
  const body = h("div", { class: "drivers-body", tabindex: "-1" });
  const close = h("button", { type: "button", class: "icon", "aria-label": "Close the driver panel" }, "×");
  close.addEventListener("click", () => panel.close());
  el.replaceChildren(
    h("div", { class: "drivers-head" }, h("h2", null, "Drivers and modes"), close),
    h(
      "p",
      { class: "hint" },
      "What each network driver and mode does to reachability, with the rule IDs the explanations cite " +
        "(Docker Engine 20.10). Each rule links to its entry, with its evidence, in the ",
      h("a", { href: "/rules", target: "_blank" }, "rules reference"),
      ".",
    ),
    h("div", { class: "drivers-main" }, nav, body),
  );
  for (const s of SECTIONS) {
    const b = h("button", { type: "button", class: "drivers-tab", "data-section": s.id }, s.title);
    b.addEventListener("click", () => panel.open({ section: s.id }));
    nav.append(b);
  }
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      panel.close();
    }
  });

  function draw(): void {
    for (const b of nav.querySelectorAll<HTMLButtonElement>(".drivers-tab"))
      b.setAttribute("aria-current", String(b.dataset.section === current.id));
    el.dataset.section = current.id;
    const example = topology ? current.pick(topology) : null;
    const parts: (Node | null)[] = [
      h("h3", null, current.title),
      h("h4", null, "What it does"),
      h("p", null, ...prose(current.what)),
      h("h4", null, "How an interface looks"),
      example
        ? interfaceView(example.container, example.iface, topology as Topology)
        : h("p", null, ...prose(current.looks)),
      example ? h("p", { class: "muted" }, ...prose(current.looks)) : null,
      h("h4", null, "What it means for reachability"),
      h("p", null, ...prose(current.reach)),
      h(
        "ul",
        { class: "drivers-rules" },
        ...current.rules.map((rule) =>
          h(
            "li",
            { "data-rule": rule, class: rule === highlighted ? "highlight" : undefined, tabindex: "-1" },
            ruleBadge(rule, `${rule}: its entry in the rules reference`),
            h("span", null, ruleText(rule) ?? ""),
          ),
        ),
      ),
    ];
    body.replaceChildren(...parts.filter((p): p is Node => p !== null));
    const mark = highlighted
      ? body.querySelector<HTMLElement>(`li[data-rule="${CSS.escape(highlighted)}"]`)
      : null;
    if (mark) {
      mark.scrollIntoView({ block: "nearest" });
      mark.focus();
    }
  }

  const panel: DriverPanel = {
    open(target = {}) {
      const section = target.rule
        ? sectionOfRule(target.rule)
        : SECTIONS.find((s) => s.id === target.section);
      current = section ?? current;
      highlighted = target.rule ?? null;
      if (el.hidden)
        returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.hidden = false;
      draw();
      if (!highlighted) body.focus();
    },
    close() {
      const inside = el.contains(document.activeElement);
      el.hidden = true;
      highlighted = null;
      if (inside) (returnFocus?.isConnected ? returnFocus : document.body).focus();
      returnFocus = null;
    },
    isOpen: () => !el.hidden,
    update(next) {
      if (next === topology) return;
      topology = next;
      if (!el.hidden) draw();
    },
  };
  return panel;
}

/** The sections' text with `backticked` spans as inline code (as text nodes and <code>, never as HTML). */
export function prose(text: string): (string | HTMLElement)[] {
  return text.split("`").map((part, i) => (i % 2 === 1 ? h("code", null, part) : part));
}

/** A real interface of the shown topology, as the details panel would show its key facts. */
function interfaceView(c: Container, iface: Interface | null, t: Topology): HTMLElement {
  const provider = c.sharesNamespaceWith;
  const rows: [string, string][] = [["container", `${c.name} (network mode ${c.networkMode})`]];
  if (provider)
    rows.push(["interfaces", `none of its own: uses ${provider.name ?? provider.id.slice(0, 12)}'s`]);
  if (iface) {
    const net = t.networks.find((n) => n.id === iface.networkId);
    rows.push(
      ["network", `${iface.network}${net ? ` (${net.driver})` : ""}${iface.implicit ? " · implicit" : ""}`],
      ["IPv4", iface.ipv4 ? `${iface.ipv4}/${iface.prefixLength ?? "?"}` : "no address"],
      ["gateway", iface.gateway ?? "—"],
      ["MAC", iface.mac ?? "—"],
      ["DNS names", iface.dnsNames === null ? "not inspected" : iface.dnsNames.join(", ") || "none"],
    );
    if (iface.ipv6) rows.push(["IPv6", iface.ipv6]);
  }
  const published = c.ports.filter((p) => p.publicPort !== undefined);
  if (published.length)
    rows.push([
      "published",
      published
        .map((p) => `${p.hostIp ?? "0.0.0.0"}:${p.publicPort} → ${p.privatePort}/${p.protocol}`)
        .join(", "),
    ]);
  const dl = h("dl", { class: "kv drivers-iface", "data-container": c.id });
  for (const [k, v] of rows) dl.append(h("dt", null, k), h("dd", null, v));
  return dl;
}
