import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainPair, indexTopology } from "../../server/model/reachability/index.ts";
import type { PairExplanation } from "../../server/model/reachability/index.ts";
import { runProbes } from "../../server/probe/run-probes.ts";
import { docker } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { pair, scenarioTopology, testProbeEngine } from "../support/probes.ts";
import type { ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, TEST_IMAGE } from "../support/scenario.ts";

const exec = promisify(execFile);
const why = (from: string, to: string) =>
  exec("node", ["bin/reachgraph", "why", from, to, "--engine", ENGINE_URL], { timeout: 120_000 }).then(
    (r) => r.stdout,
  );

interface Nets {
  front: ScenarioNetwork;
  back: ScenarioNetwork;
  vault: ScenarioNetwork;
  quiet: ScenarioNetwork;
}

interface Case {
  name: string;
  /** The rule the fix starts with. */
  rule: string;
  /** How many commands the fix has. */
  steps: number;
  /** Builds the pair's containers (short names unique to the case); resolves with its ends. */
  build(s: Scenario, nets: Nets): Promise<[string, string]>;
}

const HOST = "@host";

/**
 * Every rule that has a fix, one blocked pair each (two blockers in some): `reachgraph why` prints the steps,
 * /bin/sh runs them against the real engine, and then reachgraph's own probes find the pair reachable and the
 * model says so too.
 */
const CASES: Case[] = [
  {
    name: "UB-8: isolated bridges",
    rule: "UB-1",
    steps: 1,
    build: async (s, n) => [
      (await s.container("a1", { network: n.front.name })).name,
      (await s.container("b1", { network: n.back.name })).name,
    ],
  },
  {
    name: "INT-2: into an internal network",
    rule: "INT-1",
    steps: 1,
    build: async (s, n) => [
      (await s.container("a2", { network: n.front.name })).name,
      (await s.container("s2", { network: n.vault.name })).name,
    ],
  },
  {
    name: "ICC-1: peers on an icc=false network",
    rule: "ICC-1",
    steps: 3,
    build: async (s, n) => [
      (await s.container("q3a", { network: n.quiet.name })).name,
      (await s.container("q3b", { network: n.quiet.name })).name,
    ],
  },
  {
    name: "§5: a stopped target",
    rule: "§5 stopped",
    steps: 1,
    build: async (s, n) => [
      (await s.container("b4", { network: n.back.name })).name,
      (await s.container("off4", { network: n.back.name, lifecycle: "stopped" })).name,
    ],
  },
  {
    name: "§5: a stopped source",
    rule: "§5 stopped",
    steps: 1,
    build: async (s, n) => [
      (await s.container("off5", { network: n.back.name, lifecycle: "stopped" })).name,
      (await s.container("b5", { network: n.back.name })).name,
    ],
  },
  {
    name: "§5: both ends stopped",
    rule: "§5 stopped",
    steps: 1,
    build: async (s, n) => [
      (await s.container("off6a", { network: n.back.name, lifecycle: "stopped" })).name,
      (await s.container("off6b", { network: n.back.name, lifecycle: "stopped" })).name,
    ],
  },
  {
    name: "§5 + UB-8: a stopped target on an isolated network",
    rule: "§5 stopped",
    steps: 2,
    build: async (s, n) => [
      (await s.container("a7", { network: n.front.name })).name,
      (await s.container("off7", { network: n.back.name, lifecycle: "stopped" })).name,
    ],
  },
  {
    name: "NO-1: a --network none source",
    rule: "NO-1",
    steps: 2,
    build: async (s, n) => [
      (await s.container("n8", { network: "none" })).name,
      (await s.container("a8", { network: n.front.name })).name,
    ],
  },
  {
    name: "NO-1: a --network none target",
    rule: "NO-1",
    steps: 2,
    build: async (s, n) => [
      (await s.container("a9", { network: n.front.name })).name,
      (await s.container("n9", { network: "none" })).name,
    ],
  },
  {
    name: "NO-1 + HC-4: a --network none source to the host",
    rule: "NO-1",
    steps: 2,
    build: async (s) => [(await s.container("n10", { network: "none" })).name, HOST],
  },
  {
    name: "§5 paused: a paused target",
    rule: "§5 paused",
    steps: 1,
    build: async (s, n) => {
      const a = await s.container("a11", { network: n.front.name });
      const p = await s.container("p11", { network: n.front.name });
      await docker("pause", p.name);
      return [a.name, p.name];
    },
  },
  {
    name: "§5 paused + UB-8: a paused target on an isolated network",
    rule: "§5 paused",
    steps: 2,
    build: async (s, n) => {
      const a = await s.container("a12", { network: n.front.name });
      const p = await s.container("p12", { network: n.back.name });
      await docker("pause", p.name);
      return [a.name, p.name];
    },
  },
  {
    name: "CN-1: a container: joiner is fixed through its provider",
    rule: "UB-1",
    steps: 1,
    build: async (s, n) => {
      const provider = await s.container("prov13", { network: n.front.name });
      const joiner = await s.container("j13", {
        network: `container:${provider.name}`,
        command: ["sleep", "3600"],
      });
      return [joiner.name, (await s.container("b13", { network: n.back.name })).name];
    },
  },
  {
    name: "CN-3: a joiner of a stopped provider, on an isolated network",
    rule: "CN-3",
    steps: 3,
    build: async (s, n) => {
      const provider = await s.container("prov14", { network: n.front.name });
      const joiner = await s.container("j14", {
        network: `container:${provider.name}`,
        command: ["sleep", "3600"],
      });
      await docker("stop", "--time", "0", provider.name);
      return [joiner.name, (await s.container("b14", { network: n.back.name })).name];
    },
  },
];

describe("reachgraph why: every step of the fix, and the steps work (real engine)", () => {
  let scenario: Scenario;
  let nets: Nets;

  beforeAll(async () => {
    scenario = await Scenario.create();
    nets = {
      front: await scenario.network("front"),
      back: await scenario.network("back"),
      vault: await scenario.network("vault", { internal: true }),
      quiet: await scenario.network("quiet", { icc: false }),
    };
  });
  afterAll(() => scenario?.cleanup());

  it.concurrent.each(CASES)("$name", { timeout: 300_000 }, async ({ build, rule, steps }) => {
    const [from, to] = await build(scenario, nets);
    const text = await why(from, to);
    expect(text).toMatch(/^Verdict: (blocked|reachable \(but unresponsive: paused\))$/m);
    expect(text).toContain(`[${rule}]`);
    const commands = [...text.matchAll(/^ {2}\$ (.+)$/gm)].map((m) => m[1]);
    expect(commands).toHaveLength(steps);
    await exec("/bin/sh", ["-ec", commands.join("\n")], {
      env: { ...process.env, DOCKER_HOST: ENGINE_URL },
      timeout: 120_000,
    });
    // The engine settles (endpoints, addresses) after the commands return: wait until the model sees it.
    let after: PairExplanation | undefined;
    for (let i = 0; i < 100; i++) {
      after = explainPair(indexTopology(await scenarioTopology(scenario)), from, to);
      if (after.verdict === "reachable" && after.responsive) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(after).toMatchObject({ verdict: "reachable", responsive: true });
    expect(after?.fix).toBeUndefined();
    const report = await runProbes(testProbeEngine(), await scenarioTopology(scenario), {
      from: [from],
      to: [to],
      image: TEST_IMAGE,
      extraPorts: [80],
    });
    expect(pair(report, from, to).verdict).toBe("reachable");
  });
});
