import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { TopologyIndex, Verdict } from "../../server/model/reachability/index.ts";
import { explainPair, HOST, indexTopology } from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import type { WhatIf } from "../../server/model/what-if/index.ts";
import { applyWhatIfs } from "../../server/model/what-if/index.ts";
import { runProbes } from "../../server/probe/run-probes.ts";
import { docker, dockerJson } from "../support/docker-cli.ts";
import {
  containerNamed,
  leftoverHelpers,
  pair,
  scenarioTopology,
  testProbeEngine,
} from "../support/probes.ts";
import type { ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, SLEEP, TEST_IMAGE } from "../support/scenario.ts";

/** Every ordered pair of the scenario's containers and @host, by name, with the model's verdict. */
function verdicts(topology: Topology): Record<string, Verdict> {
  const index: TopologyIndex = indexTopology(topology);
  const ends = [...topology.containers.map((c) => c.name), HOST];
  const out: Record<string, Verdict> = {};
  for (const from of ends)
    for (const to of ends) if (from !== to) out[`${from} -> ${to}`] = explainPair(index, from, to).verdict;
  return out;
}

/** A host port nobody listens on right now (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "0.0.0.0", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Networks cannot be changed in place (no `docker network update`): the only way to turn icc off or make a
 * network internal is to disconnect its members, remove it, create it again with the same name and subnet and
 * the new option, and reconnect the same containers — which is what this does.
 */
async function recreateNetwork(net: ScenarioNetwork, members: string[], flags: string[]): Promise<void> {
  for (const m of members) await docker("network", "disconnect", net.name, m);
  await docker("network", "rm", net.name);
  await docker("network", "create", "--driver", "bridge", "--subnet", net.subnet, ...flags, net.name);
  for (const m of members) await docker("network", "connect", net.name, m);
}

interface Case {
  title: string;
  /** Builds the scenario and returns the what-if plus the real change, both by full names. */
  build(s: Scenario): Promise<{ whatIf: WhatIf; real(): Promise<void> }>;
  /** Pairs (short names or @host) proved with real probes after the change. */
  probes: [string, string][];
}

const CASES: Case[] = [
  {
    title: "disconnect a multi-homed container from one network (MN-1, UB-8)",
    async build(s) {
      const one = await s.network("one");
      const two = await s.network("two");
      await s.container("a", { network: one.name });
      await s.container("b", { network: one.name, connect: [{ network: two.name }] });
      await s.container("c", { network: two.name });
      return {
        whatIf: { kind: "disconnect", container: s.name("b"), network: one.name },
        real: () => docker("network", "disconnect", one.name, s.name("b")).then(() => undefined),
      };
    },
    probes: [
      ["a", "b"],
      ["b", "c"],
    ],
  },
  {
    title: "connect a container to another user-defined network, with an alias (UB-1, UB-2)",
    async build(s) {
      const one = await s.network("one");
      const two = await s.network("two");
      await s.container("a", { network: one.name, hostname: "a-host" });
      await s.container("b", { network: two.name });
      return {
        whatIf: { kind: "connect", container: s.name("a"), network: two.name, aliases: ["a-alias"] },
        real: () =>
          docker("network", "connect", "--alias", "a-alias", two.name, s.name("a")).then(() => undefined),
      };
    },
    probes: [
      ["a", "b"],
      ["b", "a"],
    ],
  },
  {
    title: "turn icc off on a user-defined bridge (ICC-1, ICC-3, HC-1)",
    async build(s) {
      const quiet = await s.network("quiet");
      const other = await s.network("other");
      await s.container("a", { network: quiet.name });
      await s.container("b", { network: quiet.name, command: SLEEP });
      await s.container("c", { network: other.name });
      const members = [s.name("a"), s.name("b")];
      return {
        whatIf: { kind: "icc", network: quiet.name, enabled: false },
        real: () => recreateNetwork(quiet, members, ["--opt", "com.docker.network.bridge.enable_icc=false"]),
      };
    },
    probes: [
      ["b", "a"],
      [HOST, "a"],
    ],
  },
  {
    title: "make a network internal, with a published port on it (INT-1, INT-2, INT-3, INT-5)",
    async build(s) {
      const vault = await s.network("vault");
      const front = await s.network("front");
      await s.container("a", { network: vault.name, command: SLEEP });
      await s.container("b", { network: vault.name, publish: ["80"] });
      await s.container("c", { network: front.name, command: SLEEP });
      const members = [s.name("a"), s.name("b")];
      return {
        whatIf: { kind: "internal", network: vault.name, enabled: true },
        real: () => recreateNetwork(vault, members, ["--internal"]),
      };
    },
    probes: [
      ["a", "b"],
      ["c", "b"],
      ["a", HOST],
    ],
  },
  {
    title: "publish a port of a container on an isolated network (PP-1, PP-4)",
    async build(s) {
      const one = await s.network("one");
      const two = await s.network("two");
      await s.container("a", { network: one.name, command: SLEEP });
      await s.container("b", { network: two.name });
      const hostPort = await freePort();
      return {
        whatIf: { kind: "publish", container: s.name("b"), containerPort: 80, hostPort },
        // Ports are fixed when a container is created: recreate it with -p.
        real: async () => {
          await docker("rm", "--force", s.name("b"));
          await s.container("b", { network: two.name, publish: [`${hostPort}:80`] });
        },
      };
    },
    probes: [
      ["a", "b"],
      [HOST, "b"],
    ],
  },
];

describe("what-if on the collected topology = the model on the engine after the same change", () => {
  let scenario: Scenario | undefined;
  const runIds: string[] = [];

  afterEach(async () => {
    await scenario?.cleanup();
    scenario = undefined;
    for (const id of runIds.splice(0)) expect(await leftoverHelpers(id)).toEqual([]);
  });

  // Each case recreates networks or containers and probes them: about a minute alone, several on a busy CI box.
  it.each(CASES)("$title", { timeout: 600_000 }, async ({ build, probes }) => {
    scenario = await Scenario.create();
    const s = scenario;
    const { whatIf, real } = await build(s);
    const before = await scenarioTopology(s);
    const predicted = applyWhatIfs(before, [whatIf]).topology;
    await real();
    const after = await scenarioTopology(s);
    expect(after.containers.map((c) => c.name).sort()).toEqual(
      predicted.containers.map((c) => c.name).sort(),
    );
    const expected = verdicts(predicted);
    expect(verdicts(after)).toEqual(expected);
    // The change must matter: some verdict differs from before.
    expect(verdicts(before)).not.toEqual(expected);

    if (whatIf.kind === "connect") {
      // UB-2: the new endpoint answers to the name, the alias, the short ID and the explicit hostname.
      const names = (t: Topology) =>
        containerNamed(t, whatIf.container)
          .interfaces.find((i) => i.network === whatIf.network)
          ?.dnsNames?.slice()
          .sort();
      expect(names(predicted)).toEqual(names(after));
      expect(names(predicted)).toContain("a-host");
    }

    const runId = `${s.runId}w${runIds.length}`;
    runIds.push(runId);
    const full = (n: string) => (n === HOST ? HOST : s.name(n));
    const report = await runProbes(testProbeEngine(), after, {
      from: [...new Set(probes.map(([from]) => full(from)))],
      to: [...new Set(probes.map(([, to]) => full(to)))],
      image: TEST_IMAGE,
      extraPorts: [80],
      runId,
    });
    for (const [from, to] of probes) {
      const seen = pair(report, full(from), full(to));
      expect(`${from} -> ${to}: ${seen.verdict} (${seen.evidence})`).toBe(
        `${from} -> ${to}: ${expected[`${full(from)} -> ${full(to)}`]} (${seen.evidence})`,
      );
    }
    if (whatIf.kind === "publish") {
      const [inspect] = await dockerJson<{ NetworkSettings: { Ports: Record<string, unknown> } }[]>(
        "inspect",
        s.name("b"),
      );
      expect(Object.keys(inspect.NetworkSettings.Ports)).toContain("80/tcp");
    }
  });
});
