import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ProbeEngine } from "../../server/engine/probe-client.ts";
import type { ProbeReport } from "../../server/model/probe-types.ts";
import type { Topology } from "../../server/model/topology.ts";
import { runHelper } from "../../server/probe/helper.ts";
import { loadSigner } from "../../server/probe/ownership.ts";
import { ProbeAbortedError, ProbeImageError, runProbes } from "../../server/probe/run-probes.ts";
import { docker } from "../support/docker-cli.ts";
import {
  containerNamed,
  ipOf,
  leftoverHelpers,
  pair,
  results,
  scenarioTopology,
  testProbeEngine,
} from "../support/probes.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, SLEEP, TEST_IMAGE } from "../support/scenario.ts";

describe("probes from real namespaces", () => {
  let scenario: Scenario;
  let engine: ProbeEngine;
  let topology: Topology;
  let report: ProbeReport;
  let front: ScenarioNetwork;
  let back: ScenarioNetwork;
  let noicc: ScenarioNetwork;
  let web: ScenarioContainer;
  let client: ScenarioContainer;
  let other: ScenarioContainer;
  let quietA: ScenarioContainer;
  let quietB: ScenarioContainer;
  let stopped: ScenarioContainer;
  const runIds: string[] = [];
  const nextRunId = () => {
    const id = `${scenario.runId}x${runIds.length}`;
    runIds.push(id);
    return id;
  };

  beforeAll(async () => {
    scenario = await Scenario.create();
    engine = testProbeEngine();
    front = await scenario.network("front");
    back = await scenario.network("back");
    noicc = await scenario.network("noicc", { icc: false });
    web = await scenario.container("web", { network: front.name, aliases: ["web-alias"] });
    client = await scenario.container("client", { network: front.name, command: SLEEP });
    other = await scenario.container("other", { network: back.name });
    quietA = await scenario.container("quiet-a", { network: noicc.name });
    quietB = await scenario.container("quiet-b", { network: noicc.name, command: SLEEP });
    stopped = await scenario.container("stopped", { network: front.name, lifecycle: "stopped" });
    topology = await scenarioTopology(scenario);
    report = await runProbes(engine, topology, {
      from: [client.name, other.name, quietB.name, stopped.name],
      image: TEST_IMAGE,
      extraPorts: [80],
      runId: nextRunId(),
    });
  });

  afterEach(async () => {
    // Every helper is removed, whatever the test did to its run.
    for (const id of runIds) expect(await leftoverHelpers(id)).toEqual([]);
  });

  afterAll(async () => {
    await scenario?.cleanup();
  });

  it("connects over a shared user-defined network and resolves the peer's names there (UB-1, UB-2)", async () => {
    const seen = pair(report, client.name, web.name);
    const ip = await ipOf(web.name, front.name);
    expect(seen.verdict).toBe("reachable");
    expect(results(seen, { kind: "tcp", role: "direct" })).toEqual([`tcp ${ip}:80 ok`]);
    expect(results(seen, { kind: "icmp", role: "direct" })).toEqual([`icmp ${ip} ok`]);
    for (const name of [web.name, "web-alias", `${web.name}.${front.name}`]) {
      const observed = seen.names.find((n) => n.name === name);
      expect(observed, name).toMatchObject({
        status: "ok",
        resolvesToTarget: true,
        addresses: [ip],
        resolvedBy: "dns",
      });
    }
  });

  it("times out across user-defined networks, and their names do not resolve (UB-8, UB-3)", async () => {
    const seen = pair(report, client.name, other.name);
    const ip = await ipOf(other.name, back.name);
    expect(seen.verdict).toBe("blocked");
    expect(results(seen, { kind: "tcp", role: "direct" })).toEqual([`tcp ${ip}:80 timeout`]);
    expect(seen.names.filter((n) => n.resolvesToTarget)).toEqual([]);
    expect(pair(report, other.name, web.name).verdict).toBe("blocked");
  });

  it("resolves icc=false peers but cannot connect to them (ICC-1, ICC-2)", async () => {
    const seen = pair(report, quietB.name, quietA.name);
    const ip = await ipOf(quietA.name, noicc.name);
    expect(seen.verdict).toBe("blocked");
    expect(results(seen, { kind: "tcp", role: "direct" })).toEqual([`tcp ${ip}:80 timeout`]);
    expect(seen.names.find((n) => n.name === quietA.name)).toMatchObject({
      resolvesToTarget: true,
      addresses: [ip],
    });
  });

  it("reaches the host at the source's gateway (HC-4)", () => {
    const seen = pair(report, client.name, "@host");
    expect(seen.verdict).toBe("reachable");
    const gateway = containerNamed(topology, client.name).interfaces[0].gateway;
    expect(results(seen, { kind: "icmp", role: "host" })).toEqual([`icmp ${gateway} ok`]);
  });

  it("sees a stopped target without address or names, and a stopped source as not running (§5)", () => {
    const toStopped = pair(report, client.name, stopped.name);
    expect(toStopped.verdict).toBe("blocked");
    expect(toStopped.targetAddresses).toEqual([]);
    expect(toStopped.names.filter((n) => n.status === "ok")).toEqual([]);
    const source = report.sources.find((s) => s.source.name === stopped.name);
    expect(source?.status).toBe("not-running");
    expect(pair(report, stopped.name, web.name).verdict).toBe("blocked");
  });

  it("removes the helper of a script that outlives its timeout", async () => {
    const runId = nextRunId();
    const run = await runHelper(engine, {
      name: `reachgraph-probe-${runId}-sleep`,
      image: TEST_IMAGE,
      networkMode: `container:${client.id}`,
      script: "echo 'RG 0 icmp ok'; sleep 60",
      runId,
      source: client.id,
      timeoutMs: 1_500,
      signer: loadSigner(),
    });
    expect(run.status).toBe("timeout");
    // What the helper printed before its deadline is still read.
    expect(run.stdout).toContain("RG 0 icmp ok");
  });

  it("reports checks a timed-out helper never ran as missing", async () => {
    const probed = await runProbes(engine, topology, {
      from: [client.name],
      to: [other.name],
      image: TEST_IMAGE,
      extraPorts: [80],
      timeoutMs: 1_000,
      runId: nextRunId(),
    });
    expect(probed.sources[0].status).toBe("timeout");
    const seen = pair(probed, client.name, other.name);
    expect(seen.verdict).toBe("unknown");
    expect(seen.results.some((r) => r.status === "missing")).toBe(true);
  });

  it("removes helpers when the engine refuses to join the source", async () => {
    const ghost = { ...containerNamed(topology, web.name), id: "f".repeat(64), name: scenario.name("ghost") };
    const probed = await runProbes(
      engine,
      { ...topology, containers: [...topology.containers, ghost] },
      { from: [ghost.name, stopped.name], to: [web.name], image: TEST_IMAGE, runId: nextRunId() },
    );
    expect(probed.sources.map((s) => [s.source.name, s.status])).toEqual([
      [ghost.name, "missing"],
      [stopped.name, "not-running"],
    ]);
    expect(probed.sources[1].message).toMatch(/cannot join network of a non running container/);
  });

  it("removes every helper when the run is aborted", async () => {
    const runId = nextRunId();
    const abort = new AbortController();
    const running = runProbes(engine, topology, {
      image: TEST_IMAGE,
      extraPorts: [80],
      concurrency: 2,
      runId,
      signal: abort.signal,
    });
    const settled = running.then(
      () => null,
      (error: unknown) => error,
    );
    // Abort once a helper exists, so the abort hits a live container.
    for (let i = 0; i < 100 && (await leftoverHelpers(runId)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await leftoverHelpers(runId)).not.toEqual([]);
    abort.abort();
    const error = await settled;
    expect(error).toBeInstanceOf(ProbeAbortedError);
  });

  it("fails clearly when the probe image is missing", async () => {
    const image = `${scenario.prefix}no-such-image:latest`;
    await expect(runProbes(engine, topology, { image, runId: nextRunId() })).rejects.toThrow(ProbeImageError);
    await expect(runProbes(engine, topology, { image, runId: nextRunId() })).rejects.toThrow(
      `probe image ${image} not found on the engine: `,
    );
    await expect(runProbes(engine, topology, { image })).rejects.toThrow(
      /load or tag one, or pass --probe-image/,
    );
    expect(await docker("images", "-q", image)).toBe("");
  });
});
