import { HOST, targetVisitor } from "../reachability/index.ts";
import type { Verdict } from "../reachability/index.ts";
import type { Network, Topology } from "../topology.ts";
import { networkBadges } from "../graph-style.ts";
import { portText, sortedPorts } from "../graph/labels.ts";
import { blockedSection } from "./markdown-blocked.ts";
import { findingsSection } from "./markdown-findings.ts";
import { mdCode, mdText } from "../escape/markdown.ts";
import { mdTable } from "./md.ts";
import { nodeSection } from "./markdown-nodes.ts";
import type { ExportOptions, ExportView, VerdictCounts } from "./view.ts";
import { countVerdicts, exportView, shownMask } from "./view.ts";

/** Up to this many shown containers the report draws the full matrix; beyond, one list per source. */
export const MATRIX_LIMIT = 30;
const MARK: Record<Verdict, string> = { reachable: "✓", blocked: "✗", unknown: "?" };

/**
 * A Markdown report for documentation: networks, containers with addresses and ports, the reachability matrix
 * and every blocked pair with its reason and fix.
 */
export function exportMarkdown(topology: Topology, options: ExportOptions = {}): string {
  return renderMarkdown(exportView(topology, options));
}

/** A part of the report: its lines, or none to leave itself out. */
type Section = (view: ExportView, counts: VerdictCounts) => string[];

/** The report's sections, in order, after its heading. */
const SECTIONS: readonly Section[] = [
  networkSection,
  nodeSection,
  containerSection,
  matrixSection,
  (view, counts) => blockedSection(view, counts.blocked),
  findingsSection,
];

/** `exportMarkdown` for an already built view. */
export function renderMarkdown(view: ExportView): string {
  const counts = countVerdicts(view);
  const out = [
    `# ${mdText(view.title)}`,
    "",
    mdText(view.subtitle),
    "",
    `${view.containers.length} containers, ${view.networks.length} networks. Verdicts: ✓ ${counts.reachable} reachable, ✗ ${counts.blocked} blocked, ? ${counts.unknown} unknown pairs. Rule IDs (UB-8, ICC-1, …) are those of reachgraph's docs/docker-reachability.md; \`reachgraph why <from> <to>\` explains any pair layer by layer.`,
    ...SECTIONS.flatMap((section) => ["", ...section(view, counts)]),
  ];
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function networkSection(view: ExportView): string[] {
  const members = new Map<string, number>();
  for (const c of view.containers)
    for (const i of c.interfaces)
      members.set(i.networkId || i.network, (members.get(i.networkId || i.network) ?? 0) + 1);
  const rows = view.networks.map((n) => [
    mdCode(n.name),
    mdText(n.driver),
    mdText(n.scope),
    n.subnets.length
      ? n.subnets
          .map((s) => `${mdText(s.subnet)}${s.gateway ? ` (gateway ${mdText(s.gateway)})` : ""}`)
          .join("<br>")
      : "—",
    flags(n),
    String((members.get(n.id) ?? 0) + (members.get(n.name) ?? 0)),
  ]);
  if (!rows.length) return ["## Networks", "", "No networks shown."];
  return ["## Networks", "", ...mdTable(["Network", "Driver", "Scope", "Subnets", "Flags", "Members"], rows)];
}

function flags(n: Network): string {
  const out = networkBadges(n).map((b) =>
    b === "internal"
      ? "internal (INT-2: no traffic in or out)"
      : b === "icc off"
        ? "icc off (ICC-1: members isolated)"
        : b,
  );
  if (n.defaultBridge) out.push("default bridge (DB-2: no DNS)");
  if (n.system) out.push("system");
  if (n.compose) out.push(`compose ${n.compose.project}`);
  return out.length ? out.map(mdText).join(", ") : "—";
}

function containerSection(view: ExportView): string[] {
  if (!view.containers.length) return ["## Containers", "", "No containers shown."];
  const rows = view.containers.map((c, k) => {
    const addresses = c.interfaces
      .map((i) => {
        const addr = [i.ipv4 && `${i.ipv4}/${i.prefixLength}`, i.ipv6 && `${i.ipv6}/${i.ipv6PrefixLength}`]
          .filter(Boolean)
          .join(", ");
        return `${mdCode(i.network)}: ${mdText(addr || "no address")}${i.implicit ? " (implicit)" : ""}`;
      })
      .join("<br>");
    const mode = c.sharesNamespaceWith
      ? `container:${c.sharesNamespaceWith.name ?? c.sharesNamespaceWith.id.slice(0, 12)}`
      : c.networkMode;
    const ports = sortedPorts(c.ports).map((p) => mdCode(portText(p)));
    return [
      String(k + 1),
      mdCode(c.name),
      mdText(c.state),
      mdText(c.image),
      c.compose ? mdText(`${c.compose.project}/${c.compose.service}`) : "—",
      mdText(mode),
      addresses || "—",
      ports.join("<br>") || "—",
    ];
  });
  return [
    "## Containers",
    "",
    "Published ports read `host address:host port→container port`; `0.0.0.0` and `[::]` listen on every host address (PP-4). Exposed-only ports are reachable only from peers that reach the container at all (PP-9).",
    "",
    ...mdTable(["#", "Container", "State", "Image", "Compose", "Network mode", "Addresses", "Ports"], rows),
  ];
}

function matrixSection(view: ExportView): string[] {
  const shown = shownMask(view);
  const position = new Map(view.indices.map((i, k) => [i, k + 1]));
  const name = (i: number): string => (i < 0 ? HOST : view.containers[(position.get(i) ?? 1) - 1].name);
  const visit = targetVisitor(view.reach);
  const rowOf = (s: number): Map<number, Verdict> => {
    const row = new Map<number, Verdict>();
    visit(s, (to, verdict) => void ((to < 0 || shown[to]) && row.set(to, verdict)), { includeBlocked: true });
    return row;
  };
  const out = ["## Reachability", ""];
  if (view.containers.length <= MATRIX_LIMIT) {
    out.push(
      "Rows reach columns: ✓ reachable, ✗ blocked, ? unknown, · itself. Columns are numbered as in the containers table; H is the Docker host.",
      "",
    );
    const cols = [-1, ...view.indices];
    const header = ["From \\ to", ...cols.map((c) => (c < 0 ? "H" : String(position.get(c))))];
    const rows = view.sources.map((s) => {
      const row = rowOf(s);
      const label = s < 0 ? `H ${mdCode(HOST)}` : `${position.get(s)} ${mdCode(name(s))}`;
      return [label, ...cols.map((c) => (c === s ? "·" : MARK[row.get(c) ?? "blocked"]))];
    });
    return [...out, ...mdTable(header, rows)];
  }
  for (const s of view.sources) {
    const row = rowOf(s);
    const of = (v: Verdict): string[] =>
      [...row].filter(([t, x]) => x === v && t !== s).map(([t]) => name(t));
    const list = (names: string[]): string => names.sort().map(mdCode).join(", ") || "nothing";
    out.push(`### From ${mdCode(name(s))}`, "", `- ✓ reaches: ${list(of("reachable"))}`);
    const unknown = of("unknown");
    if (unknown.length) out.push(`- ? may reach (unknown): ${list(unknown)}`);
    out.push(`- ✗ blocked: ${of("blocked").length} (see Blocked pairs)`, "");
  }
  return out;
}
