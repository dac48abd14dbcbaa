import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainPair, indexTopology } from "../../server/model/reachability/index.ts";
import type { PairExplanation } from "../../server/model/reachability/index.ts";
import { runProbes } from "../../server/probe/run-probes.ts";
import { docker } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { pair, scenarioTopology, testProbeEngine } from "../support/probes.ts";
import type { ContainerSpec, ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, SLEEP, TEST_IMAGE } from "../support/scenario.ts";

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

/** The pair, its target paused once it runs (§5 paused). */
async function pausedPair(
  s: Scenario,
  from: [string, ContainerSpec],
  to: [string, ContainerSpec],
): Promise<[string, string]> {
  const names = await pairOf(s, from, to);
  await docker("pause", names[1]);
  return names;
}

/** A `container:` joiner (CN-1) of a provider on `network`, the provider stopped when asked (CN-3). */
async function joinerOf(s: Scenario, id: string, network: ScenarioNetwork, stop: boolean): Promise<string> {
  const provider = await s.container(`prov${id}`, { network: network.name });
  const joiner = await s.container(`j${id}`, { network: `container:${provider.name}`, command: SLEEP });
  if (stop) await docker("stop", "--time", "0", provider.name);
  return joiner.name;
}

/** Runs the pair's two containers; resolves with their names. */
async function pairOf(
  s: Scenario,
  from: [string, ContainerSpec],
  to: [string, ContainerSpec],
): Promise<[string, string]> {
  return [(await s.container(...from)).name, (await s.container(...to)).name];
}

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
    build: (s, n) => pairOf(s, ["a1", { network: n.front.name }], ["b1", { network: n.back.name }]),
  },
  {
    name: "INT-2: into an internal network",
    rule: "INT-1",
    steps: 1,
    build: (s, n) => pairOf(s, ["a2", { network: n.front.name }], ["s2", { network: n.vault.name }]),
  },
  {
    name: "ICC-1: peers on an icc=false network",
    rule: "ICC-1",
    steps: 3,
    build: (s, n) => pairOf(s, ["q3a", { network: n.quiet.name }], ["q3b", { network: n.quiet.name }]),
  },
  {
    name: "§5: a stopped target",
    rule: "§5 stopped",
    steps: 1,
    build: (s, n) =>
      pairOf(s, ["b4", { network: n.back.name }], ["off4", { network: n.back.name, lifecycle: "stopped" }]),
  },
  {
    name: "§5: a stopped source",
    rule: "§5 stopped",
    steps: 1,
    build: (s, n) =>
      pairOf(s, ["off5", { network: n.back.name, lifecycle: "stopped" }], ["b5", { network: n.back.name }]),
  },
  {
    name: "§5: both ends stopped",
    rule: "§5 stopped",
    steps: 1,
    build: (s, n) =>
      pairOf(
        s,
        ["off6a", { network: n.back.name, lifecycle: "stopped" }],
        ["off6b", { network: n.back.name, lifecycle: "stopped" }],
      ),
  },
  {
    name: "§5 + UB-8: a stopped target on an isolated network",
    rule: "§5 stopped",
    steps: 2,
    build: (s, n) =>
      pairOf(s, ["a7", { network: n.front.name }], ["off7", { network: n.back.name, lifecycle: "stopped" }]),
  },
  {
    name: "NO-1: a --network none source",
    rule: "NO-1",
    steps: 2,
    build: (s, n) => pairOf(s, ["n8", { network: "none" }], ["a8", { network: n.front.name }]),
  },
  {
    name: "NO-1: a --network none target",
    rule: "NO-1",
    steps: 2,
    build: (s, n) => pairOf(s, ["a9", { network: n.front.name }], ["n9", { network: "none" }]),
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
    build: (s, n) => pausedPair(s, ["a11", { network: n.front.name }], ["p11", { network: n.front.name }]),
  },
  {
    name: "§5 paused + UB-8: a paused target on an isolated network",
    rule: "§5 paused",
    steps: 2,
    build: (s, n) => pausedPair(s, ["a12", { network: n.front.name }], ["p12", { network: n.back.name }]),
  },
  {
    name: "CN-1: a container: joiner is fixed through its provider",
    rule: "UB-1",
    steps: 1,
    build: async (s, n) => [
      await joinerOf(s, "13", n.front, false),
      (await s.container("b13", { network: n.back.name })).name,
    ],
  },
  {
    name: "CN-3: a joiner of a stopped provider, on an isolated network",
    rule: "CN-3",
    steps: 3,
    build: async (s, n) => [
      await joinerOf(s, "14", n.front, true),
      (await s.container("b14", { network: n.back.name })).name,
    ],
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
