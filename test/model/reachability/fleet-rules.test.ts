/**
 * One row per cross-machine rule (SW-*, docs/rules.md), on the fleet recorded on the real three-node swarm by
 * `scripts/record-fleet.ts rules` (test/fixtures/fleet/rules.json and its manifest): the manager `vm` (a1 on
 * docker0, i1 on an internal bridge, one task of the dnsrr service db with a host-mode port), `node2` (b2
 * publishing a port on its docker0, h2 in its host namespace, the task of the VIP service web with an ingress
 * port and an alias) and `node3` (o3 on the overlay, db's other task). Rows with a `variant` change one
 * documented thing; the comment says why.
 */
import { describe, expect, test } from "vitest";
import { explainPair, formatExplanation, toJsonPair } from "../../../server/model/reachability/index.ts";
import type { PairExplanation, TopologyIndex, Verdict } from "../../../server/model/reachability/index.ts";
import type { FleetVariant } from "./fleet-fixture.ts";
import { fleet } from "./fleet-fixture.ts";
import { matrixMismatches, rulesOf } from "./fixture.ts";

const PREFIX = "rgt-swr-";

/** A container of the scenario by its role: a1, b2, web (the task), db@node3, ... */
function ref(index: TopologyIndex, role: string): string {
  if (role === "@host") return role;
  const [name, node] = role.split("@");
  const found = index.containers.find(
    (c) => (c.bareName ?? c.name).startsWith(`${PREFIX}${name}`) && (!node || c.node === node),
  );
  if (!found) throw new Error(`no ${role} in the recorded fleet`);
  return found.name;
}

interface Row {
  rule: string;
  from: string;
  to: string;
  verdict: Verdict;
  cites?: string[];
  variant?: FleetVariant;
  check?: (e: PairExplanation, index: TopologyIndex) => void;
}

const paths = (e: PairExplanation) =>
  e.paths.map(
    (p) => `${p.kind} ${p.network ?? "-"} ${p.address ?? "-"}${p.port ? `:${p.port}` : ""} ${p.rule}`,
  );
const names = (e: PairExplanation, rule: string) =>
  e.names
    .filter((n) => n.rule === rule)
    .map((n) => `${n.name} ${n.address}${n.caveat ? ` ${n.caveat}` : ""}`);
const caveats = (e: PairExplanation) => (e.caveats ?? []).map((c) => `${c.kind} ${c.rule}`);
const addressOf = (index: TopologyIndex, role: string, network = `${PREFIX}ovl`) =>
  index.containers.find((c) => c.name === ref(index, role))?.interfaces.find((i) => i.network === network)
    ?.ipv4;
const vipOf = (index: TopologyIndex, service: string) =>
  index.topology.swarm?.services
    .find((s) => s.name === `${PREFIX}${service}`)
    ?.virtualIps.find(
      (v) => v.networkId === index.topology.networks.find((n) => n.name === `${PREFIX}ovl`)?.id,
    )
    ?.addr.replace(/\/\d+$/, "");
const bindingOf = (index: TopologyIndex, role: string) =>
  index.containers.find((c) => c.name === ref(index, role))?.ports.find((p) => p.publicPort)?.publicPort;
const portOf = (index: TopologyIndex, service: string) =>
  index.topology.swarm?.services.find((s) => s.name === `${PREFIX}${service}`)?.ports[0]?.publishedPort;

// The manager's engine alone: every task elsewhere is known only from its /tasks (SW-12).
const managerAlone: FleetVariant = { engines: (key) => key === "vm" };
// Machines that are not nodes of one swarm: the same engines without the manager's swarm data (SW-10).
const noSwarm: FleetVariant = { topology: (t) => void delete t.swarm };
// b2 without its binding: PP-11, the effective Ports are what is published.
const unpublished: FleetVariant = {
  topology: (t) => void (t.containers.find((c) => c.name === `${PREFIX}b2`)!.ports = []),
};

const rows: Row[] = [
  {
    rule: "SW-1",
    from: "o3",
    to: "web",
    verdict: "reachable",
    check: (e, i) => expect(paths(e)).toEqual([`direct ${PREFIX}ovl ${addressOf(i, "web")} SW-1`]),
  },
  {
    rule: "SW-1",
    from: "web",
    to: "o3",
    verdict: "reachable",
    check: (e, i) => expect(paths(e)).toEqual([`direct ${PREFIX}ovl ${addressOf(i, "o3")} SW-1`]),
  },
  // Same node, same overlay: the single-engine rule, unchanged.
  { rule: "OV-1", from: "o3", to: "db@node3", verdict: "reachable" },
  {
    rule: "SW-2",
    from: "a1",
    to: "b2",
    verdict: "reachable",
    cites: ["SW-2", "SW-10"],
    check: (e) => expect(e.paths.every((p) => p.kind === "published")).toBe(true),
  },
  {
    rule: "SW-2",
    from: "a1",
    to: "b2",
    verdict: "blocked",
    variant: unpublished,
    check: (e) => {
      expect(e.paths).toEqual([]);
      expect(e.fix?.rule).toBe("SW-2");
      // SW-1: an overlay made on the manager, each end connected from its own engine (a recording knows no
      // engine address, so the text says which runs where).
      expect(e.fix?.commands).toEqual([
        "docker network create -d overlay --attachable rgt-swr-a1-rgt-swr-b2",
        "docker network connect rgt-swr-a1-rgt-swr-b2 rgt-swr-a1",
        "docker network connect rgt-swr-a1-rgt-swr-b2 rgt-swr-b2",
      ]);
      expect(e.fix?.text).toContain("run command 1 and 2 on vm's engine, 3 on node2's engine");
    },
  },
  {
    rule: "SW-2",
    from: "b2",
    to: "a1",
    verdict: "blocked",
    check: (e) => expect(e.reasons.map((r) => r.rule)).not.toContain("DB-1"),
  },
  {
    rule: "SW-3",
    from: "o3",
    to: "web",
    verdict: "reachable",
    check: (e, i) => {
      expect(names(e, "SW-3")).toEqual([`${PREFIX}web ${vipOf(i, "web")} ipvs`]);
      expect(caveats(e)).toContain("ipvs SW-3");
    },
  },
  {
    rule: "SW-4",
    from: "web",
    to: "db@node3",
    verdict: "reachable",
    check: (e, i) => expect(names(e, "SW-4")).toEqual([`${PREFIX}db ${addressOf(i, "db@node3")}`]),
  },
  {
    rule: "SW-5",
    from: "web",
    to: "db@node3",
    verdict: "reachable",
    check: (e, i) => expect(names(e, "SW-5")).toEqual([`tasks.${PREFIX}db ${addressOf(i, "db@node3")}`]),
  },
  {
    rule: "SW-5",
    from: "o3",
    to: "web",
    verdict: "reachable",
    check: (e, i) =>
      expect(names(e, "SW-5")).toEqual([
        `tasks.${PREFIX}web ${addressOf(i, "web")}`,
        `tasks.${PREFIX}web-alias ${addressOf(i, "web")}`,
      ]),
  },
  {
    rule: "SW-6",
    from: "o3",
    to: "web",
    verdict: "reachable",
    check: (e, i) => expect(names(e, "SW-6")).toEqual([`${PREFIX}web-alias ${vipOf(i, "web")} ipvs`]),
  },
  {
    rule: "SW-7",
    from: "o3",
    to: "web",
    verdict: "reachable",
    check: (e, i) => expect(names(e, "SW-7")).toEqual([`${ref(i, "web")} ${addressOf(i, "web")}`]),
  },
  {
    rule: "SW-8",
    from: "a1",
    to: "web",
    verdict: "reachable",
    cites: ["SW-8", "SW-2"],
    check: (e, i) => {
      expect(paths(e)).toEqual([`published - 172.17.0.1:${portOf(i, "web")} SW-8`]);
      expect(e.paths[0].caveat).toBe("ipvs");
      expect(e.ports[0].routes.map((r) => r.caveat)).toEqual(["ipvs"]);
      expect(e.caveats?.[0].text).toMatch(/^the verdict rests on IPVS/);
    },
  },
  {
    rule: "SW-8",
    from: "@host",
    to: "web",
    verdict: "reachable",
    check: (e, i) => expect(paths(e)).toEqual([`published - 127.0.0.1:${portOf(i, "web")} SW-8`]),
  },
  { rule: "SW-8", from: "i1", to: "web", verdict: "blocked", cites: ["SW-8", "INT-4"] },
  {
    rule: "SW-9",
    from: "a1",
    to: "db@node3",
    verdict: "reachable",
    cites: ["SW-9", "SW-10"],
    check: (e, i) => {
      expect(paths(e)).toContain(`published - 10.232.0.3:${portOf(i, "db")} SW-10`);
      expect(e.paths.map((p) => p.rule)).not.toContain("SW-8");
    },
  },
  {
    rule: "SW-9",
    from: "o3",
    to: "db@node3",
    verdict: "reachable",
    check: (e, i) =>
      expect(e.ports.flatMap((p) => p.routes.map((r) => `${r.kind} ${r.port} ${r.rule}`))).toContain(
        `published ${portOf(i, "db")} OV-8`,
      ),
  },
  {
    rule: "SW-10",
    from: "a1",
    to: "h2",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["host - 10.232.0.2 SW-10"]),
  },
  { rule: "SW-10", from: "i1", to: "b2", verdict: "blocked", cites: ["SW-10", "INT-6"] },
  { rule: "SW-10", from: "i1", to: "h2", verdict: "blocked", cites: ["INT-6"] },
  { rule: "SW-10", from: "a1", to: "b2", verdict: "unknown", variant: noSwarm },
  {
    rule: "SW-11",
    from: "@host",
    to: "a1",
    verdict: "reachable",
    cites: ["SW-11", "HC-1"],
    check: (e, i) => expect(paths(e)).toEqual([`direct bridge ${addressOf(i, "a1", "bridge")} HC-1`]),
  },
  {
    rule: "SW-11",
    from: "@host",
    to: "b2",
    verdict: "reachable",
    cites: ["SW-11", "SW-2", "SW-10"],
    check: (e, i) => expect(paths(e)).toContain(`published - 10.232.0.2:${bindingOf(i, "b2")} SW-10`),
  },
  {
    rule: "SW-11",
    from: "b2",
    to: "@host",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["host - 10.232.0.1 SW-10"]),
  },
  {
    rule: "SW-11",
    from: "h2",
    to: "@host",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["host - 10.232.0.1 SW-10"]),
  },
  {
    rule: "SW-12",
    from: "a1",
    to: "db@node3",
    verdict: "reachable",
    cites: ["SW-12", "SW-9", "SW-10"],
    variant: managerAlone,
    check: (e, i) => {
      expect(caveats(e)).toEqual(["manager-view SW-12"]);
      // The service's host-mode port on the task's node (SW-9): no engine reported the task's bindings.
      expect(paths(e)).toEqual([`published - 10.232.0.3:${portOf(i, "db")} SW-10`]);
    },
  },
  {
    rule: "SW-12",
    from: "a1",
    to: "web",
    verdict: "reachable",
    cites: ["SW-8", "SW-12"],
    variant: managerAlone,
    check: (e) => expect(caveats(e)).toEqual(["ipvs SW-8", "manager-view SW-12"]),
  },
  // A standalone container of an unconnected engine is not in the topology at all; its tasks are.
  {
    rule: "SW-12",
    from: "db@node3",
    to: "web",
    verdict: "reachable",
    cites: ["SW-1", "SW-3", "SW-5", "SW-7", "SW-12"],
    variant: managerAlone,
    check: (e, i) => expect(names(e, "SW-3")).toEqual([`${PREFIX}web ${vipOf(i, "web")} ipvs`]),
  },
];

describe("cross-machine rules on the recorded three-node fleet (docs/rules.md SW-*)", () => {
  test.each(
    rows.map(
      (r) => [`${r.rule}: ${r.from} -> ${r.to} is ${r.verdict}${r.variant ? " (variant)" : ""}`, r] as const,
    ),
  )("%s", (_, row) => {
    const index = fleet("rules", row.variant);
    const e = explainPair(index, ref(index, row.from), ref(index, row.to));
    expect(e.verdict).toBe(row.verdict);
    const cited = rulesOf(e);
    for (const rule of row.cites ?? [row.rule]) expect([...cited]).toContain(rule);
    row.check?.(e, index);
  });

  test("SW-2: each machine's bridge is its own network; the index never merges them", () => {
    const index = fleet("rules");
    const bridges = index.topology.networks.filter((n) => n.name === "bridge");
    // node3's bridge has no container of the scenario, so it was not recorded.
    expect(bridges.map((n) => n.node).sort()).toEqual(["node2", "vm"]);
    expect(new Set(bridges.map((n) => n.id)).size).toBe(2);
    const a1 = index.byRef.get(ref(index, "a1"))!;
    const b2 = index.byRef.get(ref(index, "b2"))!;
    const membersOf = (i: number) =>
      index.topology.containers[i].interfaces.map((f) => index.members.get(f.networkId) ?? []);
    expect(membersOf(a1).flat()).not.toContain(b2);
    expect(membersOf(b2).flat()).not.toContain(a1);
    // SW-1: the overlay is one network with one ID, whose members are on three nodes.
    const overlay = index.topology.networks.filter((n) => n.name === `${PREFIX}ovl`);
    expect(overlay).toHaveLength(1);
    const nodes = (index.members.get(overlay[0].id) ?? []).map((o) => index.containers[o].node);
    expect(new Set(nodes)).toEqual(new Set(["vm", "node2", "node3"]));
  });

  test("SW-11: a single engine's @host keeps its meaning; a fleet's is the first engine's machine", () => {
    expect(fleet("rules").machines.host).toBe("vm");
    expect(fleet("rules", { engines: (k) => k === "node2" }).machines.host).toBe("node2");
  });
});

describe("the shared fleet recordings (scripts/record-fleet.ts swarm, down)", () => {
  test("SW-2: two user networks of one name on two machines stay two networks; their members do not meet", () => {
    const index = fleet("swarm");
    const locals = index.topology.networks.filter((n) => n.name === "rgt-fleet-local");
    expect(locals.map((n) => n.node).sort()).toEqual(["node2", "vm"]);
    const [a, b] = ["rgt-fleet-twin@vm", "rgt-fleet-twin@node2"];
    const e = explainPair(index, a, b);
    expect(e.verdict).toBe("blocked");
    expect(rulesOf(e)).toContain("SW-2");
    // Keyed by name, the two would share rgt-fleet-local (UB-1) and resolve each other's name (UB-2).
    expect(e.names).toEqual([]);
    expect(rulesOf(e)).not.toContain("UB-1");
  });

  test("SW-12: a task on a node the manager reports down is unknown, with the manager's view as caveat", () => {
    const index = fleet("down");
    const gone = index.containers.find((c) => c.node !== "vm")!;
    const here = index.containers.find((c) => c.node === "vm")!;
    expect(index.topology.swarm?.nodes.find((n) => n.hostname === gone.node)?.state).toBe("down");
    for (const [from, to] of [
      [here.name, gone.name],
      [gone.name, here.name],
    ]) {
      const e = explainPair(index, from, to);
      expect(e.verdict).toBe("unknown");
      expect(e.reasons.map((r) => r.rule)).toContain("SW-12");
      expect(caveats(e)).toEqual(["manager-view SW-12"]);
    }
    expect(matrixMismatches(index).mismatches).toEqual([]);
  });
});

describe("fixes across machines", () => {
  test("a stopped swarm task is not started by hand: the fix points at the service's tasks", () => {
    // The task's container as its engine reports one that exited (§5: no endpoint, no address).
    const index = fleet("rules", {
      topology: (t) => {
        const task = t.containers.find((c) => c.swarm?.service === `${PREFIX}web`)!;
        task.state = "exited";
        for (const f of task.interfaces) Object.assign(f, { ipv4: null, endpointId: null });
      },
    });
    const e = explainPair(index, ref(index, "o3"), ref(index, "web"));
    expect(e.verdict).toBe("blocked");
    expect(e.fix?.commands).toEqual([]);
    expect(e.fix?.text).toContain(`docker service ps --no-trunc ${PREFIX}web`);
    expect(e.fix?.text).not.toContain("docker start");
  });
});

describe("computeReachability on fleets", () => {
  test.each([
    ["recorded", {}],
    ["manager alone", managerAlone],
    ["not one swarm", noSwarm],
    ["b2 unpublished", unpublished],
    ["userland-proxy off", { config: { userlandProxy: false } }],
  ] as [string, FleetVariant][])("agrees with explainPair on every pair: %s", (_, variant) => {
    expect(matrixMismatches(fleet("rules", variant)).mismatches).toEqual([]);
  });
});

describe("caveats where the CLI and the JSON show them", () => {
  test("why prints each caveat, and the paths and names resting on IPVS; matrix --json carries them", () => {
    const index = fleet("rules");
    const e = explainPair(index, ref(index, "a1"), ref(index, "web"));
    const text = formatExplanation(e);
    expect(text).toMatch(/^Caveat \(ipvs\): the verdict rests on IPVS: .* \[SW-8\]$/m);
    expect(text).toMatch(/^ {2}published: 172\.17\.0\.1:\d+ -> 80\/tcp \(rests on IPVS\) \[SW-8\]$/m);
    const named = formatExplanation(explainPair(index, ref(index, "o3"), ref(index, "web")));
    expect(named).toMatch(new RegExp(`${PREFIX}web \\(SW-3, [\\d.]+, rests on IPVS\\)`));
    expect(toJsonPair(e).caveats).toEqual(e.caveats);
    // Nothing rests on IPVS or on the manager's view: no caveats key at all (the JSON stays as it was).
    const plain = explainPair(index, ref(index, "o3"), ref(index, "db@node3"));
    expect(plain.caveats).toBeUndefined();
    expect(Object.keys(toJsonPair(plain))).not.toContain("caveats");
  });
});
