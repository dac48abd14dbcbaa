/**
 * The overlay MTU check (CS-8): a don't-fragment ping of the overlay's MTU − 28 bytes across nodes. VXLAN adds
 * 50 bytes, so an underlay MTU below overlay MTU + 50 drops the big packets while small ones pass ("small
 * requests work, big ones hang"). Pure: the plan, the helper's output and the finding; server/probe runs it.
 */
import { shellCommand } from "../escape/shell.ts";
import type { Container, Network, Topology } from "../topology.ts";
import type { Finding } from "./consistency.ts";

/** VXLAN's encapsulation: outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
export const VXLAN_OVERHEAD = 50;
/** An ICMP echo's IPv4 (20) and ICMP (8) headers: a payload of MTU − 28 fills the interface's MTU exactly. */
export const PING_HEADERS = 28;
const LIVE = new Set(["running"]);

/** One check: from a container (its engine runs the helper in its namespace) to a member on another node. */
export interface MtuPlan {
  network: { id: string; name: string };
  source: { id: string; name: string; node: string; engine: string; address: string };
  target: { id: string; name: string; node: string; address: string };
}

/** What the helper saw (its `RGMTU` lines). */
export interface MtuObservation {
  plan: MtuPlan;
  /** The MTU of the source's interface on the overlay. */
  mtu: number | null;
  /** `net.ipv4.ip_no_pmtu_disc` in the source's namespace: 0 means the kernel sets DF on pings that fit. */
  noPmtuDisc: number | null;
  smallOk: boolean;
  /** The payload tried: mtu − 28. */
  bigSize: number | null;
  bigOk: boolean;
  /** When the big ping failed and a small one passed: the largest payload that crossed (bisected). */
  largestOk: number | null;
  /** The helper did not finish (its status and message). */
  error?: string;
}

/**
 * For each overlay and each pair of its nodes, one check between running members (the first in name order)
 * whose source has a connected engine (the helper runs there) and both an address on the overlay.
 */
export function planMtuChecks(topology: Topology, networkIds?: readonly string[]): MtuPlan[] {
  const plans: MtuPlan[] = [];
  for (const net of topology.networks) {
    if (net.scope !== "swarm" || net.ingress || (networkIds && !networkIds.includes(net.id))) continue;
    const members = topology.containers
      .filter((c) => LIVE.has(c.state) && c.node)
      .map((c) => ({ c, address: addressOn(c, net) }))
      .filter((m): m is { c: Container; address: string } => m.address !== null)
      .sort((a, b) => a.c.name.localeCompare(b.c.name));
    const done = new Set<string>();
    for (const from of members) {
      if (!from.c.engine) continue;
      for (const to of members) {
        // The echo reply is as big as the request: one direction finds a short underlay both ways.
        const pair = [from.c.node, to.c.node].sort().join(" ");
        if (to.c.node === from.c.node || done.has(pair)) continue;
        done.add(pair);
        plans.push({
          network: { id: net.id, name: net.name },
          source: {
            id: from.c.id,
            name: from.c.name,
            node: from.c.node ?? "",
            engine: from.c.engine,
            address: from.address,
          },
          target: { id: to.c.id, name: to.c.name, node: to.c.node ?? "", address: to.address },
        });
      }
    }
  }
  return plans;
}

function addressOn(c: Container, net: Network): string | null {
  return c.interfaces.find((i) => i.networkId === net.id && !i.implicit)?.ipv4 ?? null;
}

/**
 * The helper's sh script (busybox): the overlay interface's MTU, one small ping, the big DF ping (tried twice,
 * so one lost packet is not a finding), and when only the big one fails a bisection for the largest payload that
 * crosses: at most ~11 pings of one second. busybox ping has no DF switch; Linux sets DF on every ping that fits
 * the interface's MTU (IP_PMTUDISC_WANT, with `ip_no_pmtu_disc` 0), which the script reports.
 */
export function renderMtuScript(plan: MtuPlan): string {
  const address = shellCommand(plan.source.address);
  const target = shellCommand(plan.target.address);
  return [
    "#!/bin/sh",
    "# reachgraph overlay MTU check",
    `rg_if=$(ip -o -4 addr | awk -v a=${address} '{ split($4, p, "/"); if (p[1] == a) print $2 }')`,
    'rg_mtu=$(cat "/sys/class/net/$rg_if/mtu" 2>/dev/null)',
    'echo "RGMTU mtu ${rg_mtu:-unknown}"',
    'echo "RGMTU nopmtudisc $(cat /proc/sys/net/ipv4/ip_no_pmtu_disc 2>/dev/null || echo unknown)"',
    `rg_ok() { ping -c 1 -W "$2" -s "$1" ${target} >/dev/null 2>&1; }`,
    'if rg_ok 56 2 || rg_ok 56 2; then echo "RGMTU small ok"; else echo "RGMTU small fail"; echo "RGMTU end"; exit 0; fi',
    'case "$rg_mtu" in ""|*[!0-9]*) echo "RGMTU end"; exit 0 ;; esac',
    `rg_big=$((rg_mtu - ${PING_HEADERS}))`,
    'if rg_ok "$rg_big" 2 || rg_ok "$rg_big" 2; then echo "RGMTU big $rg_big ok"; echo "RGMTU end"; exit 0; fi',
    'echo "RGMTU big $rg_big fail"',
    "rg_lo=56; rg_hi=$rg_big",
    'while [ $((rg_hi - rg_lo)) -gt 1 ]; do rg_mid=$(((rg_lo + rg_hi) / 2)); if rg_ok "$rg_mid" 1; then rg_lo=$rg_mid; else rg_hi=$rg_mid; fi; done',
    'echo "RGMTU largest $rg_lo"',
    'echo "RGMTU end"',
  ].join("\n");
}

/** Reads the helper's `RGMTU` lines; a run that did not reach `RGMTU end` carries `error`. */
export function parseMtuOutput(plan: MtuPlan, stdout: string): MtuObservation {
  const obs: MtuObservation = {
    plan,
    mtu: null,
    noPmtuDisc: null,
    smallOk: false,
    bigSize: null,
    bigOk: false,
    largestOk: null,
  };
  let ended = false;
  for (const line of stdout.split("\n")) {
    const [tag, key, a, b] = line.trim().split(/\s+/);
    if (tag !== "RGMTU") continue;
    const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);
    if (key === "mtu") obs.mtu = num(a);
    else if (key === "nopmtudisc") obs.noPmtuDisc = num(a);
    else if (key === "small") obs.smallOk = a === "ok";
    else if (key === "big") {
      obs.bigSize = num(a);
      obs.bigOk = b === "ok";
    } else if (key === "largest") obs.largestOk = num(a);
    else if (key === "end") ended = true;
  }
  if (!ended) obs.error = "the helper stopped before it finished";
  return obs;
}

/**
 * CS-8 when small pings cross and the overlay-sized DF ping does not: the underlay carries at most
 * largest + 28 + 50 bytes, short of the overlay MTU + 50 that VXLAN needs. Null when all is well or nothing
 * can be said (no small ping crossed: that is reachability, not MTU).
 */
export function mtuFinding(obs: MtuObservation): Finding | null {
  const { plan, mtu, bigSize, largestOk } = obs;
  if (obs.error || !obs.smallOk || obs.bigOk || mtu === null || bigSize === null) return null;
  const needed = mtu + VXLAN_OVERHEAD;
  const carried = largestOk === null ? null : largestOk + PING_HEADERS + VXLAN_OVERHEAD;
  const df =
    obs.noPmtuDisc === 0
      ? "with DF set (the kernel's default PMTU discovery: the ping fits the interface)"
      : `DF not known (ip_no_pmtu_disc is ${obs.noPmtuDisc ?? "unknown"})`;
  const between = `${plan.source.node} (${plan.source.name}) and ${plan.target.node} (${plan.target.name})`;
  return {
    rule: "CS-8",
    summary: `${plan.network.name}: the underlay between ${plan.source.node} and ${plan.target.node} carries ${carried === null ? "less than" : "at most"} ${carried ?? needed} bytes; VXLAN needs ${needed}`,
    network: plan.network,
    node: plan.source.node,
    evidence: [
      `${plan.source.name} on ${plan.source.node}: ${plan.network.name}'s interface has MTU ${mtu}`,
      `small pings to ${plan.target.name} (${plan.target.address}) on ${plan.target.node} pass; a ${bigSize}-byte ping ${df} gets no answer`,
      ...(largestOk !== null
        ? [`the largest ping that crossed: ${largestOk} bytes (${largestOk + PING_HEADERS}-byte packets)`]
        : []),
    ],
    fix: [
      `raise the MTU of the underlay between ${between} to at least ${needed}`,
      `or make the overlay smaller than the underlay allows: ${shellCommand("docker", "network", "create", "--driver", "overlay", "--opt", `com.docker.network.driver.mtu=${carried === null ? mtu - VXLAN_OVERHEAD : carried - VXLAN_OVERHEAD}`)} …, and move the services to it`,
    ],
  };
}
