import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_URL } from "../support/engine.ts";
import { leftoverHelpers } from "../support/probes.ts";
import type { ScenarioContainer } from "../support/scenario.ts";
import { HTTPD, Scenario, SLEEP } from "../support/scenario.ts";

const exec = promisify(execFile);
const cli = (...args: string[]) =>
  exec("node", ["bin/reachgraph", ...args, "--engine", ENGINE_URL], { timeout: 180_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("reachgraph probe: exit 3 only for what the probes saw differently", () => {
  let scenario: Scenario;
  let client: ScenarioContainer;
  let remote: ScenarioContainer;

  beforeAll(async () => {
    scenario = await Scenario.create();
    const bridge = await scenario.network("b");
    // OV-5: a macvlan address is not routed by this host, so a probe from a bridge container skips it.
    const { parent } = await scenario.veth();
    const macvlan = await scenario.network("mv", { driver: "macvlan", parent });
    client = await scenario.container("client", { network: bridge.name, command: SLEEP });
    remote = await scenario.container("remote", { network: macvlan.name, command: HTTPD });
  });
  afterAll(async () => {
    await scenario?.cleanup();
  });

  it("lists skipped checks apart and exits 0 when nothing observed disagrees", async () => {
    const r = await cli("probe", client.name, remote.name);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(
      /not checked \(no disagreement\):\n.*every address was skipped: .*macvlan network .*\(OV-5\)/,
    );
    expect(r.stdout).toContain("the probes agree with the prediction on everything they checked");
    expect(r.code).toBe(0);
    expect(await leftoverHelpers()).not.toContainEqual(expect.stringContaining(scenario.runId));
  });

  it("uses the service and short-ID names people type", async () => {
    const r = await cli("probe", client.id.slice(0, 12), remote.name);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${client.name} -> ${remote.name}: predicted`);
  });
});
