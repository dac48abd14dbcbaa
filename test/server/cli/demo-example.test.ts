import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Topology } from "../../../server/model/topology.ts";

const exec = promisify(execFile);

/** `reachgraph serve --port 0 ARGS…` until its first stdout line (the address), then the topology it serves. */
async function served(args: string[]): Promise<{ topology: Topology; stderr: string }> {
  const child = spawn("node", ["bin/reachgraph", "serve", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve(stdout.split("\n")[0]);
      });
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    const url = /open (http:\/\/\S+)/.exec(line)?.[1] ?? "";
    const res = await fetch(new URL("/api/topology", url));
    return { topology: (await res.json()) as Topology, stderr };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

describe("serve --demo EXAMPLE", () => {
  it("serves the recorded three-node swarm as one fleet with --demo swarm", async () => {
    const { topology, stderr } = await served(["--demo", "swarm"]);
    expect(stderr).toContain("serving the bundled example A three-node swarm");
    expect(topology.engines.map((e) => e.key)).toEqual(["vm", "node2", "node3"]);
    expect(topology.swarm?.nodes.map((n) => n.hostname).sort()).toEqual(["node2", "node3", "vm"]);
    const nodes = new Set(topology.containers.map((c) => c.node));
    expect(nodes).toEqual(new Set(["vm", "node2", "node3"]));
    // The same-named agent of every node is qualified by its node (name@node), its engine name kept.
    const agents = topology.containers.filter((c) => c.bareName === "agent").map((c) => c.name);
    expect(agents.sort()).toEqual(["agent@node2", "agent@node3", "agent@vm"]);
    const frontend = topology.networks.find((n) => n.name === "frontend");
    expect(frontend?.nodes?.slice().sort()).toEqual(["node2", "node3", "vm"]);
  });

  it("keeps plain --demo on the default example", async () => {
    const { topology } = await served(["--demo"]);
    expect(topology.engines).toHaveLength(1);
    expect(topology.source.label).toMatch(/^bundled example/);
  });

  it("answers an unknown example with one line naming it and the examples there are", async () => {
    const failed = await exec("node", ["bin/reachgraph", "serve", "--port", "0", "--demo", "nope"], {
      timeout: 60_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).not.toBe(0);
    const stderr = (failed as { stderr: string }).stderr;
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^reachgraph: --demo "nope": no such example; expected one of bridges, .*swarm/);
  });
});
