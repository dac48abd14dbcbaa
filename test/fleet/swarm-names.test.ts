/**
 * The swarm names the model gives (SW-3 VIP, SW-4 dnsrr, SW-5 tasks.<svc>, SW-6 aliases, SW-7 task container
 * names) against what the embedded DNS answers in a task container on another node of the real swarm
 * (scripts/provision-swarm.sh: this engine is the manager, node2 and node3 workers). Only DNS answers: the
 * cross-node probes of every verdict are test/fleet's probe tests' (the helper "xprobe"); VIP traffic and the
 * routing mesh cannot be proved here (no IPVS, OV-7), only that the VIP is what the name answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { explainPair, indexTopology } from "../../server/model/reachability/index.ts";
import type { NameEntry } from "../../server/model/reachability/index.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { dockerAt } from "../support/docker-cli.ts";
import type { Fleet, FleetService } from "../support/fleet.ts";
import { FleetRun, requireFleet, waitFor } from "../support/fleet.ts";
import { SLEEP } from "../support/scenario.ts";

const SWARM_RULES = new Set(["SW-3", "SW-4", "SW-5", "SW-6", "SW-7"]);

const fleetOf = (urls: string[]) =>
  collectFleet(urls.map((url) => ({ client: createEngineClient(resolveEngine({ engine: url })) })));

/** The IPv4 answers busybox nslookup prints for a name (none for NXDOMAIN). */
async function lookup(url: string, container: string, name: string): Promise<string[]> {
  const out = await dockerAt(url, "exec", container, "nslookup", name).catch((e: Error) => e.message);
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
    (c) => c.state === "running" && (c.swarm?.service === names.vip || c.swarm?.service === names.rr),
  );
  for (const target of targets)
    for (const n of explainPair(index, asker.name, target.name).names) {
      if (!SWARM_RULES.has(n.rule) || n.network !== names.ovl) continue;
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

let fleet: Fleet;
let run: FleetRun;
const names = { vip: "", rr: "", ask: "", ovl: "" };
let full: Topology | Error;
let managerAlone: Topology | Error;
let vip = "";

beforeAll(async () => {
  fleet = await requireFleet();
  run = await FleetRun.create(fleet);
  const node2 = fleet.node("node2");
  const ovl = await run.manager.network("ovl", { driver: "overlay", attachable: true });
  names.ovl = ovl.name;
  const on = (host: string) => ({ onNodes: [host], command: SLEEP });
  const alias = (short: string) => [{ name: ovl.name, aliases: [`${run.prefix}${short}-alias`] }];
  const services: [FleetService, number, string][] = [
    [await run.service("vip", { networks: alias("vip"), ...on("node3") }), 1, "node3"],
    [
      await run.service("rr", { replicas: 2, endpointMode: "dnsrr", networks: alias("rr"), ...on("node3") }),
      2,
      "node3",
    ],
    [
      await run.service("ask", { endpointMode: "dnsrr", networks: [{ name: ovl.name }], ...on("node2") }),
      1,
      "node2",
    ],
  ];
  [names.vip, names.rr, names.ask] = services.map(([s]) => s.name);
  for (const [service, replicas, host] of services)
    await run.waitRunning(service, replicas, Array<string>(replicas).fill(host));
  const format = `{{range .Endpoint.VirtualIPs}}{{if eq .NetworkID "${ovl.id}"}}{{.Addr}}{{end}}{{end}}`;
  vip = (await fleet.manager.docker("service", "inspect", names.vip, "--format", format))
    .trim()
    .replace(/\/\d+$/, "");
  // A task's DNS records reach the other nodes' resolvers by gossip: wait until the asker sees all three.
  const asker = await waitFor(
    "the asker's container",
    async () => (await node2.docker("ps", "-q", "--filter", `name=${names.ask}.`)).trim() || undefined,
  );
  await waitFor("the tasks in the asker's DNS", async () =>
    (await lookup(node2.url, asker, `tasks.${names.rr}`)).length === 2 &&
    (await lookup(node2.url, asker, names.vip)).length === 1
      ? true
      : undefined,
  );
  // Each case fails on its own if its collection fails.
  const collect = (urls: string[]) =>
    fleetOf(urls).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  [full, managerAlone] = await Promise.all([
    collect(fleet.nodes.map((n) => n.url)),
    collect([fleet.manager.url]),
  ]);
}, 300_000);

afterAll(async () => {
  await run?.cleanup();
}, 180_000);

describe.each([
  ["every engine connected", () => full],
  ["the manager alone (SW-12: tasks on node2 and node3 from /tasks)", () => managerAlone],
])("swarm names from a task on node2 to tasks on node3, %s", (_, collected) => {
  const topology = (): Topology => {
    const t = collected();
    if (t instanceof Error) throw t;
    return t;
  };
  const asker = () =>
    topology().containers.find((c) => c.swarm?.service === names.ask && c.state === "running") as Container;

  it("gives every SW-3..SW-7 name the addresses nslookup answers in the asker", async () => {
    expect(asker().node).toBe("node2");
    const answers = modelNames(topology(), asker());
    // Every rule is exercised: the VIP, its alias, dnsrr and its alias, tasks.<svc>, tasks.<alias>, task names.
    const rules = new Set([...answers.values()].flatMap((n) => n.rules));
    expect([...rules].sort()).toEqual([...SWARM_RULES].sort());
    const node2 = fleet.node("node2");
    const id = (await node2.docker("ps", "-q", "--no-trunc", "--filter", `name=${names.ask}.`)).trim();
    const seen: Record<string, string[]> = {};
    const modelled: Record<string, string[]> = {};
    for (const [name, entry] of answers) {
      modelled[name] = entry.addresses;
      seen[name] = await lookup(node2.url, id, name);
    }
    expect(seen).toEqual(modelled);
  });

  it("answers the VIP for the VIP-mode name and its alias, marked as resting on IPVS (SW-3, SW-6)", () => {
    const answers = modelNames(topology(), asker());
    expect(answers.get(names.vip)).toEqual({ addresses: [vip], rules: ["SW-3"] });
    expect(answers.get(`${names.vip}-alias`)).toEqual({ addresses: [vip], rules: ["SW-6"] });
    const index = indexTopology(topology());
    const task = topology().containers.find((c) => c.swarm?.service === names.vip) as Container;
    const e = explainPair(index, asker().name, task.name);
    expect(e.names.filter((n) => n.address === vip).every((n) => n.caveat === "ipvs")).toBe(true);
    expect(e.caveats?.map((c) => c.rule)).toContain("SW-3");
    // The task's own overlay address is a direct path across nodes, no IPVS (SW-1).
    expect(e.verdict).toBe("reachable");
    expect(e.paths.map((p) => p.rule)).toContain("SW-1");
  });

  it("answers every dnsrr task for the dnsrr name and for tasks.<service> (SW-4, SW-5)", () => {
    const answers = modelNames(topology(), asker());
    const rr = answers.get(names.rr)?.addresses ?? [];
    expect(rr).toHaveLength(2);
    expect(answers.get(`tasks.${names.rr}`)?.addresses).toEqual(rr);
    expect(answers.get(`${names.rr}-alias`)?.addresses).toEqual(rr);
    expect(answers.get(`tasks.${names.rr}-alias`)?.addresses).toEqual(rr);
  });
});
