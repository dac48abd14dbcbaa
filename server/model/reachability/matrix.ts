import { programmedBindings, remoteFit } from "./ports.ts";
import { machine, machineOf, remoteRoute } from "./machines.ts";
import { meshRoute } from "./mesh.ts";
import { HOST_SANDBOX } from "./pair-paths.ts";
import { ingressPorts, serviceOf } from "./swarm.ts";
import { fromHostNetns, shimIfaces, v6BridgeIfaces } from "./host.ts";
import {
  directMedium,
  forwardRoute,
  hostRoute,
  needsSubnetSplit,
  publishRoute,
  subnetKey,
} from "./routes.ts";
import { isUp, netKey } from "./topology-index.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { Verdict } from "./types.ts";

/** A named set of target containers (indices) that a source reaches as a whole. */
export interface TargetGroup {
  key: string;
  members: readonly number[];
}

/** What one source reaches, as references to shared groups rather than one entry per target. */
export interface SourceReach {
  /** Container index; -1 for the host. */
  source: number;
  /** Group of the source's own namespace (CN-1), or -1. */
  namespace: number;
  /** Group indices; sources wired alike share one array. */
  reachable: readonly number[];
  unknown: readonly number[];
  /** DB-6: linked targets reachable on their exposed ports although icc=false. */
  extra: readonly number[];
  /** Every other live target with endpoints that is not reachable is unknown (§5 plugin driver). */
  unknownRest: boolean;
  /** The source's namespace is not in the topology: every live target is unknown. */
  unknownAll: boolean;
  toHost: Verdict;
}

/** The compact matrix: memory O(containers + memberships); stream pairs with `forEachPair` or `pairs`. */
export interface Reachability {
  index: TopologyIndex;
  groups: readonly TargetGroup[];
  /** One per container, in topology order. */
  sources: readonly SourceReach[];
  host: SourceReach;
  /** Live containers with a namespace that has endpoints (networks or host mode). */
  networked: readonly number[];
  /** Live containers, any mode. */
  live: readonly number[];
}

/** Targets grouped by what reaches them, per machine (SW-2: these paths stay on their machine). */
type Bucket =
  "hostns" | "pub4" | "pub6" | "pubAll" | "fromHostR" | "fromHostU" | "v6" | "shim" | "remoteR" | "remoteU";
const BUCKETS: Bucket[] = [
  "hostns",
  "pub4",
  "pub6",
  "pubAll",
  "fromHostR",
  "fromHostU",
  "v6",
  "shim",
  "remoteR",
  "remoteU",
];
export const NONE: readonly number[] = Object.freeze([]);

const emptyBuckets = (): Record<Bucket, number[]> =>
  Object.fromEntries(BUCKETS.map((k) => [k, [] as number[]])) as Record<Bucket, number[]>;

/** Computes who reaches whom for the whole topology by grouping per network; never materialises N×N. */
export function computeReachability(index: TopologyIndex): Reachability {
  const groups: TargetGroup[] = [];
  const add = (key: string, members: number[]): number => groups.push({ key, members }) - 1;
  const into = (list: number[], o: number): void => {
    list.push(o);
    for (const j of index.joiners.get(o) ?? NONE) list.push(j);
  };
  const perMachine = new Map<string, Record<Bucket, number[]>>([[index.machines.host, emptyBuckets()]]);
  const bucketsOn = (m: string): Record<Bucket, number[]> => {
    let b = perMachine.get(m);
    if (!b) perMachine.set(m, (b = emptyBuckets()));
    return b;
  };
  const plugin: number[] = [];
  const mesh: number[] = [];
  const networked: number[] = [];
  const live: number[] = [];
  const nsGroup = new Map<number, number>();
  const fromHostCache = new Map<string, Verdict>();
  index.sandboxes.forEach((box, o) => {
    if (!box?.up) return;
    into(live, o);
    if (index.joiners.has(o)) {
      const members: number[] = [];
      into(members, o);
      nsGroup.set(o, add(`ns:${o}`, members));
    }
    if (box.mode === "none") return;
    into(networked, o);
    const m = machineOf(index, box);
    const bucket = bucketsOn(m);
    if (box.mode === "host") return into(bucket.hostns, o);
    const bindings = programmedBindings(index, box).bindings;
    if (bindings.length) {
      if (bindings.some((b) => b.family === 4 && !b.loopback)) into(bucket.pub4, o);
      if (bindings.some((b) => b.family === 6 && !b.loopback)) into(bucket.pub6, o);
      into(bucket.pubAll, o);
      const address = machine(index, m).address;
      if (bindings.some((b) => remoteFit(b, address))) into(bucket.remoteR, o);
      else if (bindings.some((b) => !b.loopback)) into(bucket.remoteU, o);
    }
    const sig = signature(index, box);
    let fromHost = fromHostCache.get(sig);
    if (fromHost === undefined) fromHostCache.set(sig, (fromHost = fromHostNetns(index, box).verdict));
    if (fromHost === "reachable") into(bucket.fromHostR, o);
    if (fromHost === "unknown") into(bucket.fromHostU, o);
    if (v6BridgeIfaces(box).length) into(bucket.v6, o);
    if (shimIfaces(index, box).length) into(bucket.shim, o);
    if (box.ifaces.some(isPlugin)) into(plugin, o);
    const service = serviceOf(index.swarm, index.containers[o]);
    if (service && ingressPorts(service).length) into(mesh, o);
  });
  const unresolved = index.containers.flatMap((c, i) => (index.ownerOf[i] < 0 && isUp(c) ? [i] : []));
  live.push(...unresolved);
  const several = index.machines.several;
  const id = new Map(
    [...perMachine].map(([m, b]) => [
      m,
      Object.fromEntries(BUCKETS.map((k) => [k, add(several ? `${k}@${m}` : k, b[k])])) as Record<
        Bucket,
        number
      >,
    ]),
  );
  const global = { plugin: add("plugin", plugin), mesh: add("mesh", mesh) };
  const unresolvedGroup = add("unresolved", unresolved);
  const netGroups = networkGroups(index, into, add);
  const ctx: Ctx = { index, id, global, netGroups, nsGroup, unresolvedGroup, profiles: new Map() };
  const sources = index.containers.map((_, i) => sourceReach(ctx, i));
  const host = hostReach(ctx);
  return { index, groups, sources, host, networked, live };
}

interface Profile {
  reachable: readonly number[];
  unknown: readonly number[];
  unknownRest: boolean;
  toHost: Verdict;
}

interface Ctx {
  index: TopologyIndex;
  /** Per machine, the group of each bucket. */
  id: Map<string, Record<Bucket, number>>;
  global: { plugin: number; mesh: number };
  netGroups: Map<string, { whole: number; bySubnet: Map<string, number> | null }>;
  nsGroup: Map<number, number>;
  unresolvedGroup: number;
  /** Sources wired alike (same networks, same IPv6 presence, same subnets) share one profile. */
  profiles: Map<string, Profile>;
}

function isPlugin(l: LiveIface): boolean {
  return !l.net || !l.net.knownDriver;
}

/** What decides a namespace's verdicts: its networks, IPv6 presence and, for split networks, its subnet. */
function signature(index: TopologyIndex, box: Sandbox): string {
  let sig = `${machineOf(index, box)}|${box.mode}`;
  for (const l of box.ifaces)
    sig += `|${netKey(l)}${l.iface.ipv6 ? "6" : ""}${needsSubnetSplit(l.net) ? subnetKey(l) : ""}`;
  return sig;
}

/** One group per network, split by subnet where l2 macvlan/ipvlan needs a router between them (§5). */
function networkGroups(
  index: TopologyIndex,
  into: (list: number[], o: number) => void,
  add: (key: string, members: number[]) => number,
): Ctx["netGroups"] {
  const out: Ctx["netGroups"] = new Map();
  for (const [key, owners] of index.members) {
    const net = index.networksById.get(key) ?? null;
    const members: number[] = [];
    for (const o of owners) into(members, o);
    const whole = add(`net:${key}`, members);
    if (!needsSubnetSplit(net)) {
      out.set(key, { whole, bySubnet: null });
      continue;
    }
    const split = new Map<string, number[]>();
    for (const o of owners) {
      const l = index.sandboxes[o]?.ifaces.find((x) => netKey(x) === key);
      const subnet = l ? subnetKey(l) : "?";
      const list = split.get(subnet) ?? [];
      into(list, o);
      split.set(subnet, list);
    }
    const bySubnet = new Map([...split].map(([s, m]) => [s, add(`net:${key}/${s}`, m)]));
    out.set(key, { whole, bySubnet });
  }
  return out;
}

function record(source: number, toHost: Verdict, profile?: Partial<SourceReach>): SourceReach {
  return {
    source,
    namespace: -1,
    reachable: NONE,
    unknown: NONE,
    extra: NONE,
    unknownRest: false,
    unknownAll: false,
    toHost,
    ...profile,
  };
}

/** `@host`: the first engine's machine (SW-11); other machines only at their addresses (SW-10). */
function hostReach(ctx: Ctx): SourceReach {
  const id = ctx.id.get(ctx.index.machines.host) as Record<Bucket, number>;
  const reachable = [id.hostns, id.fromHostR, id.pubAll];
  const unknown = [id.fromHostU, ctx.unresolvedGroup];
  const place = placer(reachable, unknown);
  otherMachines(ctx, HOST_SANDBOX, place);
  place(ctx.global.mesh, meshRoute(ctx.index, HOST_SANDBOX).verdict);
  return record(-1, "blocked", { reachable, unknown });
}

function placer(reachable: number[], unknown: number[]): (group: number, verdict: Verdict) => void {
  return (group, verdict) => {
    if (verdict === "reachable") reachable.push(group);
    else if (verdict === "unknown") unknown.push(group);
  };
}

/** SW-10: host namespaces and published ports of the other machines, at their addresses. */
function otherMachines(ctx: Ctx, box: Sandbox, place: (group: number, verdict: Verdict) => void): void {
  const own = machineOf(ctx.index, box);
  for (const [m, id] of ctx.id) {
    if (m === own) continue;
    const route = remoteRoute(ctx.index, box, m).verdict;
    place(id.hostns, route);
    place(id.remoteR, route);
    place(id.remoteU, route === "blocked" ? "blocked" : "unknown");
  }
}

/** The verdict to `@host` from a namespace: on its machine HC-4, from another one SW-10. */
function toHostOf(index: TopologyIndex, box: Sandbox, local: () => Verdict): Verdict {
  const m = machineOf(index, box);
  return m === index.machines.host ? local() : remoteRoute(index, box, index.machines.host).verdict;
}

function sourceReach(ctx: Ctx, i: number): SourceReach {
  const { index } = ctx;
  const o = index.ownerOf[i];
  if (!isUp(index.containers[i])) return record(i, "blocked");
  if (o < 0) return record(i, "unknown", { unknownAll: true });
  const box = index.sandboxes[o] as Sandbox;
  if (!box.up) return record(i, "blocked");
  const sig = signature(index, box);
  let profile = ctx.profiles.get(sig);
  if (!profile) ctx.profiles.set(sig, (profile = profileOf(ctx, box)));
  const extra = box.mode === "networks" ? legacyLinkTargets(ctx, box) : NONE;
  return record(i, profile.toHost, { ...profile, namespace: ctx.nsGroup.get(o) ?? -1, extra });
}

function profileOf(ctx: Ctx, box: Sandbox): Profile {
  const { index } = ctx;
  const id = ctx.id.get(machineOf(index, box)) as Record<Bucket, number>;
  const reachable: number[] = [];
  const unknown: number[] = [ctx.unresolvedGroup];
  const place = placer(reachable, unknown);
  if (box.mode === "none") return { reachable, unknown, unknownRest: false, toHost: "blocked" };
  otherMachines(ctx, box, place);
  place(ctx.global.mesh, meshRoute(index, box).verdict);
  if (box.mode === "host") {
    reachable.push(id.hostns, id.fromHostR, id.pubAll);
    unknown.push(id.fromHostU);
    return { reachable, unknown, unknownRest: false, toHost: toHostOf(index, box, () => "reachable") };
  }
  for (const l of box.ifaces) directGroups(ctx, place, l);
  const local = hostRoute(index, box).verdict;
  place(id.hostns, local);
  place(id.pub4, publishRoute(index, box, 4).verdict);
  place(id.pub6, publishRoute(index, box, 6).verdict);
  const ip6tables = index.config.ip6tables;
  if (ip6tables !== true && v6BridgeIfaces(box).length)
    place(id.v6, ip6tables === false ? "reachable" : "unknown");
  place(id.shim, forwardRoute(index, box, 4, false).verdict);
  unknown.push(ctx.global.plugin);
  return {
    reachable,
    unknown,
    unknownRest: box.ifaces.some(isPlugin),
    toHost: toHostOf(index, box, () => local),
  };
}

function directGroups(ctx: Ctx, place: (group: number, verdict: Verdict) => void, l: LiveIface): void {
  const groups = ctx.netGroups.get(netKey(l));
  if (!groups) return;
  const medium = directMedium(l.net);
  if (medium.verdict === "blocked" || medium.verdict === "none") return;
  if (medium.verdict === "unknown" || !groups.bySubnet) return place(groups.whole, medium.verdict);
  const own = subnetKey(l);
  for (const [subnet, g] of groups.bySubnet)
    place(g, subnet === own && own !== "?" ? "reachable" : "unknown");
}

/** DB-6: the linker reaches a linked target's exposed ports on an icc=false docker0. */
function legacyLinkTargets(ctx: Ctx, box: Sandbox): readonly number[] {
  const { index } = ctx;
  const links = index.containers[box.owner].links;
  if (!links.length) return NONE;
  const out: number[] = [];
  for (const l of box.ifaces) {
    if (!l.net?.defaultBridge || l.net.icc) continue;
    for (const link of links) {
      const t = index.byRef.get(link.target);
      if (t === undefined || index.ownerOf[t] !== t) continue;
      const tbox = index.sandboxes[t];
      if (!tbox?.up || !tbox.ifaces.some((x) => netKey(x) === netKey(l))) continue;
      if (index.containers[t].ports.length) out.push(t, ...(index.joiners.get(t) ?? NONE));
    }
  }
  return out;
}
