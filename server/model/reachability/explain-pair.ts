import { REF_EXPECTED, resolveContainerRef } from "../container-ref.ts";
import { suggestFix } from "./fix.ts";
import { namesFor } from "./names.ts";
import { HOST_SANDBOX, pairPaths } from "./pair-paths.ts";
import { portAccess } from "./ports.ts";
import { isUp, sandboxOf } from "./topology-index.ts";
import type { Sandbox, TopologyIndex } from "./topology-index.ts";
import { managerOnly, staleTask } from "./swarm.ts";
import type { Caveat, PairEnd, PairExplanation, Path, Reason, RuleId, Verdict } from "./types.ts";
import { HOST } from "./types.ts";

const state = (rule: RuleId, text: string): Reason => ({ rule, text, layer: "state" });

/** Resolves `@host` or a container reference (name, ID, short ID, compose service) to an index (null = the host). */
export function resolveEnd(index: TopologyIndex, ref: string): number | null {
  if (ref === HOST) return null;
  return (
    index.byRef.get(ref.replace(/^\//, "")) ??
    resolveContainerRef(index.containers, ref, `${REF_EXPECTED}, or ${HOST}`)
  );
}

/** Explains whether `from` can reach `to` (names or IDs, or `@host`), layer by layer. O(their endpoints). */
export function explainPair(index: TopologyIndex, from: string, to: string): PairExplanation {
  return explainIndices(index, resolveEnd(index, from), resolveEnd(index, to));
}

/** `explainPair` for container indices (null = the host). */
export function explainIndices(
  index: TopologyIndex,
  from: number | null,
  to: number | null,
): PairExplanation {
  const base: PairExplanation = {
    from: end(index, from),
    to: end(index, to),
    verdict: "blocked",
    responsive: true,
    paths: [],
    names: [],
    namesKnown: true,
    ports: [],
    reasons: [],
  };
  if (from === to) {
    base.verdict = "reachable";
    base.paths.push({
      kind: "shared-namespace",
      verdict: "reachable",
      network: null,
      address: "127.0.0.1",
      rule: "CN-1",
    });
    base.reasons.push(state("CN-1", "a container reaches itself on 127.0.0.1"));
    return base;
  }
  if ((from === null || to === null) && index.machines.several)
    base.reasons.push(
      state(
        "SW-11",
        `${HOST} is the host of ${index.machines.host} (the first engine given); other machines' hosts are reached at their addresses`,
      ),
    );
  const s = liveSandbox(index, from, base, "source");
  const t = liveSandbox(index, to, base, "target");
  if (s === "unknown" || t === "unknown") {
    // A dead end decides even when the other end's namespace is unknown.
    if (s !== null && t !== null) base.verdict = "unknown";
    const caveats = caveatsOf(index, [], base, [from, to]);
    if (caveats.length) base.caveats = caveats;
    return base;
  }
  if (s === null || t === null) {
    const fix = suggestFix(index, from, to);
    if (fix) base.fix = fix;
    return base;
  }
  const target = to === null ? null : index.containers[to];
  const pp = pairPaths(index, s, t, target);
  const direct = pp.paths.filter((p) => p.kind !== "published");
  const reachableDirect = direct.some((p) => p.verdict === "reachable");
  base.paths = reachableDirect ? direct.filter((p) => p.verdict === "reachable") : pp.paths;
  base.verdict = verdictOf(pp.paths);
  base.reasons.push(...pp.reasons);
  if (target) {
    const names = namesFor(index, s, target, t);
    base.names = names.names;
    base.namesKnown = names.known;
    base.reasons.push(...names.reasons);
    base.ports = portAccess(index, t, pp.paths, pp.bindings, pp.uses);
    if (base.ports.length === 0 && t.mode === "networks")
      base.reasons.push({ rule: "PP-9", text: "no exposed or published ports are known", layer: "ports" });
  }
  // PP-5 is docker-proxy's: not another machine's DNAT (SW-10) nor the routing mesh's (SW-8).
  const proxied = (p: Path) =>
    p.kind === "published" && p.verdict === "reachable" && !p.rule.startsWith("SW-");
  if (pp.paths.some(proxied) && !reachableDirect)
    base.reasons.push({
      rule: "PP-5",
      text: "docker-proxy connects from the host: the server sees a gateway IP",
      layer: "ports",
    });
  multiHomedReasons(index, s, t, base);
  const caveats = caveatsOf(index, pp.paths, base, [from, to]);
  if (caveats.length) base.caveats = caveats;
  // A paused end (§5 paused) is reachable on paper yet gets no service: unpausing is a fix too.
  if (base.verdict === "blocked" || (base.verdict === "reachable" && paused(index, from, to))) {
    const fix = suggestFix(index, from, to, base.verdict);
    if (fix) base.fix = fix;
  }
  return base;
}

/** SW-3, SW-8: what rests on IPVS; SW-12: an end known only from the manager. */
function caveatsOf(
  index: TopologyIndex,
  paths: Path[],
  e: PairExplanation,
  ends: (number | null)[],
): Caveat[] {
  const out: Caveat[] = [];
  const reachable = paths.filter((p) => p.verdict === "reachable");
  if (reachable.length && reachable.every((p) => p.caveat === "ipvs"))
    out.push({
      kind: "ipvs",
      rule: "SW-8",
      text: "the verdict rests on IPVS: only the routing mesh carries this pair, and it needs IPVS in the kernel (OV-7); without it the port does not answer",
    });
  else if (paths.some((p) => p.caveat === "ipvs"))
    out.push({
      kind: "ipvs",
      rule: "SW-8",
      text: "the routing-mesh paths rest on IPVS (OV-7); the verdict does not",
    });
  const vips = new Set<string | null>();
  for (const n of e.names)
    if (n.caveat === "ipvs" && !vips.has(n.address) && vips.add(n.address))
      out.push({
        kind: "ipvs",
        rule: "SW-3",
        text: `the service name answers with the VIP ${n.address} without IPVS, but a connection to it is balanced by IPVS (OV-7); without it the VIP does not answer`,
      });
  for (const i of new Set(ends)) {
    if (i === null) continue;
    const c = index.containers[index.ownerOf[i] < 0 ? i : index.ownerOf[i]];
    if (!managerOnly(c)) continue;
    const task = c.swarm?.taskId ? index.swarm.tasks.get(c.swarm.taskId) : undefined;
    out.push({
      kind: "manager-view",
      rule: "SW-12",
      text: `no engine of ${c.node} is connected: ${c.name}'s state (task ${task?.state ?? c.state}) and addresses are the manager's /tasks; its ports, names beyond the swarm's and namespace details are not known`,
    });
  }
  return out;
}

function paused(index: TopologyIndex, ...ends: (number | null)[]): boolean {
  return ends.some((i) => {
    if (i === null) return false;
    const owner = index.ownerOf[i];
    return (
      index.containers[i].state === "paused" || (owner >= 0 && index.containers[owner].state === "paused")
    );
  });
}

function end(index: TopologyIndex, i: number | null): PairEnd {
  return i === null
    ? { id: HOST, name: HOST }
    : { id: index.containers[i].id, name: index.containers[i].name };
}

function verdictOf(paths: Path[]): Verdict {
  if (paths.some((p) => p.verdict === "reachable")) return "reachable";
  return paths.length ? "unknown" : "blocked";
}

/** The end's live namespace, null when it has none, "unknown" when its provider is not in the topology. */
function liveSandbox(
  index: TopologyIndex,
  i: number | null,
  out: PairExplanation,
  role: "source" | "target",
): Sandbox | null | "unknown" {
  if (i === null) return HOST_SANDBOX;
  const c = index.containers[i];
  if (!isUp(c)) {
    out.reasons.push(
      state(
        "§5 stopped",
        `the ${role} ${c.name} is ${c.state}: it has no endpoint${c.error ? ` (${c.error}, IV-1)` : ""}`,
      ),
    );
    return null;
  }
  const box = sandboxOf(index, i);
  const stale = staleTask(index.swarm, c);
  if (stale) {
    out.reasons.push(
      state(
        "SW-12",
        `the manager reports ${c.node}, where the ${role} ${c.name} was placed, ${stale}: no engine of it is connected, and its task's last state (${c.state}) may be stale`,
      ),
    );
    return "unknown";
  }
  if (!box) {
    out.reasons.push(
      state(
        "CN-1",
        `the ${role} ${c.name} joins ${c.sharesNamespaceWith?.id ?? "?"}, which is not in the topology`,
      ),
    );
    return "unknown";
  }
  const owner = index.containers[box.owner];
  if (!box.up) {
    out.reasons.push(
      state("CN-3", `the ${role} ${c.name} joined ${owner.name}, which is ${owner.state}: only lo is left`),
    );
    return null;
  }
  if (owner !== c)
    out.reasons.push(
      state(
        "CN-3",
        `${c.name} uses ${owner.name}'s namespace; if ${owner.name} restarted after ${c.name} started, ${c.name} has only lo (not visible here)`,
      ),
    );
  if (c.state === "paused" || owner.state === "paused") {
    if (role === "target") out.responsive = false;
    out.reasons.push(
      state(
        "§5 paused",
        `the ${role} is paused: ${role === "target" ? "it keeps its IP and ICMP answers, but TCP gets no service" : "its processes cannot send until unpaused"}`,
      ),
    );
  }
  if (c.state === "restarting")
    out.reasons.push(
      state("§1.1", `the ${role} ${c.name} is restarting: this holds while its endpoint is up`),
    );
  return box;
}

/** MN-1: only the shared network's IP works; MN-2/MN-3: a container on both sides is no router. */
function multiHomedReasons(index: TopologyIndex, s: Sandbox, t: Sandbox, out: PairExplanation): void {
  if (s.mode !== "networks" || t.mode !== "networks" || s === t) return;
  const mine = new Set(s.ifaces.map((l) => l.iface.networkId));
  const other = t.ifaces.filter((l) => !mine.has(l.iface.networkId) && l.iface.ipv4 && !l.iface.implicit);
  const viaShared = out.paths.some(
    (p) => p.kind === "direct" && p.verdict === "reachable" && p.rule !== "V6-2",
  );
  if (viaShared && other.length) {
    const ips = other.map((l) => `${l.iface.ipv4} (${l.iface.network})`).join(", ");
    out.reasons.push({
      rule: "MN-1",
      text: `use the shared network's IP; ${ips} is dropped by isolation`,
      layer: "network",
    });
  }
  if (out.verdict !== "blocked") return;
  const router = bridgingContainer(index, s, t);
  if (router)
    out.reasons.push({
      rule: "MN-3",
      text: `${router} is on both sides but is no router (MN-2); only NET_ADMIN routes on both peers would pass through it`,
      layer: "network",
    });
}

function bridgingContainer(index: TopologyIndex, s: Sandbox, t: Sandbox): string | null {
  const targetNets = new Set(t.ifaces.filter((l) => !l.iface.implicit).map((l) => l.iface.networkId));
  for (const l of s.ifaces) {
    if (l.iface.implicit) continue;
    for (const m of index.members.get(l.iface.networkId) ?? []) {
      const box = index.sandboxes[m];
      if (m === s.owner || m === t.owner || !box) continue;
      if (box.ifaces.some((x) => targetNets.has(x.iface.networkId))) return index.containers[m].name;
    }
  }
  return null;
}
