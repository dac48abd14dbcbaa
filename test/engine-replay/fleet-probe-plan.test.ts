import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { createProbeEngine } from "../../server/engine/probe-client.ts";
import { PROBE_HOST } from "../../server/model/probe-types.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { loadSigner } from "../../server/probe/ownership.ts";
import { planProbes } from "../../server/probe/plan.ts";
import { runProbes } from "../../server/probe/run-probes.ts";
import { loadFleetRecording } from "../support/recording.ts";
import type { FleetReplay } from "../support/replay-engine.ts";
import { startFleetReplay } from "../support/replay-engine.ts";

/** Probe plans across the recorded three-node swarm, its engines read through dockerode from replay engines. */
const swarm = loadFleetRecording("swarm");

describe("probes planned across the nodes of the recorded swarm", () => {
  let replay: FleetReplay;
  let all: Topology;
  let managerOnly: Topology;
  const state = mkdtempSync(join(tmpdir(), "reachgraph-fleet-plan-"));
  const collect = (keys: string[]) =>
    collectFleet(
      keys.map((key) => ({ client: createEngineClient(resolveEngine({ engine: replay.engine(key).url })) })),
    );
  const byId = (t: Topology, id: string) => t.containers.find((c) => c.id === id) as Container;
  const ofManifest = (key: string) => byId(all, swarm.manifest.containers[key].id);

  beforeAll(async () => {
    replay = await startFleetReplay(swarm.recording);
    [all, managerOnly] = await Promise.all([collect(["vm", "node2", "node3"]), collect(["vm"])]);
  });
  afterAll(async () => {
    await replay.close();
    rmSync(state, { recursive: true, force: true });
  });

  it("runs each source's helper on the engine that reported it, and @host's on the first engine", () => {
    const plans = planProbes(all);
    expect(plans).toHaveLength(all.containers.length + 1);
    for (const plan of plans) {
      const c = plan.source.id === PROBE_HOST ? null : byId(all, plan.source.id);
      expect([plan.engine, plan.node], plan.source.name).toEqual(
        c ? [c.engine, c.node] : [all.engines[0].key, all.engines[0].key],
      );
    }
  });

  it("never dials an address of another node's local network: same-named bridges are two networks", () => {
    const networks = new Map(all.networks.map((n) => [n.id, n]));
    const skippedLocal: string[] = [];
    for (const plan of planProbes(all)) {
      for (const pair of plan.pairs) {
        const target = pair.to.id === PROBE_HOST ? null : byId(all, pair.to.id);
        for (const { check, role } of pair.checks.filter((c) => c.role === "direct")) {
          const address = plan.checks[check].address;
          const via = target?.interfaces.find((i) => i.ipv4 === address);
          const network = via && networks.get(via.networkId);
          expect(network, `${plan.source.name} -> ${pair.to.name} ${address} (${role})`).toBeDefined();
          if (network?.scope !== "swarm") expect(network?.node, plan.source.name).toBe(plan.node);
        }
        for (const s of pair.skipped)
          if (s.reason.includes("is local to node"))
            skippedLocal.push(`${plan.source.name} -> ${pair.to.name}`);
      }
    }
    const [twinVm, twinNode2] = [ofManifest("twin@vm"), ofManifest("twin@node2")];
    expect(skippedLocal).toContain(`${twinVm.name} -> ${twinNode2.name}`);
  });

  it("dials another node's published ports at that node's underlay address, never at this one's", () => {
    const [from, to] = [ofManifest("twin@vm"), ofManifest("published")];
    const node3 = all.swarm?.nodes.find((n) => n.hostname === to.node)?.addr;
    expect(node3).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const [plan] = planProbes(all, { from: [from.id], to: [to.id] });
    const published = plan.pairs[0].checks
      .filter((c) => c.role === "published")
      .map((c) => plan.checks[c.check].address);
    expect(published.length).toBeGreaterThan(0);
    expect(new Set(published)).toEqual(new Set([node3]));
  });

  it("says per pair that a task known only from the manager cannot be probed, and never probes it elsewhere", async () => {
    const task = managerOnly.containers.find((c) => c.swarm && c.node !== "vm" && c.engine === undefined);
    expect(task, "a task on a worker, from the manager's /tasks").toBeDefined();
    const target = managerOnly.containers.find((c) => c.engine === "vm") as Container;
    // No helper is made (the replay engine refuses every write): the vm engine is not the task's.
    const report = await runProbes(
      createProbeEngine(resolveEngine({ engine: replay.engine("vm").url })),
      managerOnly,
      { from: [task?.id as string], to: [target.id, PROBE_HOST], signer: loadSigner(state) },
    );
    const why = `not checked: no engine of node ${task?.node} is connected`;
    expect(report.sources).toEqual([
      {
        source: { id: task?.id, name: task?.name },
        status: "no-engine",
        helper: "",
        checks: 0,
        message: why,
      },
    ]);
    expect(report.pairs.map((p) => [p.to.id, p.verdict, p.evidence])).toEqual([
      [target.id, "unknown", why],
      [PROBE_HOST, "unknown", why],
    ]);
  });
});
