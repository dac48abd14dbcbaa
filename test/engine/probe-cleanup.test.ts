/**
 * Probe helpers never outlive reachgraph: signals to real `reachgraph probe` and `reachgraph serve` processes
 * wait for helper removal, the next run sweeps what a SIGKILLed one left, a sweep removes only containers
 * reachgraph provably created, and no request carries the helper's script in its URL.
 */
import type { ChildProcess } from "node:child_process";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { hostname, constants, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEngine } from "../../server/engine/connection.ts";
import { createProbeEngine } from "../../server/engine/probe-client.ts";
import { PROBE_SOURCE_LABEL } from "../../server/model/probe-labels.ts";
import { loadSigner } from "../../server/probe/ownership.ts";
import { runProbes } from "../../server/probe/run-probes.ts";
import { helperLabels, sweepProbeHelpers } from "../../server/probe/sweep.ts";
import { docker, dockerLines } from "../support/docker-cli.ts";
import { ENGINE_SOCKET, ENGINE_URL } from "../support/engine.ts";
import { pair, scenarioTopology, testProbeEngine } from "../support/probes.ts";
import type { ScenarioContainer } from "../support/scenario.ts";
import { Scenario, SLEEP, TEST_IMAGE } from "../support/scenario.ts";

const exec = promisify(execFile);
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node bin/reachgraph …` as a user runs it, with its output collected. */
function startCli(args: string[]): Cli {
  const child = spawn("node", ["bin/reachgraph", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every container (helper or not) carrying the probe source label of `source`. */
const helpersOf = (source: ScenarioContainer) =>
  dockerLines("ps", "-a", "--filter", `label=${PROBE_SOURCE_LABEL}=${source.id}`, "--format", "{{.Names}}");

describe("probe helpers are always removed (real engine, real processes)", () => {
  let scenario: Scenario;
  let src: ScenarioContainer;
  let slow: ScenarioContainer;
  let peer: ScenarioContainer;
  const running: Cli[] = [];
  const cli = (args: string[]) => {
    const started = startCli(args);
    running.push(started);
    return started;
  };
  /** A probe of a blocked pair with many ports: its helper lives for tens of seconds. */
  const slowProbe = () =>
    cli(["probe", src.name, slow.name, "--engine", ENGINE_URL, "--probe-image", TEST_IMAGE]);

  beforeAll(async () => {
    scenario = await Scenario.create();
    const a = await scenario.network("a");
    const b = await scenario.network("b");
    src = await scenario.container("src", { network: a.name, command: SLEEP });
    peer = await scenario.container("peer", { network: a.name });
    // UB-8: every check to this target times out, so the helper is still at work when the signal comes.
    slow = await scenario.container("slow", { network: b.name, expose: ["8000-8150"] });
  });

  afterAll(async () => {
    for (const c of running)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
    await Promise.all(running.map((c) => c.exited));
    // Anything a failed test left: remove this run's helpers by their source label.
    for (const c of [src, peer, slow].filter(Boolean)) {
      const left = await helpersOf(c);
      if (left.length) await docker("rm", "-f", ...left);
    }
    await scenario?.cleanup();
  });

  it.each(SIGNALS)(
    "`reachgraph probe` on %s removes its helper before it exits",
    { timeout: 180_000 },
    async (signal) => {
      const probe = slowProbe();
      await waitFor("the probe helper", async () => (await helpersOf(src)).length > 0);
      probe.child.kill(signal);
      const { code } = await probe.exited;
      expect(probe.stderr()).toContain("its helpers were removed");
      expect(code).toBe(128 + constants.signals[signal]);
      expect(await helpersOf(src)).toEqual([]);
    },
  );

  it.each(SIGNALS)(
    "`reachgraph serve --allow-probes` on %s aborts the run in flight and removes its helper first",
    { timeout: 180_000 },
    async (signal) => {
      const serve = cli([
        "serve",
        "--port",
        "0",
        "--allow-probes",
        "--engine",
        ENGINE_URL,
        "--probe-image",
        TEST_IMAGE,
      ]);
      let url = "";
      await waitFor("the server's URL", () => {
        url = /open (http:\/\/\S+)/.exec(serve.stdout())?.[1] ?? "";
        return url !== "";
      });
      const response = fetch(`${url}/api/probes`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: url },
        body: JSON.stringify({ from: src.name, to: slow.name }),
      }).catch((error: unknown) => error);
      await waitFor("the probe helper", async () => (await helpersOf(src)).length > 0);
      serve.child.kill(signal);
      const { code } = await serve.exited;
      await response;
      expect(serve.stderr()).toContain(`${signal}: removing probe helpers before exit`);
      expect(code).toBe(0);
      expect(await helpersOf(src)).toEqual([]);
    },
  );

  it("the next run removes the helpers of a SIGKILLed run", { timeout: 180_000 }, async () => {
    const killed = slowProbe();
    await waitFor("the probe helper", async () => (await helpersOf(src)).length > 0);
    killed.child.kill("SIGKILL");
    await killed.exited;
    // SIGKILL cannot be caught: the helper is left behind, its deadline still ahead.
    expect(await helpersOf(src)).not.toEqual([]);
    const next = await exec(
      "node",
      ["bin/reachgraph", "probe", peer.name, "@host", "--engine", ENGINE_URL, "--probe-image", TEST_IMAGE],
      { timeout: 120_000 },
    );
    expect(next.stdout).toContain(`${peer.name} -> @host`);
    expect(await helpersOf(src)).toEqual([]);
  });

  it(
    "`serve --allow-probes` sweeps a SIGKILLed run's helpers at start-up",
    { timeout: 180_000 },
    async () => {
      const killed = slowProbe();
      await waitFor("the probe helper", async () => (await helpersOf(src)).length > 0);
      killed.child.kill("SIGKILL");
      await killed.exited;
      expect(await helpersOf(src)).not.toEqual([]);
      const serve = cli(["serve", "--port", "0", "--allow-probes", "--engine", ENGINE_URL]);
      // No probe is asked for: the server's own sweep removes it.
      await waitFor("the start-up sweep", async () => (await helpersOf(src)).length === 0);
      serve.child.kill("SIGTERM");
      expect((await serve.exited).code).toBe(0);
    },
  );

  it("a sweep leaves containers it did not create, labels or not", { timeout: 180_000 }, async () => {
    const signer = loadSigner();
    const gone = `${hostname()}:999999`;
    // Labels anyone can set: the probe label, an expired deadline, a dead owner, and a made-up MAC.
    const forged = await scenario.container("mine", {
      command: SLEEP,
      labels: {
        "reachgraph.probe": "1",
        [PROBE_SOURCE_LABEL]: src.id,
        "reachgraph.probe.deadline": "1",
        "reachgraph.probe.owner": gone,
        "reachgraph.probe.mac": "0".repeat(64),
      },
    });
    // A real helper's labels, copied onto a container with another name: the MAC covers the name.
    const copied = await scenario.container("copied", {
      command: SLEEP,
      labels: helperLabels(signer, {
        name: "reachgraph-probe-elsewhere-0",
        runId: "elsewhere",
        source: src.id,
        deadline: 1,
        owner: gone,
      }),
    });
    expect(await sweepProbeHelpers(testProbeEngine(), signer)).not.toContain(forged.name);
    // A whole run (which sweeps first) leaves them too.
    const report = await runProbes(testProbeEngine(), await scenarioTopology(scenario), {
      from: [peer.name],
      to: [src.name],
      image: TEST_IMAGE,
    });
    expect(pair(report, peer.name, src.name).verdict).toBe("reachable");
    expect((await helpersOf(src)).sort()).toEqual([copied.name, forged.name].sort());
    await docker("rm", "-f", forged.name, copied.name);
  });

  it(
    "keeps the helper's script out of every URL, and never removes volumes",
    { timeout: 180_000 },
    async () => {
      await using proxy = await recordingProxy();
      const engine = createProbeEngine(resolveEngine({ engine: proxy.url }));
      const topology = await scenarioTopology(scenario);
      // 1,200 ports: a script of about 40 kB, far past a proxy's 16 kB header limit.
      const extraPorts = Array.from({ length: 1200 }, (_, i) => 20_000 + i);
      const report = await runProbes(engine, topology, {
        from: [src.name],
        to: [peer.name],
        image: TEST_IMAGE,
        extraPorts,
      });
      expect(report.sources.map((s) => [s.status, s.message])).toEqual([["ok", undefined]]);
      expect(pair(report, src.name, peer.name).verdict).toBe("reachable");
      // One helper create (its name alone in the query), beside the write check's create that the engine refuses.
      const creates = proxy.lines.filter(
        (l) => l.startsWith("POST ") && l.includes("/containers/create?name="),
      );
      expect(creates).toHaveLength(1);
      expect(Math.max(...proxy.lines.map((l) => l.length))).toBeLessThan(512);
      const removals = proxy.lines.filter((l) => l.startsWith("DELETE "));
      expect(removals.length).toBeGreaterThan(0);
      for (const line of removals) expect(line).toMatch(/[?&]v=false(&|$)/);
    },
  );
});

/** An HTTP proxy in front of the engine's socket with a 16 kB header limit (431 past it), recording request lines. */
async function recordingProxy(): Promise<{
  url: string;
  lines: string[];
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "rgt-proxy-"));
  const socketPath = join(dir, "proxy.sock");
  const lines: string[] = [];
  const server: Server = createServer(
    { maxHeaderSize: 16 * 1024 },
    (req: IncomingMessage, res: ServerResponse) => {
      lines.push(`${req.method} ${req.url}`);
      const upstream = request(
        { socketPath: ENGINE_SOCKET, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    url: `unix://${socketPath}`,
    lines,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
