import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { exampleTopology } from "../../server/example/example.ts";
import { exportText } from "../../server/model/export/index.ts";
import { parseSnapshot } from "../../server/model/snapshot.ts";
import { recordedFleet, twoEngineFleet } from "../support/fleet-topologies.ts";

const BIN = fileURLToPath(new URL("../../bin/reachgraph", import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      BIN,
      args,
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOCKER_HOST: "unix:///nonexistent.sock" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("reachgraph export", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("writes the same Mermaid as the pure exporter", async () => {
    const result = await run(["export", "--demo", "--format", "mermaid", "--hide-system"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(exportText("mermaid", exampleTopology(), { hideSystem: true }));
  });

  it("writes a PNG to --out", async () => {
    dir = await mkdtemp(join(tmpdir(), "reachgraph-export-"));
    const out = join(dir, "graph.png");
    const result = await run([
      "export",
      "--demo",
      "--format",
      "png",
      "--out",
      out,
      "--project",
      "rgt-demo-shop",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`to ${out}`);
    expect((await readFile(out)).subarray(1, 4).toString()).toBe("PNG");
  });

  it("names the accepted formats when --format is wrong", async () => {
    const result = await run(["export", "--demo", "--format", "gif"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'reachgraph: --format: "gif" is not an export format; expected one of svg, mermaid, dot, md, json, png',
    );
  });

  it("names the compose projects when --project is unknown", async () => {
    const result = await run(["export", "--demo", "--format", "md", "--project", "nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--project: "nope" is not a compose project here; expected one of rgt-demo-shop',
    );
  });

  it("filters a fleet by --node, --only-engine and --service as the pure exporter does", async () => {
    dir = await mkdtemp(join(tmpdir(), "reachgraph-export-"));
    const file = join(dir, "fleet.json");
    const text = JSON.stringify(twoEngineFleet());
    await writeFile(file, text);
    const topology = parseSnapshot(text, file).topology;
    const cases: Array<[string[], Parameters<typeof exportText>[2]]> = [
      [["--node", "beta"], { node: "beta" }],
      [["--only-engine", "alpha"], { engine: "alpha" }],
      [["--service", "sem-svc"], { service: "sem-svc" }],
    ];
    const swarmFile = join(dir, "swarm.json");
    const swarmText = JSON.stringify(recordedFleet("swarm"));
    await writeFile(swarmFile, swarmText);
    const swarm = parseSnapshot(swarmText, swarmFile).topology;
    const collapsed = await run([
      "export",
      "--snapshot",
      swarmFile,
      "--format",
      "mermaid",
      "--collapse-services",
    ]);
    expect(collapsed.stderr).toBe("");
    expect(collapsed.stdout).toBe(
      exportText("mermaid", swarm, { hideSystem: false, redact: false, collapse: true }),
    );
    expect(collapsed.stdout).not.toBe(exportText("mermaid", swarm));
    for (const [flags, options] of cases) {
      const result = await run(["export", "--snapshot", file, "--format", "dot", ...flags]);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(
        exportText("dot", topology, { hideSystem: false, redact: false, collapse: false, ...options }),
      );
    }
  });

  it("names the nodes, engines and services when a fleet filter names nothing", async () => {
    dir = await mkdtemp(join(tmpdir(), "reachgraph-export-"));
    const file = join(dir, "fleet.json");
    await writeFile(file, JSON.stringify(twoEngineFleet()));
    const node = await run(["export", "--snapshot", file, "--format", "md", "--node", "gamma"]);
    expect(node.code).toBe(2);
    expect(node.stderr.trim()).toBe(
      'reachgraph: --node: "gamma" is not a node here; expected one of alpha, beta',
    );
    const engine = await run(["export", "--snapshot", file, "--format", "md", "--only-engine", "gamma"]);
    expect(engine.stderr.trim()).toBe(
      'reachgraph: --only-engine: "gamma" is not an engine here; expected one of alpha, beta',
    );
    const service = await run(["export", "--demo", "--format", "md", "--service", "web"]);
    expect(service.code).toBe(2);
    expect(service.stderr.trim()).toBe(
      'reachgraph: --service: "web" is not a swarm service here; this topology has no swarm services',
    );
  });
});
