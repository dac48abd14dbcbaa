import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { DoctorReport } from "../../server/model/doctor.ts";
import type { Topology } from "../../server/model/topology.ts";
import { engineRequest, requireEngine } from "../support/engine.ts";
import type { GetOnlyProxy } from "../support/get-only-proxy.ts";
import { REFUSAL_BODY, startGetOnlyProxy } from "../support/get-only-proxy.ts";
import type { ScenarioContainer } from "../support/scenario.ts";
import { Scenario } from "../support/scenario.ts";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
const cli = (...args: string[]): Promise<Result> =>
  new Promise((resolve) => {
    execFile("node", ["bin/reachgraph", ...args], { timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const REFUSAL =
  /the engine at unix:\/\/\S+ refused POST \/containers\/create \(403\): a read-only socket proxy/;

describe("behind a GET-only socket proxy (real engine)", () => {
  let proxy: GetOnlyProxy;
  let scenario: Scenario;
  let a: ScenarioContainer;
  let b: ScenarioContainer;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await requireEngine();
    scenario = await Scenario.create();
    const net = await scenario.network("net");
    a = await scenario.container("a", { network: net.name });
    b = await scenario.container("b", { network: net.name });
    proxy = await startGetOnlyProxy();
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await scenario?.cleanup();
  });

  it("refuses writes the way docker-socket-proxy does", async () => {
    const refused = await engineRequest("POST", "/containers/create", {}, proxy.socketPath);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toBe(REFUSAL_BODY);
    const ping = await engineRequest("GET", "/_ping", undefined, proxy.socketPath);
    expect(ping.body).toBe("OK");
  });

  it("matrix and snapshot read the live topology through it", async () => {
    const matrix = await cli("matrix", "--json", "--engine", proxy.url);
    expect(matrix.stderr).toBe("");
    expect(matrix.code).toBe(0);
    const pairs = (JSON.parse(matrix.stdout) as { pairs: { from: string; to: string; verdict: string }[] })
      .pairs;
    expect(pairs.find((p) => p.from === a.name && p.to === b.name)?.verdict).toBe("reachable");

    const snapshot = await cli("snapshot", "--engine", proxy.url);
    expect(snapshot.code).toBe(0);
    const topology = (JSON.parse(snapshot.stdout) as { topology: Topology }).topology;
    expect(topology.source.kind).toBe("live");
    expect(topology.containers.map((c) => c.name)).toEqual(expect.arrayContaining([a.name, b.name]));
  });

  it("serve shows the live topology; its probes fail with the proxy's refusal", async () => {
    server = await startServer({ port: 0, engine: proxy.url, allowProbes: true });
    const topology = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
    expect(topology.source.kind).toBe("live");
    expect(topology.containers.map((c) => c.name)).toEqual(expect.arrayContaining([a.name, b.name]));
    const probe = await fetch(`${server.url}/api/probes`, {
      method: "POST",
      headers: { Origin: server.url, "Content-Type": "application/json" },
      body: JSON.stringify({ from: a.name, to: b.name }),
    });
    expect(probe.status).toBe(502);
    expect(((await probe.json()) as { error: string }).error).toMatch(REFUSAL);
  });

  it("probe fails with one line that names the refusal, and nothing but that write was tried", async () => {
    const before = proxy.refused.length;
    const probe = await cli("probe", a.name, b.name, "--engine", proxy.url);
    expect(probe.code).toBe(1);
    expect(probe.stderr.trim().split("\n")).toHaveLength(1);
    expect(probe.stderr).toMatch(REFUSAL);
    expect(proxy.refused.slice(before).map((r) => r.split("?")[0])).toEqual(["POST /containers/create"]);
  });

  it("doctor says the topology can be read and probes cannot run, naming the proxy", async () => {
    const doctor = await cli("doctor", "--json", "--engine", proxy.url, "--port", "0");
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    expect(report.ready).toBe(true);
    const probes = report.checks.find((c) => c.id === "probes");
    expect(probes?.status).toBe("warn");
    expect(probes?.summary).toMatch(REFUSAL);
    expect(probes?.fix).toContain("engine's own socket");
  });
});
