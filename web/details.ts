import type { Container, Interface, Network, Port, Topology } from "../server/model/topology.ts";
import type { Child } from "./dom.ts";
import { h } from "./dom.ts";
import { NETWORK_STYLE_LABELS, networkStyle } from "./graph/style.ts";
import { statusAge } from "./status-age.ts";
import type { State } from "./store.ts";

/** Renders the side panel for the hovered, else the selected, element; everything goes in as text. */
export function renderDetails(
  el: HTMLElement,
  state: State,
  onSelect: (id: string) => void,
  extra: () => Child = () => null,
): void {
  const topology = state.topology;
  const id = state.hoverId ?? state.selectedId;
  const container = id ? topology?.containers.find((c) => c.id === id) : undefined;
  const network = id && !container ? topology?.networks.find((n) => n.id === id) : undefined;
  const pinned = id !== null && id === state.selectedId;
  el.dataset.kind = container ? "container" : network ? "network" : "none";
  el.dataset.id = container?.id ?? network?.id ?? "";
  const content: Child[] = !topology
    ? [
        h(
          "p",
          { class: "hint" },
          state.connection === "reconnecting" ? "Waiting for the server…" : "Loading…",
        ),
      ]
    : container
      ? containerDetails(container, topology, onSelect)
      : network
        ? networkDetails(network, topology, onSelect)
        : overview(topology);
  // `extra` (the reachability block) belongs to the pinned selection only.
  el.replaceChildren(
    h("div", { class: "details-body" }, ...content.slice(0, 2), pinned ? extra() : null, ...content.slice(2)),
  );
  el.classList.toggle("pinned", pinned);
}

function overview(t: Topology): Child[] {
  const e = t.engine;
  return [
    h("h2", null, "Engine"),
    table([
      ["name", e.name || "—"],
      ["version", e.serverVersion ? `Docker ${e.serverVersion} (API ${e.apiVersion})` : "—"],
      ["os", e.os || "—"],
      ["swarm", e.swarm ? "active" : "inactive"],
      ["source", `${t.source.kind}: ${t.source.label}`],
      ["captured", formatTime(t.source.capturedAt)],
      ["containers", String(t.containers.length)],
      ["networks", String(t.networks.length)],
    ]),
    h(
      "p",
      { class: "hint" },
      "Hover or click a node to see its details. Keys: Tab or the arrows move between nodes, Enter selects, " +
        "Shift+Enter explains a pair, Escape clears, / searches, + and - zoom.",
    ),
  ];
}

function containerDetails(c: Container, t: Topology, onSelect: (id: string) => void): Child[] {
  const nets = new Map(t.networks.map((n) => [n.id, n]));
  const joiners = t.containers.filter((o) => o.sharesNamespaceWith?.id === c.id);
  const provider = c.sharesNamespaceWith;
  const compose = c.compose;
  return [
    h("h2", null, c.name, " ", h("span", { class: `chip state-${c.state}` }, c.state)),
    table([
      ["image", c.image],
      ["status", statusAge(c, t.source.kind === "live")],
      ["created", c.created ? formatTime(new Date(c.created * 1000).toISOString()) : "—"],
      ["id", c.id.slice(0, 12)],
      ["network mode", c.networkMode],
      provider
        ? [
            "shares netns with",
            t.containers.some((o) => o.id === provider.id)
              ? link(provider.name ?? provider.id.slice(0, 12), provider.id, onSelect)
              : `${provider.name ?? provider.id.slice(0, 12)} (not found)`,
          ]
        : null,
      joiners.length ? ["netns shared by", list(joiners.map((j) => link(j.name, j.id, onSelect)))] : null,
      ["hostname", c.hostname ?? (c.inspected ? "—" : "not inspected")],
      compose
        ? [
            "compose",
            `${compose.project} / ${compose.service} #${compose.number}${compose.oneoff ? " (one-off)" : ""}`,
          ]
        : null,
      c.swarm ? ["swarm", `${c.swarm.service} (${c.swarm.task})`] : null,
      c.error ? ["error", c.error] : null,
    ]),
    h("h3", null, `Interfaces (${c.interfaces.length})`),
    c.interfaces.length
      ? h("div", null, ...c.interfaces.map((i) => interfaceBlock(i, nets.get(i.networkId), onSelect)))
      : h("p", { class: "muted" }, provider ? "none of its own: uses the provider's interfaces" : "none"),
    h("h3", null, `Ports (${c.ports.length})`),
    c.ports.length ? list(c.ports.map(formatPort)) : h("p", { class: "muted" }, "none"),
    c.links.length ? h("h3", null, "Legacy links") : null,
    c.links.length ? list(c.links.map((l) => `${l.alias} → ${l.target}`)) : null,
    h("h3", null, `Labels (${Object.keys(c.labels).length})`),
    keyValues(c.labels),
  ];
}

function interfaceBlock(i: Interface, net: Network | undefined, onSelect: (id: string) => void): HTMLElement {
  const title = net ? link(i.network, net.id, onSelect) : i.network;
  return h(
    "section",
    { class: `iface${i.implicit ? " implicit" : ""}` },
    h("h4", null, title, net ? ` (${net.driver})` : "", i.implicit ? " · implicit gateway bridge" : ""),
    table([
      ["IPv4", i.ipv4 ? `${i.ipv4}${i.prefixLength !== null ? `/${i.prefixLength}` : ""}` : "no address"],
      i.ipv6 ? ["IPv6", `${i.ipv6}${i.ipv6PrefixLength !== null ? `/${i.ipv6PrefixLength}` : ""}`] : null,
      ["MAC", i.mac ?? "—"],
      ["gateway", i.gateway ?? "—"],
      i.ipv6Gateway ? ["IPv6 gateway", i.ipv6Gateway] : null,
      ["aliases", names(i.aliases)],
      [
        "DNS names",
        i.dnsNames !== null && i.dnsNames.length === 0 ? "none (no embedded DNS here)" : names(i.dnsNames),
      ],
      i.links.length ? ["links", i.links.join(", ")] : null,
    ]),
  );
}

function networkDetails(n: Network, t: Topology, onSelect: (id: string) => void): Child[] {
  const members = t.containers.flatMap((c) =>
    c.interfaces.filter((i) => i.networkId === n.id).map((i) => ({ c, i })),
  );
  const style = networkStyle(n);
  return [
    h("h2", null, n.name, " ", h("span", { class: `chip net-${style}` }, n.driver)),
    table([
      ["id", n.id.slice(0, 12)],
      ["driver", `${n.driver} (${NETWORK_STYLE_LABELS[style]})`],
      n.knownDriver ? null : ["note", "plugin driver: reachgraph cannot know its reachability rules"],
      ["scope", n.scope],
      [
        "subnets",
        n.subnets.length
          ? list(
              n.subnets.map(
                (s) =>
                  `${s.subnet}${s.gateway ? ` gw ${s.gateway}` : ""}${s.ipRange ? ` range ${s.ipRange}` : ""}`,
              ),
            )
          : "—",
      ],
      ["internal", yesNo(n.internal)],
      n.driver === "bridge" ? ["icc", n.icc ? "on" : "off (members cannot reach each other)"] : null,
      ["attachable", yesNo(n.attachable)],
      ["ipv6", yesNo(n.ipv6)],
      n.ingress ? ["ingress", "yes"] : null,
      n.parent ? ["parent", n.parent] : null,
      n.compose ? ["compose", `${n.compose.project} / ${n.compose.network}`] : null,
      n.system ? ["system", n.builtIn ? "built-in" : "engine plumbing"] : null,
      n.configOnly ? ["config only", "yes"] : null,
    ]),
    h("h3", null, `Members (${members.length})`),
    members.length
      ? list(
          members.map(({ c, i }) =>
            h(
              "span",
              null,
              link(c.name, c.id, onSelect),
              ` ${i.ipv4 ?? i.ipv6 ?? "no address"} · ${c.state}`,
            ),
          ),
        )
      : h("p", { class: "muted" }, "none"),
    n.pseudoEndpoints.length ? h("h3", null, "Other endpoints") : null,
    n.pseudoEndpoints.length
      ? list(n.pseudoEndpoints.map((p) => `${p.name} ${p.ipv4 ?? p.ipv6 ?? ""}`.trim()))
      : null,
    h("h3", null, `Options (${Object.keys(n.options).length})`),
    keyValues(n.options),
    h("h3", null, `Labels (${Object.keys(n.labels).length})`),
    keyValues(n.labels),
  ];
}

/** PP-9: a port without a public side is exposed only and has no reachability effect. */
export function formatPort(p: Port): string {
  if (p.publicPort === undefined) return `${p.privatePort}/${p.protocol} (exposed only, not published)`;
  const host = p.hostIp ?? "0.0.0.0";
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return `${hostPart}:${p.publicPort} → ${p.privatePort}/${p.protocol}`;
}

function names(values: string[] | null): string {
  if (values === null) return "not inspected";
  return values.length ? values.join(", ") : "—";
}

function yesNo(v: boolean): string {
  return v ? "yes" : "no";
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function link(text: string, id: string, onSelect: (id: string) => void): HTMLElement {
  const b = h("button", { type: "button", class: "linklike" }, text);
  b.addEventListener("click", () => onSelect(id));
  return b;
}

function list(items: Child[]): HTMLElement {
  return h("ul", null, ...items.map((item) => h("li", null, item)));
}

type Row = [string, Child] | null;

function table(rows: Row[]): HTMLElement {
  const dl = h("dl", { class: "kv" });
  for (const row of rows) {
    if (!row) continue;
    dl.append(h("dt", null, row[0]), h("dd", null, row[1]));
  }
  return dl;
}

function keyValues(record: Record<string, string>): HTMLElement {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return h("p", { class: "muted" }, "none");
  return table(entries.map(([k, v]) => [k, h("code", null, v)]));
}
