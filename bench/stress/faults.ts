import { collectTopology } from "../../server/collector/collect.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { createProbeEngine } from "../../server/engine/probe-client.ts";
import { PROBE_LABEL } from "../../server/model/probe-labels.ts";
import { startServer } from "../../server/http/server.ts";
import type { ServerEvent } from "../../server/model/topology.ts";
import { runProbes } from "../../server/probe/run-probes.ts";
import { EngineEvents } from "../../test/support/engine-events.ts";
import { startEventsCuttingProxy } from "../../test/support/engine-proxy.ts";
import type { ExtraEngine } from "../../test/support/extra-engine.ts";
import { startExtraEngine } from "../../test/support/extra-engine.ts";
import { removeContainers, startContainers, waitConverged } from "../../test/support/faults.ts";
import { SseClient } from "../../test/support/sse.ts";
import type { StressFigure, StressSection } from "./section.ts";

const BURST = Number(process.env.STRESS_BURST ?? 300);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Faults injected into a second, disposable dockerd and survived: SIGKILL and restart, the events stream cut
 * by a proxy, a burst of containers. Each ends with the served topology compared with the engine's inspects.
 */
export async function run(): Promise<StressSection> {
  const engine = await startExtraEngine();
  const figures: StressFigure[] = [];
  try {
    figures.push(...(await killAndRestart(engine)));
    figures.push(...(await cutEvents(engine)));
    figures.push(...(await burst(engine)));
    figures.push(await probeHelpers(engine));
  } finally {
    await engine.stop();
  }
  const survived = figures.filter((f) => f.name.endsWith("stale objects after recovery") && f.ok).length;
  figures.unshift({
    name: "faults injected and survived",
    value: `${survived}/3`,
    target: "3/3",
    ok: survived === 3,
  });
  return { title: "faults", figures };
}

async function withServer<T>(engineUrl: string, fn: (url: string, sse: SseClient) => Promise<T>): Promise<T> {
  const server = await startServer({ port: 0, engine: engineUrl });
  const sse = await SseClient.open(`${server.url}/api/events`);
  try {
    await sse.next((ev) => ev.type === "snapshot");
    return await fn(server.url, sse);
  } finally {
    await sse.close();
    await server.close();
  }
}

const id = async (out: Promise<string>) => (await out).trim();
const stale = (name: string, left: string[]): StressFigure => ({
  name: `${name}: stale objects after recovery`,
  value: left.length,
  target: "0",
  ok: left.length === 0,
});

async function killAndRestart(e: ExtraEngine): Promise<StressFigure[]> {
  await e.docker("network", "create", "kill-net");
  await e.docker("run", "-d", "--name", "keep", "--network", "kill-net", "busybox", "sleep", "3600");
  await e.docker("run", "-d", "--rm", "--name", "gone", "busybox", "sleep", "3600");
  return withServer(e.url, async (url, sse) => {
    const from = sse.events.length;
    const killedAt = await e.kill();
    await sse.next((ev) => ev.type === "status" && ev.status.stale, 10_000, from);
    const detected = Date.now() - killedAt;
    const restartAt = performance.now();
    await e.restart();
    await id(e.docker("run", "-d", "--name", "fresh", "--network", "kill-net", "busybox", "sleep", "3600"));
    const left = await waitConverged(url, e);
    return [
      {
        name: "dockerd SIGKILL: marked stale after",
        value: seconds(detected),
        target: "≤ 2 s",
        ok: detected <= 2_000,
      },
      {
        name: "dockerd restart: resynced after (restart included)",
        value: seconds(performance.now() - restartAt),
        ok: true,
      },
      stale("dockerd kill", left),
    ];
  });
}

async function cutEvents(e: ExtraEngine): Promise<StressFigure[]> {
  const proxy = await startEventsCuttingProxy(e.socket);
  try {
    return await withServer(proxy.url, async (url, sse) => {
      const from = sse.events.length;
      proxy.cutEvents();
      const cut = await sse.next((ev) => ev.type === "status" && ev.status.stale, 10_000, from);
      await e.docker("rm", "--force", "keep");
      await e.docker(
        "run",
        "-d",
        "--name",
        "cut-during",
        "--network",
        "kill-net",
        "busybox",
        "sleep",
        "3600",
      );
      const resumedAt = performance.now();
      proxy.resumeEvents();
      await sse.next((ev) => ev.type === "status" && !ev.status.stale, 60_000, sse.events.indexOf(cut) + 1);
      const resynced = performance.now() - resumedAt;
      return [
        { name: "events cut: resynced after resume", value: seconds(resynced), ok: true },
        stale("events cut", await waitConverged(url, e)),
      ];
    });
  } finally {
    await proxy.close();
  }
}

async function burst(e: ExtraEngine): Promise<StressFigure[]> {
  await e.docker("network", "create", "burst-net");
  const watcher = await EngineEvents.open(e.socket);
  try {
    return await withServer(e.url, async (url, sse) => {
      const from = sse.events.length;
      const startedAt = performance.now();
      const ids = await startContainers(e, "burst-", BURST, "burst-net");
      const up = await waitConverged(url, e);
      await removeContainers(e, ids);
      const left = await waitConverged(url, e);
      const took = performance.now() - startedAt;
      const events = watcher.count((ev) => ev.Type === "container" || ev.Type === "network");
      const deltas = sse.events.slice(from).filter((ev: ServerEvent) => ev.type === "delta").length;
      return [
        { name: `burst of ${BURST}: engine events`, value: events, ok: events >= BURST * 4 },
        {
          name: `burst of ${BURST}: SSE deltas`,
          value: deltas,
          target: "< events / 2 (coalesced)",
          ok: deltas < events / 2,
        },
        { name: `burst of ${BURST}: started, removed and converged in`, value: seconds(took), ok: true },
        stale(`burst of ${BURST}`, [...up, ...left]),
      ];
    });
  } finally {
    watcher.stop();
  }
}

/** A small probe run on the extra engine, then the helpers left on it (any run's, labelled as helpers). */
async function probeHelpers(e: ExtraEngine): Promise<StressFigure> {
  await e.docker("run", "-d", "--name", "probe-a", "--network", "burst-net", "busybox", "sleep", "3600");
  await e.docker("run", "-d", "--name", "probe-b", "--network", "burst-net", "busybox", "sleep", "3600");
  const connection = resolveEngine({ engine: e.url });
  const topology = await collectTopology(createEngineClient(connection));
  await runProbes(createProbeEngine(connection), topology, { image: "busybox:latest" });
  const left = (await e.docker("ps", "-aq", "--filter", `label=${PROBE_LABEL}`)).split("\n").filter(Boolean);
  return { name: "probe helpers leaked", value: left.length, target: "0", ok: left.length === 0 };
}
