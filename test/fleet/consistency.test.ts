import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { createProbeEngine } from "../../server/engine/probe-client.ts";
import type { Finding } from "../../server/model/fleet/consistency.ts";
import { consistencyFindings } from "../../server/model/fleet/consistency.ts";
import { mtuFinding, planMtuChecks } from "../../server/model/fleet/mtu.ts";
import type { Topology } from "../../server/model/topology.ts";
import { runMtuChecks } from "../../server/probe/mtu.ts";
import { ProbeImageError } from "../../server/probe/run-probes.ts";
import { loadSigner } from "../../server/probe/ownership.ts";
import { cutNode, inNode } from "../support/node-cut.ts";
import type { Fleet, FleetService, OwnNode } from "../support/fleet.ts";
import { FleetRun, ownNode, requireFleet, waitFor, waitNodeState } from "../support/fleet.ts";
import type { ScenarioNetwork } from "../support/scenario.ts";
import { SLEEP } from "../support/scenario.ts";

/**
 * The consistency findings (CS-1..CS-8) provoked for real on the test's own worker node (never node2/node3):
 * silent on the healthy swarm; its control port cut (CS-1 stale peer, CS-3, CS-4 stale backend); its gossip
 * cut (CS-2 missing peer); its underlay MTU lowered (CS-8); a bridge with an overlay's subnet (CS-7).
 */

let fleet: Fleet;
let own: OwnNode;
let fleetRun: FleetRun;
let overlay: ScenarioNetwork;
let spare: ScenarioNetwork;
let service: FleetService;

async function read(): Promise<Topology> {
  return collectFleet(
    [fleet.manager.url, own.url].map((url) => ({
      client: createEngineClient(resolveEngine({ engine: url })),
    })),
  );
}

/** The findings about this test's own networks (others' tests build and break their own beside it). */
async function findings(): Promise<{ topology: Topology; findings: Finding[] }> {
  const topology = await read();
  const ours = new Set([overlay.id, spare.id]);
  return { topology, findings: consistencyFindings(topology).filter((f) => ours.has(f.network.id)) };
}

const describeAll = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.summary}`).join("; ") || "none";

/** Waits until the findings satisfy `ok` (gossip converges in seconds, not at once); bounded. */
function findingsWhere(what: string, ok: (fs: Finding[]) => boolean): Promise<Finding[]> {
  let last: Finding[] = [];
  return waitFor(
    what,
    async () => {
      last = (await findings()).findings;
      return ok(last) ? last : undefined;
    },
    { timeoutMs: 90_000, describe: async () => describeAll(last) },
  );
}

beforeAll(async () => {
  fleet = await requireFleet();
  own = await ownNode(`cs${randomBytes(2).toString("hex")}`);
  fleetRun = await FleetRun.create(fleet);
  overlay = await fleetRun.manager.network("ovl", { driver: "overlay", attachable: true });
  spare = await fleetRun.manager.network("spare", { driver: "overlay", attachable: true });
  await fleetRun.manager.container("a", { network: overlay.name, command: SLEEP });
  const onOwn = await fleetRun.on(own);
  await onOwn.container("b", { network: overlay.name, command: SLEEP });
  service = await fleetRun.service("svc", {
    networks: [{ name: overlay.name }],
    onNodes: [own.hostname],
    command: SLEEP,
  });
  await fleetRun.waitRunning(service, 1, [own.hostname]);
}, 400_000);

afterAll(async () => {
  const failures: unknown[] = [];
  if (own) {
    await cutNode(own, "control", "heal");
    await cutNode(own, "gossip", "heal");
    await fleetRun?.cleanup().catch((error: unknown) => failures.push(error));
    await own.remove().catch((error: unknown) => failures.push(error));
  } else await fleetRun?.cleanup().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, "consistency test cleanup failed");
}, 400_000);

describe("consistency findings on the real swarm", () => {
  it("are silent on the healthy swarm, once every view has both nodes", async () => {
    const found = await findingsWhere("no findings about the test's networks", (fs) => fs.length === 0);
    expect(found).toEqual([]);
    const { topology } = await findings();
    const views = topology.networks.find((n) => n.id === overlay.id)?.views ?? [];
    expect(views.map((v) => v.node).sort()).toEqual([fleet.manager.hostname, own.hostname].sort());
    for (const v of views)
      expect(v.peers.map((p) => p.ip).sort()).toEqual([fleet.manager.address, own.address].sort());
  });

  it("fire on a stale peer, a stale backend and a node down for the manager when its control port is cut (CS-1, CS-3, CS-4)", async () => {
    try {
      await cutNode(own, "control", "cut");
      await waitNodeState(own.nodeId, "down");
      // Gossip still flows: every view keeps the node the manager now calls down.
      const found = await findingsWhere("CS-1 and CS-3 for the cut node", (fs) =>
        ["CS-1", "CS-3"].every((r) => fs.some((f) => f.rule === r)),
      );
      const stale = found.find((f) => f.rule === "CS-1" && f.node === fleet.manager.hostname);
      expect(stale?.summary).toContain(own.address);
      expect(stale?.evidence.join("\n")).toContain(`reports ${own.hostname} (${own.address}) down`);
      expect(found.find((f) => f.rule === "CS-3")?.node).toBe(own.hostname);
      const backend = found.find((f) => f.rule === "CS-4" && f.node === fleet.manager.hostname);
      expect(backend?.summary ?? describeAll(found)).toContain(service.name);
    } finally {
      await cutNode(own, "control", "heal");
    }
    await waitNodeState(own.nodeId, "ready");
    await findingsWhere("silence after the control port is restored", (fs) => fs.length === 0);
  });

  it("fire on a missing peer when the node's gossip port is cut while the manager keeps it ready (CS-2)", async () => {
    try {
      await cutNode(own, "gossip", "cut");
      const found = await findingsWhere("CS-2 in the manager's view", (fs) =>
        fs.some((f) => f.rule === "CS-2" && f.node === fleet.manager.hostname),
      );
      const missing = found.find((f) => f.rule === "CS-2" && f.node === fleet.manager.hostname);
      expect(missing?.summary).toContain(`${own.hostname} (${own.address})`);
      expect(missing?.fix.join("\n")).toContain("7946/tcp");
      expect(found.some((f) => f.rule === "CS-3")).toBe(false);
    } finally {
      await cutNode(own, "gossip", "heal");
    }
    await findingsWhere("silence after gossip is restored", (fs) => fs.length === 0);
  });

  it("names the underlay MTU when the node's eth0 is lowered below the overlay's MTU + 50 (CS-8)", async () => {
    const probes = createProbeEngine(resolveEngine({ engine: fleet.manager.url }));
    const check = async () => {
      const { topology } = await findings();
      const plans = planMtuChecks(topology, [overlay.id]).filter(
        (p) => p.source.node === fleet.manager.hostname && p.target.node === own.hostname,
      );
      expect(plans.length).toBe(1);
      return (
        await runMtuChecks(() => probes, plans, { signer: loadSigner(), runId: fleetRun.manager.runId })
      )[0];
    };
    const { topology } = await findings();
    await expect(
      runMtuChecks(() => probes, planMtuChecks(topology, [overlay.id]), {
        image: "rgt-no-such-image:latest",
      }),
    ).rejects.toThrow(ProbeImageError);
    const healthy = await check();
    expect(healthy.error).toBeUndefined();
    expect([healthy.mtu, healthy.noPmtuDisc, healthy.smallOk, healthy.bigOk]).toEqual([1450, 0, true, true]);
    expect(mtuFinding(healthy)).toBeNull();
    try {
      // The node's side only: lowering the host's veth would lower the shared node bridge for every node.
      await inNode(own, "ip", "link", "set", "eth0", "mtu", "1400");
      const lowered = await check();
      expect([lowered.smallOk, lowered.bigSize, lowered.bigOk]).toEqual([true, 1422, false]);
      // 1400 − 78 = 1322; a veth admits a frame 4 bytes over its MTU (room for a VLAN tag): 1326 crosses too.
      expect(lowered.largestOk).toBeGreaterThanOrEqual(1322);
      expect(lowered.largestOk).toBeLessThanOrEqual(1326);
      const finding = mtuFinding(lowered);
      expect(finding?.rule).toBe("CS-8");
      expect(finding?.summary).toContain(
        `carries at most ${(lowered.largestOk ?? 0) + 78} bytes; VXLAN needs 1500`,
      );
    } finally {
      await inNode(own, "ip", "link", "set", "eth0", "mtu", "1500");
    }
  });

  it("fire on a local bridge of the node that holds an overlay's subnet (CS-7)", async () => {
    const bridge = fleetRun.manager.name("clash");
    await own.docker("network", "create", "--subnet", spare.subnet, bridge);
    try {
      const found = await findingsWhere("CS-7 for the clashing bridge", (fs) =>
        fs.some((f) => f.rule === "CS-7"),
      );
      const clash = found.find((f) => f.rule === "CS-7");
      expect(clash?.node).toBe(own.hostname);
      expect(clash?.network.id).toBe(spare.id);
      expect(clash?.summary).toContain(`${bridge} on ${own.hostname} (${spare.subnet})`);
    } finally {
      await own.docker("network", "rm", bridge);
    }
    await findingsWhere("silence once the bridge is gone", (fs) => fs.length === 0);
  });
});
