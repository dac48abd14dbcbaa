import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { ProbeOutcome } from "../../server/probe/probe-service.ts";
import { dockerLines } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import type { ScenarioContainer } from "../support/scenario.ts";
import { Scenario } from "../support/scenario.ts";

const exec = promisify(execFile);
const helpersLeft = () =>
  dockerLines("ps", "-a", "--filter", "label=reachgraph.probe", "--format", "{{.Names}}");
const post = (server: RunningServer, body: unknown) =>
  fetch(`${server.url}/api/probes`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("probes over HTTP and the CLI (real engine)", () => {
  let scenario: Scenario;
  let readOnly: RunningServer;
  let probing: RunningServer;
  let api: ScenarioContainer;
  let web: ScenarioContainer;
  let db: ScenarioContainer;

  beforeAll(async () => {
    scenario = await Scenario.create();
    const front = await scenario.network("front");
    const back = await scenario.network("back");
    api = await scenario.container("api", { network: front.name });
    web = await scenario.container("web", { network: front.name });
    db = await scenario.container("db", { network: back.name });
    readOnly = await startServer({ port: 0, engine: ENGINE_URL });
    probing = await startServer({ port: 0, engine: ENGINE_URL, allowProbes: true });
  });

  afterAll(async () => {
    await readOnly?.close();
    await probing?.close();
    await scenario?.cleanup();
  });

  it("refuses probes unless they were enabled, and says so in /api/health", async () => {
    const refused = await post(readOnly, { from: api.name, to: web.name });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toContain("--allow-probes");
    const health = await (await fetch(`${readOnly.url}/api/health`)).json();
    expect(health.probes).toEqual({ enabled: false, image: null });
    expect((await (await fetch(`${probing.url}/api/health`)).json()).probes).toEqual({
      enabled: true,
      image: "busybox:latest",
    });
  });

  it("rejects a bad body and unknown containers before starting any helper", async () => {
    const bad = await post(probing, { from: 42, extra: true });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^request body: .*expected \{"from"/);
    const unknown = await post(probing, { from: "no-such-container" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toContain('unknown container "no-such-container"');
    expect(await helpersLeft()).toEqual([]);
  });

  it("probes one pair, agrees with the prediction, and leaves no helper", async () => {
    const res = await post(probing, { from: api.name, to: [web.name, db.name] });
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as ProbeOutcome;
    const verdicts = Object.fromEntries(outcome.report.pairs.map((p) => [p.to.name, p.verdict]));
    expect(verdicts).toEqual({ [web.name]: "reachable", [db.name]: "blocked" });
    expect(outcome.disagreements).toEqual([]);
    expect(await helpersLeft()).toEqual([]);
  });

  it("collapses repeated sources and targets: one helper per source, one pair per target", async () => {
    const res = await post(probing, {
      from: [api.name, api.id, api.id.slice(0, 12), api.name],
      to: [web.name, web.id, web.name],
    });
    expect(res.status).toBe(200);
    const { report } = (await res.json()) as ProbeOutcome;
    expect(report.sources.map((s) => s.source.name)).toEqual([api.name]);
    expect(report.pairs.map((p) => [p.from.name, p.to.name])).toEqual([[api.name, web.name]]);
  });

  it("`reachgraph probe` prints predicted vs observed and exits 0 when they agree", async () => {
    const { stdout } = await exec(
      "node",
      ["bin/reachgraph", "probe", api.name, web.name, "--engine", ENGINE_URL],
      {
        timeout: 120_000,
      },
    );
    expect(stdout).toContain(`${api.name} -> ${web.name}: predicted reachable, observed reachable (agrees)`);
    expect(stdout).toContain("the probes agree with the prediction on every pair, check and name");
    expect(await helpersLeft()).toEqual([]);
  });
});
