import { portText, sortedPorts } from "../graph/labels.ts";
import { explainIndices, indexTopology } from "../reachability/index.ts";
import type { PairExplanation } from "../reachability/types.ts";
import type { Container, Network, Topology } from "../topology.ts";

/** Blocked pairs listed before the summary points at `reachgraph matrix` instead. */
const MAX_BLOCKED = 40;

/**
 * A readable summary of a compose prediction for `reachgraph compose`: the networks it creates, each
 * service with its replicas, attachments (with the names that resolve there) and ports, then every pair of
 * the project's containers that cannot reach each other, with the deciding rule.
 */
export function formatComposeSummary(topology: Topology): string {
  const containers = topology.containers.filter((c) => c.compose);
  const projects = [...new Set(containers.map((c) => c.compose?.project))].join(", ");
  const lines = [`project ${projects || "(none)"} from ${topology.source.label} (predicted, not running)`];

  const used = new Set(containers.flatMap((c) => c.interfaces.map((i) => i.network)));
  const networks = topology.networks.filter((n) => !n.builtIn || used.has(n.name));
  lines.push("", `networks (${networks.length}):`);
  for (const n of networks) lines.push(`  ${n.name}  ${networkFacts(n)}`);

  const services = groupByService(containers);
  lines.push("", `services (${services.size}):`);
  for (const [service, replicas] of services) {
    const first = replicas[0];
    const names = replicas.map((c) => c.name).join(", ");
    lines.push(`  ${service}  ${first.image}  → ${names}`);
    lines.push(`    network: ${attachments(first) || "none"}`);
    const ports = sortedPorts(first.ports).map(portText);
    if (ports.length) lines.push(`    ports: ${ports.join(", ")}`);
  }

  const blocked = blockedPairs(topology);
  lines.push("", `blocked pairs (${blocked.length}):`);
  if (blocked.length === 0) lines.push("  none: every container reaches every other");
  for (const e of blocked.slice(0, MAX_BLOCKED)) {
    const reason = decidingReason(e);
    lines.push(`  ${e.from.name} -> ${e.to.name}${reason ? `  [${reason.rule}] ${reason.text}` : ""}`);
  }
  if (blocked.length > MAX_BLOCKED)
    lines.push(`  … and ${blocked.length - MAX_BLOCKED} more: reachgraph matrix --compose …`);
  lines.push("", "reachgraph why --compose <path> <from> <to> explains a pair; --json prints the topology");
  return `${lines.join("\n")}\n`;
}

function networkFacts(n: Network): string {
  const flags = [
    n.driver,
    n.internal ? "internal" : "",
    n.icc ? "" : "icc off",
    n.attachable ? "attachable" : "",
    n.subnets.map((s) => s.subnet).join(", "),
  ];
  return flags.filter(Boolean).join(" · ");
}

function groupByService(containers: readonly Container[]): Map<string, Container[]> {
  const out = new Map<string, Container[]>();
  for (const c of containers) {
    const key = c.compose?.service ?? c.name;
    out.set(key, [...(out.get(key) ?? []), c]);
  }
  return out;
}

/** `frontend (api, proxy-alias) · backend (api)`: each network and the names peers resolve there. */
function attachments(c: Container): string {
  if (c.networkMode.startsWith("container:") || c.networkMode.startsWith("service:")) return c.networkMode;
  if (c.networkMode === "host" || c.networkMode === "none") return c.networkMode;
  return c.interfaces
    .map((i) => {
      const names = i.dnsNames ?? i.aliases ?? [];
      return names.length ? `${i.network} (${names.join(", ")})` : i.network;
    })
    .join(" · ");
}

function blockedPairs(topology: Topology): PairExplanation[] {
  const index = indexTopology(topology);
  const members: number[] = [];
  index.containers.forEach((c, i) => {
    if (c.compose) members.push(i);
  });
  const out: PairExplanation[] = [];
  for (const from of members)
    for (const to of members) {
      if (from === to) continue;
      const e = explainIndices(index, from, to);
      if (e.verdict === "blocked") out.push(e);
    }
  return out;
}

function decidingReason(e: PairExplanation): PairExplanation["reasons"][number] | undefined {
  return (
    e.reasons.find((r) => r.layer === "state") ?? e.reasons.find((r) => r.layer === "network") ?? e.reasons[0]
  );
}
