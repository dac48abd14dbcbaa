import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Disagreement, ProbeReport } from "../../server/model/probe-types.ts";
import { formatDisagreements } from "../../server/model/probe-compare.ts";
import { explainPair } from "../../server/model/reachability/explain-pair.ts";
import { indexTopology } from "../../server/model/reachability/topology-index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { EngineEvents } from "../support/engine-events.ts";
import { probeGroundTruth } from "../support/ground-truth.ts";
import { leftoverHelpers, scenarioTopology, testProbeEngine } from "../support/probes.ts";
import { Scenario, SLEEP, TEST_IMAGE } from "../support/scenario.ts";

/**
 * One scenario with every driver and mode this engine supports, collected live, predicted by the model and
 * probed as a full matrix: every predicted verdict and name must be what the probes observe.
 */
describe("ground truth: the model against real probes", () => {
  let scenario: Scenario;
  let topology: Topology;
  let report: ProbeReport;
  let disagreements: Disagreement[];
  let rerunId: string;
  let engineEvents: EngineEvents;

  beforeAll(async () => {
    engineEvents = await EngineEvents.open();
    scenario = await Scenario.create();
    const s = scenario;
    // DB-1, DB-3: docker0 with a legacy link.
    const legacyTarget = await s.container("legacy-target");
    await s.container("legacy-linker", { links: [`${legacyTarget.name}:legacy-db`], command: SLEEP });
    // UB-1..UB-8, MN-1: two user-defined bridges and a container on both.
    const app = await s.network("app");
    const data = await s.network("data");
    const api = await s.container("api", { network: app.name, aliases: ["api-alias"], hostname: "api-host" });
    await s.container("worker", { network: app.name, command: SLEEP });
    await s.container("store", { network: data.name });
    await s.container("multi", {
      network: app.name,
      connect: [{ network: data.name, aliases: ["multi-alias"] }],
    });
    // INT-1..INT-5: an internal network, with a -p the engine ignores.
    const internal = await s.network("internal", { internal: true });
    await s.container("vault", { network: internal.name, publish: ["80"] });
    await s.container("vault-peer", { network: internal.name, command: SLEEP });
    // ICC-1..ICC-3.
    const noicc = await s.network("noicc", { icc: false });
    await s.container("quiet-a", { network: noicc.name });
    await s.container("quiet-b", { network: noicc.name, command: SLEEP });
    // PP-1, PP-2, PP-4: one port on 0.0.0.0 and one on 127.0.0.1.
    await s.container("pub", { network: data.name, publish: ["80", "127.0.0.1::80"] });
    // H-1, NO-1, CN-1.
    await s.container("host-mode", { network: "host", command: SLEEP });
    await s.container("none-mode", { network: "none", command: SLEEP });
    await s.container("joiner", { network: `container:${api.name}`, command: SLEEP });
    // MV-1, MV-3 on a veth parent (never the uplink).
    const { parent } = await s.veth();
    const mv = await s.network("mv", { driver: "macvlan", parent });
    await s.container("mv1", { network: mv.name });
    await s.container("mv2", { network: mv.name, command: SLEEP });
    // OV-1..OV-4: an attachable overlay.
    const ovl = await s.network("ovl", { driver: "overlay", attachable: true });
    await s.container("o1", { network: ovl.name, aliases: ["ovl-web"] });
    await s.container("o2", { network: ovl.name, command: SLEEP });
    // §5.
    await s.container("stopped", { network: app.name, aliases: ["stopped-alias"], lifecycle: "stopped" });

    topology = await scenarioTopology(scenario);
    ({ report, disagreements, rerunId } = await probeGroundTruth(testProbeEngine(), topology, {
      runId: `${scenario.runId}gt`,
      settled: () => engineEvents.networkSettled(),
      label: "ground-truth",
      probe: { image: TEST_IMAGE, extraPorts: [80], concurrency: 6, parallelChecks: 64 },
    }));
  }, 900_000);

  afterAll(async () => {
    engineEvents?.stop();
    await scenario?.cleanup();
  });

  it("removed every helper, of the matrix and of the re-probes", async () => {
    expect(await leftoverHelpers(report.runId)).toEqual([]);
    expect(await leftoverHelpers(rerunId)).toEqual([]);
  });

  it("probed every pair of the matrix from every running source", () => {
    const n = topology.containers.length + 1;
    expect(report.pairs).toHaveLength(n * (n - 1));
    const failed = report.sources.filter((s) => s.status !== "ok" && s.status !== "not-running");
    expect(failed).toEqual([]);
  });

  /** Pairs the probes could not decide because every address was skipped for safety (OV-5). */
  const unprobeable = () =>
    report.pairs.filter(
      (p) => p.verdict === "unknown" && p.results.every((r) => r.kind === "name") && p.skipped.length,
    );

  it("observes every predicted verdict", () => {
    const skipped = new Set(unprobeable().map((p) => `${p.from.id} ${p.to.id}`));
    const verdicts = disagreements.filter(
      (d) => d.aspect === "verdict" && !(d.observed === "unknown" && skipped.has(`${d.from.id} ${d.to.id}`)),
    );
    expect(formatDisagreements(verdicts)).toBe("");
  });

  it("leaves unprobed only macvlan children seen from outside their network, predicted blocked (MV-3)", () => {
    // Dialling a macvlan address from off its network would leave through the host's default route (§0).
    const mv = new Set(["mv1", "mv2"].map((n) => scenario.name(n)));
    const outside = report.pairs.filter(
      (p) =>
        mv.has(p.to.name) &&
        !mv.has(p.from.name) &&
        ![scenario.name("none-mode"), scenario.name("stopped")].includes(p.from.name),
    );
    expect(
      unprobeable()
        .map((p) => `${p.from.name} -> ${p.to.name}`)
        .sort(),
    ).toEqual(outside.map((p) => `${p.from.name} -> ${p.to.name}`).sort());
    const index = indexTopology(topology);
    for (const p of unprobeable())
      expect(explainPair(index, p.from.id, p.to.id).verdict, p.to.name).toBe("blocked");
  });

  it("observes every predicted name, and predicts every name that resolves", () => {
    expect(formatDisagreements(disagreements.filter((d) => d.aspect !== "verdict"))).toBe("");
  });
});
