import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docker, dockerLines, run } from "../support/docker-cli.ts";
import { requireEngine } from "../support/engine.ts";
import { Scenario, sweepStale } from "../support/scenario.ts";

const leftovers = async (prefix: string) => ({
  containers: await dockerLines("ps", "-a", "--filter", `name=${prefix}`, "--format", "{{.Names}}"),
  networks: await dockerLines("network", "ls", "--filter", `name=${prefix}`, "--format", "{{.Name}}"),
});

describe("test scenario harness", () => {
  it("fails with a clear message when there is no engine", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rgt-noengine-"));
    try {
      await expect(requireEngine(join(dir, "docker.sock"))).rejects.toThrow(
        /^no Docker engine at unix:\/\/.*docker\.sock: .* — run `sudo bash scripts\/provision-engine\.sh`$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("removes everything it built, including after a builder failed", { timeout: 120_000 }, async () => {
    const scenario = await Scenario.create();
    const { parent } = await scenario.veth().catch(async (error: unknown) => {
      await scenario.cleanup();
      throw error;
    });
    try {
      const mv = await scenario.network("mv", { driver: "macvlan", parent });
      await scenario.container("a", { network: mv.name });
      await expect(
        scenario.container("broken", { network: scenario.name("no-such-network") }),
      ).rejects.toThrow(/no-such-network/);
      expect((await leftovers(scenario.prefix)).containers.length).toBeGreaterThan(0);
    } finally {
      await scenario.cleanup();
    }
    expect(await leftovers(scenario.prefix)).toEqual({ containers: [], networks: [] });
    await expect(run("ip", ["link", "show", parent])).rejects.toThrow(/does not exist/);
  });

  it("sweeps stale objects of crashed runs by prefix and age", { timeout: 120_000 }, async () => {
    const crashed = await Scenario.create();
    await crashed.network("net");
    await crashed.container("c", { command: ["sleep", "3600"] });
    // Younger than the hour: a live run's objects are left alone.
    await sweepStale({ prefix: crashed.prefix });
    expect((await leftovers(crashed.prefix)).containers).toHaveLength(1);
    await sweepStale({ prefix: crashed.prefix, maxAgeMs: 0 });
    expect(await leftovers(crashed.prefix)).toEqual({ containers: [], networks: [] });
    await crashed.cleanup();
  });

  it("picks non-overlapping subnets for parallel networks", { timeout: 120_000 }, async () => {
    await using scenario = await Scenario.create();
    const nets = await Promise.all([1, 2, 3, 4].map((i) => scenario.network(`p${i}`)));
    expect(new Set(nets.map((n) => n.subnet)).size).toBe(4);
    for (const n of nets) expect(n.subnet).toMatch(/^10\.213\.\d+\.0\/24$/);
    const inspected = await docker(
      "network",
      "inspect",
      "--format",
      "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
      nets[0].id,
    );
    expect(inspected.trim()).toBe(nets[0].subnet);
  });
});
