import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProbes } from "../../server/probe/run-probes.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { pair, scenarioTopology, testProbeEngine } from "../support/probes.ts";
import { Scenario } from "../support/scenario.ts";

const exec = promisify(execFile);
const why = (from: string, to: string) =>
  exec("node", ["bin/reachgraph", "why", from, to, "--engine", ENGINE_URL], { timeout: 60_000 }).then(
    (r) => r.stdout,
  );

/**
 * For each kind of blocked pair: `reachgraph why` names the rule and a fix command; running that command and
 * probing again shows the pair reachable.
 */
describe("reachgraph why: the rule and a working fix", () => {
  let scenario: Scenario;
  const n = (short: string) => scenario.name(short);

  beforeAll(async () => {
    scenario = await Scenario.create();
    const front = await scenario.network("front");
    const back = await scenario.network("back");
    const internal = await scenario.network("vault", { internal: true });
    const quiet = await scenario.network("quiet", { icc: false });
    await scenario.container("api", { network: front.name });
    await scenario.container("db", { network: back.name });
    await scenario.container("secret", { network: internal.name });
    await scenario.container("qa", { network: quiet.name });
    await scenario.container("qb", { network: quiet.name });
    await scenario.container("off", { network: back.name, lifecycle: "stopped" });
  });
  afterAll(() => scenario?.cleanup());

  it.each([
    { from: "api", to: "db", rule: "UB-8", command: /^docker network connect \S+-back \S+-api$/ },
    { from: "api", to: "secret", rule: "INT-2", command: /^docker network connect \S+-vault \S+-api$/ },
    { from: "qa", to: "qb", rule: "ICC-1", command: /^docker network create \S+ && docker network connect / },
    { from: "db", to: "off", rule: "§5", command: /^docker start \S+-off$/ },
  ])(
    "$from -> $to: blocked by $rule, fixed by the command it prints",
    async ({ from, to, rule, command }) => {
      const text = await why(n(from), n(to));
      expect(text).toContain("Verdict: blocked");
      expect(text).toContain(`[${rule}`);
      const fix = /^ {2}\$ (.+)$/m.exec(text)?.[1] ?? "";
      expect(fix).toMatch(command);
      await exec("sh", ["-c", fix], { env: { ...process.env, DOCKER_HOST: ENGINE_URL }, timeout: 60_000 });
      const after = await why(n(from), n(to));
      expect(after).toContain("Verdict: reachable");
      const report = await runProbes(testProbeEngine(), await scenarioTopology(scenario), {
        from: [n(from)],
        to: [n(to)],
      });
      expect(pair(report, n(from), n(to)).verdict).toBe("reachable");
    },
  );
});
