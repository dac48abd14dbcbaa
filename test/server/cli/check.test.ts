import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../server/cli/exit.ts";
import { fleetTopology } from "../../../server/example/fleet.ts";
import type { Finding } from "../../../server/model/fleet/consistency.ts";
import { buildSnapshot } from "../../../server/model/snapshot.ts";
import { loadFleetRecording } from "../../support/recording.ts";

const exec = promisify(execFile);
const temp = mkdtempSync(join(tmpdir(), "rg-check-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const cli = (args: string[]): Promise<Run> =>
  exec("node", ["bin/reachgraph", ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: Run) => e,
  );

/** A snapshot file of a recorded fleet: what `reachgraph snapshot` of those engines would have saved. */
function snapshotOf(scenario: string): string {
  const { recording, manifest } = loadFleetRecording(scenario);
  const topology = fleetTopology(recording, {
    kind: "live",
    label: scenario,
    capturedAt: manifest.recordedAt,
  });
  const file = join(temp, `${scenario}.json`);
  writeFileSync(file, JSON.stringify(buildSnapshot(topology)));
  return file;
}

describe("reachgraph check", () => {
  it("exits 0 and says so on a healthy swarm", async () => {
    const run = await cli(["check", "--snapshot", snapshotOf("swarm")]);
    expect(run).toMatchObject({ code: EXIT.ok, stderr: "" });
    expect(run.stdout).toMatch(/^no consistency findings/);
  });

  it("exits 3 with each finding like a verdict when a node's view is stale (CS-1, CS-3, CS-4)", async () => {
    const run = await cli(["check", "--snapshot", snapshotOf("consistency-control")]);
    expect(run.code).toBe(EXIT.differs);
    expect(run.stdout).toMatch(/^CS-1 {2}stale peer 10\.232\.0\.\d+ in vm's view of rgt-fleetcs-mesh$/m);
    expect(run.stdout).toMatch(
      /^ {6}fix: bring rgtcons1 back, or remove it for good: docker node rm --force rgtcons1$/m,
    );
    expect(run.stdout).toMatch(/\n4 findings; rules: /);
  });

  it("prints {findings} with --json, and says when there is no manager to check peers against", async () => {
    const run = await cli(["check", "--json", "--snapshot", snapshotOf("consistency-gossip")]);
    expect(run.code).toBe(EXIT.differs);
    const { findings } = JSON.parse(run.stdout) as { findings: Finding[] };
    expect(findings.map((f) => f.rule).sort()).toEqual(["CS-2", "CS-5"]);
    const demo = await cli(["check", "--demo"]);
    expect(demo.stderr).toContain("no swarm manager among the engines");
  });
});
