import type { CaveatKind, Layer, PairExplanation, Path, Reason } from "./types.ts";

/** How `why` names what a caveat rests on. */
const CAVEAT_WORD: Record<CaveatKind, string> = { ipvs: "IPVS", "manager-view": "the manager's view" };

const LAYERS: { layer: Layer; title: string }[] = [
  { layer: "state", title: "State" },
  { layer: "names", title: "Names" },
  { layer: "network", title: "Network (shared network, icc, internal, isolation)" },
  { layer: "ports", title: "Ports and bindings" },
];

/** Plain text for `reachgraph why <from> <to>`: one section per layer, then the verdict and the fix. */
export function formatExplanation(e: PairExplanation): string {
  const lines = [`${e.from.name} -> ${e.to.name}`];
  for (const { layer, title } of LAYERS) {
    const body = section(e, layer);
    if (body.length) lines.push("", `${title}:`, ...body.map((l) => `  ${l}`));
  }
  lines.push("", "Paths:");
  if (e.paths.length === 0) lines.push("  none");
  for (const p of e.paths) lines.push(`  ${formatPath(p)}`);
  const suffix = e.verdict === "reachable" && !e.responsive ? " (but unresponsive: paused)" : "";
  lines.push("", `Verdict: ${e.verdict}${suffix}`);
  for (const c of e.caveats ?? []) lines.push(`Caveat (${c.kind}): ${c.text} [${c.rule}]`);
  if (e.fix) {
    lines.push(`Fix: ${e.fix.text}${e.fix.rule ? ` [${e.fix.rule}]` : ""}`);
    for (const command of e.fix.commands) lines.push(`  $ ${command}`);
  }
  return lines.join("\n") + "\n";
}

function section(e: PairExplanation, layer: Layer): string[] {
  const out: string[] = [];
  if (layer === "names" && e.names.length) {
    const byNet = new Map<string, string[]>();
    for (const n of e.names) {
      const key = n.network ? `on ${n.network}` : "in /etc/hosts";
      const tag = [
        n.rule === "UB-2" ? "" : n.rule,
        n.address && n.rule !== "UB-2" ? n.address : "",
        n.caveat ? `rests on ${CAVEAT_WORD[n.caveat]}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      byNet.set(key, [...(byNet.get(key) ?? []), `${n.name}${tag ? ` (${tag})` : ""}`]);
    }
    for (const [where, names] of byNet) out.push(`${where}: ${names.join(", ")}`);
  } else if (layer === "names" && e.to.name !== "@host") out.push("no name resolves to the target from here");
  if (layer === "ports")
    for (const p of e.ports) {
      const routes = p.routes.map(
        (r) =>
          `${r.address ?? "?"}:${r.port} (${r.kind}, ${r.rule}${r.caveat ? `, rests on ${CAVEAT_WORD[r.caveat]}` : ""})`,
      );
      const unusable = p.unusable.map((u) => `${u.hostIp}:${u.hostPort} not usable (${u.rule})`);
      const kind = p.published ? "published" : "exposed";
      out.push(`${p.port}/${p.protocol} ${kind}: ${[...routes, ...unusable].join("; ") || "no route"}`);
    }
  out.push(...unique(e.reasons.filter((r) => r.layer === layer)).map((r) => `[${r.rule}] ${r.text}`));
  return out;
}

function formatPath(p: Path): string {
  const where = p.network ? ` on ${p.network}` : "";
  const port = p.port !== undefined ? `:${p.port} -> ${p.targetPort}/${p.protocol}` : "";
  const only = p.onlyPorts ? ` only ${p.onlyPorts.join(", ")}` : "";
  const maybe = `${p.verdict === "unknown" ? " (unknown)" : ""}${p.caveat ? ` (rests on ${CAVEAT_WORD[p.caveat]})` : ""}`;
  return `${p.kind}${where}: ${p.address ?? "address not collected"}${port}${only}${maybe} [${p.rule}]`;
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
