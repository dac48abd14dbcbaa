/**
 * The swarm names the model gives (SW-3 VIP, SW-4 dnsrr, SW-5 tasks.<svc>, SW-6 aliases, SW-7 task container
 * names) against what the embedded DNS answers in a task container on another node of the real swarm
 * (scripts/provision-swarm.sh: this engine is the manager, node2 and node3 workers). Only DNS answers: the
 * cross-node probes of every verdict are test/fleet's probe tests' (the helper "xprobe"); VIP traffic and the
 * routing mesh cannot be proved here (no IPVS, OV-7), only that the VIP is what the name answers.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { explainPair, indexTopology } from "../../server/model/reachability/index.ts";
import type { NameEntry } from "../../server/model/reachability/index.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { run } from "../support/docker-cli.ts";
import { ENGINE_URL, requireEngine } from "../support/engine.ts";
import { TEST_IMAGE, TEST_PREFIX } from "../support/scenario.ts";
import { pickSubnet, usedSubnets } from "../support/subnets.ts";

const NODE2 = "unix:///run/docker-node2.sock";
const NODE3 = "unix:///run/docker-node3.sock";
const URLS = [ENGINE_URL, NODE2, NODE3];
const prefix = `${TEST_PREFIX}swn${randomBytes(3).toString("hex")}-`;
const OVERLAY = `${prefix}ovl`;
const VIP = `${prefix}vip`;
const RR = `${prefix}rr`;
const ASK = `${prefix}ask`;
const SWARM_RULES = new Set(["SW-3", "SW-4", "SW-5", "SW-6", "SW-7"]);

const cli = (url: string, ...args: string[]) => run("/usr/bin/docker", ["--host", url, ...args]);
const fleet = (urls: string[]) =>
  collectFleet(urls.map((url) => ({ client: createEngineClient(resolveEngine({ engine: url })) })));

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `service create` on a pinned node; tasks there take 20-30 s in Preparing before they run. */
async function service(name: string, node: string, replicas: number, ...extra: string[]): Promise<void> {
  await cli(
    ENGINE_URL,
    ...["service", "create", "--detach", "--name", name, "--replicas", String(replicas)],
    ...["--constraint", `node.hostname==${node}`, ...extra, TEST_IMAGE, "sleep", "3600"],
  );
}

async function running(name: string): Promise<number> {
  const states = await cli(
    ENGINE_URL,
    ...["service", "ps", name, "--filter", "desired-state=running", "--format", "{{.CurrentState}}"],
  );
  return states.split("\n").filter((s) => s.startsWith("Running")).length;
}

/** The IPv4 answers busybox nslookup prints for a name (none for NXDOMAIN). */
async function lookup(url: string, container: string, name: string): Promise<string[]> {
  const out = await cli(url, "exec", container, "nslookup", name).catch((e: Error) => e.message);
  const answer = out
    .split(/^Name:/m)
    .slice(1)
    .join("\n");
  return [...new Set(answer.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [])].sort();
}

/** The model's answer per swarm name, asked from `asker`: every target's entries, merged per name. */
function modelNames(
  topology: Topology,
  asker: Container,
): Map<string, { addresses: string[]; rules: string[] }> {
  const index = indexTopology(topology);
  const out = new Map<string, { addresses: Set<string>; rules: Set<string>; entries: NameEntry[] }>();
  const targets = topology.containers.filter(
    (c) => c.state === "running" && (c.swarm?.service === VIP || c.swarm?.service === RR),
  );
  for (const target of targets)
    for (const n of explainPair(index, asker.name, target.name).names) {
      if (!SWARM_RULES.has(n.rule) || n.network !== OVERLAY) continue;
      const entry = out.get(n.name) ?? { addresses: new Set(), rules: new Set(), entries: [] };
      if (n.address) entry.addresses.add(n.address);
      entry.rules.add(n.rule);
      entry.entries.push(n);
      out.set(n.name, entry);
    }
  return new Map(
    [...out].map(([name, e]) => [name, { addresses: [...e.addresses].sort(), rules: [...e.rules].sort() }]),
  );
}

let full: Topology | Error;
let managerAlone: Topology | Error;
let vip = "";

beforeAll(async () => {
  await requireEngine();
  const subnet = pickSubnet(await usedSubnets());
  await cli(
    ENGINE_URL,
    "network",
    "create",
    "--driver",
    "overlay",
    "--attachable",
    "--subnet",
    subnet,
    OVERLAY,
  );
  await Promise.all([
    service(VIP, "node3", 1, "--network", `name=${OVERLAY},alias=${VIP}-alias`),
    service(RR, "node3", 2, "--endpoint-mode", "dnsrr", "--network", `name=${OVERLAY},alias=${RR}-alias`),
    service(ASK, "node2", 1, "--endpoint-mode", "dnsrr", "--network", OVERLAY),
  ]);
  await until("every task running", async () =>
    (await running(VIP)) === 1 && (await running(RR)) === 2 && (await running(ASK)) === 1 ? true : undefined,
  );
  vip = (
    await cli(
      ENGINE_URL,
      "service",
      "inspect",
      VIP,
      "--format",
      "{{range .Endpoint.VirtualIPs}}{{.Addr}} {{end}}",
    )
  )
    .trim()
    .split(/\s+/)
    .map((a) => a.replace(/\/\d+$/, ""))
    .filter((a) => a.startsWith(subnet.split(".").slice(0, 3).join(".")))[0];
  // A task's DNS records reach the other nodes' resolvers by gossip; wait until the asker sees all three.
  const asker = await until(
    "the asker's container",
    async () => (await cli(NODE2, "ps", "-q", "--filter", `name=${ASK}.`)).trim() || undefined,
  );
  await until("the tasks in the asker's DNS", async () =>
    (await lookup(NODE2, asker, `tasks.${RR}`)).length === 2 && (await lookup(NODE2, asker, VIP)).length === 1
      ? true
      : undefined,
  );
  // Each case fails on its own if its collection fails.
  const collect = (urls: string[]) =>
    fleet(urls).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  [full, managerAlone] = await Promise.all([collect(URLS), collect([ENGINE_URL])]);
}, 300_000);

afterAll(async () => {
  await cli(ENGINE_URL, "service", "rm", VIP, RR, ASK).catch(() => undefined);
  await until(
    "the overlay removed",
    async () => {
      await cli(ENGINE_URL, "network", "rm", OVERLAY).catch(async (error: Error) => {
        if (!/No such network|not found/i.test(error.message)) throw error;
      });
      return true;
    },
    90_000,
  ).catch(() => undefined);
}, 150_000);

describe.each([
  ["every engine connected", () => full],
  ["the manager alone (SW-12: tasks on node2 and node3 from /tasks)", () => managerAlone],
])("swarm names from a task on node2 to tasks on node3, %s", (_, collected) => {
  const topology = (): Topology => {
    const t = collected();
    if (t instanceof Error) throw t;
    return t;
  };
  const asker = () => topology().containers.find((c) => c.swarm?.service === ASK && c.state === "running");
  const askerId = async () => (await cli(NODE2, "ps", "-q", "--no-trunc", "--filter", `name=${ASK}.`)).trim();

  it("gives every SW-3..SW-7 name the addresses nslookup answers in the asker", async () => {
    const from = asker() as Container;
    expect(from.node).toBe("node2");
    const names = modelNames(topology(), from);
    // Every rule is exercised: the VIP, its alias, dnsrr and its alias, tasks.<svc>, tasks.<alias>, task names.
    const rules = new Set([...names.values()].flatMap((n) => n.rules));
    expect([...rules].sort()).toEqual([...SWARM_RULES].sort());
    const id = await askerId();
    const seen: Record<string, string[]> = {};
    const modelled: Record<string, string[]> = {};
    for (const [name, entry] of names) {
      modelled[name] = entry.addresses;
      seen[name] = await lookup(NODE2, id, name);
    }
    expect(seen).toEqual(modelled);
  });

  it("answers the VIP for the VIP-mode name and its alias, marked as resting on IPVS (SW-3, SW-6)", () => {
    const names = modelNames(topology(), asker() as Container);
    expect(names.get(VIP)).toEqual({ addresses: [vip], rules: ["SW-3"] });
    expect(names.get(`${VIP}-alias`)).toEqual({ addresses: [vip], rules: ["SW-6"] });
    const index = indexTopology(topology());
    const task = topology().containers.find((c) => c.swarm?.service === VIP) as Container;
    const e = explainPair(index, (asker() as Container).name, task.name);
    expect(e.names.filter((n) => n.address === vip).every((n) => n.caveat === "ipvs")).toBe(true);
    expect(e.caveats?.map((c) => c.rule)).toContain("SW-3");
    // The task's own overlay address is a direct path across nodes, no IPVS (SW-1).
    expect(e.verdict).toBe("reachable");
    expect(e.paths.map((p) => p.rule)).toContain("SW-1");
  });

  it("answers every dnsrr task for the dnsrr name and for tasks.<service> (SW-4, SW-5)", () => {
    const names = modelNames(topology(), asker() as Container);
    const rr = names.get(RR)?.addresses ?? [];
    expect(rr).toHaveLength(2);
    expect(names.get(`tasks.${RR}`)?.addresses).toEqual(rr);
    expect(names.get(`${RR}-alias`)?.addresses).toEqual(rr);
    expect(names.get(`tasks.${RR}-alias`)?.addresses).toEqual(rr);
  });
});
