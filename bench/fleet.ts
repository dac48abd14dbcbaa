import Docker from "dockerode";
import { Collector } from "../server/collector/collect.ts";
import { readSwarmLists } from "../server/collector/fleet.ts";
import { LiveFleet } from "../server/collector/fleet-live.ts";
import type { EngineClient } from "../server/engine/client.ts";
import { createEngineClient } from "../server/engine/client.ts";
import { resolveEngine } from "../server/engine/connection.ts";
import { fleetKeys, mergeFleet } from "../server/model/fleet/merge.ts";
import { fleetPart } from "../server/model/fleet/part.ts";
import { computeReachability, indexTopology } from "../server/model/reachability/index.ts";
import type { ServerEvent, Topology } from "../server/model/topology.ts";
import { TEST_IMAGE, TEST_PREFIX } from "../test/support/scenario.ts";
import type { ReplayProcess } from "./replay-process.ts";
import { startReplayProcess } from "./replay-process.ts";
import { median, ms, printTable, quantile, target, timeRuns } from "./stats.ts";
import type { Row } from "./stats.ts";

const RUNS = 9;
const EVENTS = 25;
const REAL_SAMPLES = 15;
const REAL_ENGINES = [
  "unix:///var/run/docker.sock",
  "unix:///run/docker-node2.sock",
  "unix:///run/docker-node3.sock",
];

const clientOf = (url: string) => createEngineClient(resolveEngine({ engine: url }), 60_000);

/**
 * Fleets replayed from generated swarms (test/support/synthetic-fleet.ts): the merged snapshot against the
 * slowest engine's two raw list calls (all engines read at once), event to delta at one node and at ten with
 * the same tasks in all, and the full matrix of the merged topology; then the same on the real 3-node swarm.
 * Each replayed engine is its own process, as a real engine is: in this one they would compete with the fleet
 * they feed for its thread, and "read in parallel" would be a queue.
 */
export async function benchFleet(): Promise<void> {
  const snapshots: Row[] = [];
  const deltas: Row[] = [];
  const flat: Record<number, number> = {};
  for (const shape of [
    { nodes: 3, tasks: 1_000 },
    { nodes: 1, tasks: 5_000 },
    { nodes: 10, tasks: 5_000 },
  ]) {
    const engines = await Promise.all(
      Array.from({ length: shape.nodes }, (_, i) => startReplayProcess(shape, i)),
    );
    try {
      const clients = engines.map((e) => clientOf(e.url));
      const measured = await measureSnapshot(clients);
      const label = `${shape.nodes} nodes × ${shape.tasks} tasks`;
      snapshots.push({ fleet: label, ...measured.row, source: "replayed (synthetic swarm)" });
      if (shape.nodes > 1)
        target(
          `merged snapshot at ${label} vs the slowest engine's raw lists`,
          `${measured.ratio.toFixed(2)}×`,
          "≤ 1.3×",
          measured.ratio <= 1.3,
        );
      if (shape.nodes === 10) {
        const index = () => indexTopology(measured.topology);
        const full = await timeRuns(7, () => computeReachability(index()));
        target(`full matrix at ${label}`, ms(median(full)), "< 200 ms", median(full) < 200);
        snapshots[snapshots.length - 1]["index + matrix"] = ms(median(full));
      }
      const latencies = await measureReplayDeltas(engines);
      flat[shape.nodes] = median(latencies);
      deltas.push({
        fleet: label,
        events: latencies.length,
        "event→delta p50": ms(median(latencies)),
        "event→delta p95": ms(quantile(latencies, 0.95)),
        source: "replayed (synthetic swarm)",
      });
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  }
  printTable(
    `Fleet snapshot (replay engines, one process each, medians of ${RUNS} interleaved runs)`,
    snapshots,
  );
  printTable("Fleet event to delta (replay engines, one process each; includes the 25 ms debounce)", deltas);
  const ratio = flat[10] / flat[1];
  target(
    "fleet event→delta p50 at 10 nodes vs 1 node (5000 tasks)",
    `${ratio.toFixed(2)}× (${ms(flat[10])} vs ${ms(flat[1])})`,
    "≤ 1.2×",
    ratio <= 1.2,
  );
  await benchRealSwarm();
}

/**
 * Raw: each engine's two list calls, every engine at once, timed per engine; the slowest is the bar. Merged:
 * what a live fleet's resync does, warm — every engine's full sync and the manager's swarm lists at once —
 * then the merge.
 */
async function measureSnapshot(
  clients: EngineClient[],
): Promise<{ row: Row; ratio: number; topology: Topology }> {
  const rawLists = async () => {
    const each = await Promise.all(
      clients.map(async (c) => {
        const start = performance.now();
        await Promise.all([c.listContainers(), c.listNetworks()]);
        return performance.now() - start;
      }),
    );
    return Math.max(...each);
  };
  // The bar a swarm sets: the manager also lists its nodes, services and tasks (a worker answers 503 at once).
  const rawWithSwarm = async () => {
    const each = await Promise.all(
      clients.map(async (c) => {
        const start = performance.now();
        await Promise.all([c.listContainers(), c.listNetworks(), readSwarmLists(c)]);
        return performance.now() - start;
      }),
    );
    return Math.max(...each);
  };
  const collectors = clients.map((c) => new Collector(c));
  await Promise.all(collectors.map((c) => c.fullSync()));
  let topology!: Topology;
  const parts = { syncs: [] as number[], lists: [] as number[], merge: [] as number[] };
  const merged = async () => {
    const start = performance.now();
    const timed = async <T>(into: number[], work: Promise<T>): Promise<T> => {
      const value = await work;
      into.push(performance.now() - start);
      return value;
    };
    const [lists] = await Promise.all([
      timed(parts.lists, Promise.all(clients.map((c) => readSwarmLists(c)))),
      timed(parts.syncs, Promise.all(collectors.map((c) => c.fullSync()))),
    ]);
    const mergeStart = performance.now();
    const topologies = collectors.map((c) => c.topology());
    const keys = fleetKeys(topologies.map((t) => ({ hostname: t.engine.name, swarmMember: t.engine.swarm })));
    const fleetParts = topologies.map((t, i) =>
      fleetPart(keys[i], clients[i].url, t, lists[i], (id) => collectors[i].mirror.rawNetworkDetail(id)),
    );
    topology = mergeFleet(fleetParts, { kind: "live", label: "bench", capturedAt: new Date().toISOString() });
    parts.merge.push(performance.now() - mergeStart);
  };
  const times = { raw: [] as number[], rawSwarm: [] as number[], merged: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.raw.push(await rawLists());
    times.rawSwarm.push(await rawWithSwarm());
    times.merged.push(...(await timeRuns(1, merged)));
  }
  const [raw, hot] = [median(times.raw), median(times.merged)];
  return {
    ratio: hot / raw,
    topology,
    row: {
      containers: topology.containers.length,
      "slowest raw 2 lists": ms(raw),
      "merged (warm)": ms(hot),
      "merged/raw": `${(hot / raw).toFixed(2)}×`,
      "raw incl. swarm lists": ms(median(times.rawSwarm)),
      "merged/that": `${(hot / median(times.rawSwarm)).toFixed(2)}×`,
      "of which: engines synced": ms(median(parts.syncs)),
      "swarm lists": ms(median(parts.lists)),
      "topologies + merge": ms(median(parts.merge)),
    },
  };
}

/** A live fleet over the replay engines; one engine's container paused or unpaused, to the fleet's delta. */
async function measureReplayDeltas(engines: ReplayProcess[]): Promise<number[]> {
  const fleet = new LiveFleet(engines.map((e) => ({ client: clientOf(e.url) })));
  const waiting = new Map<string, (at: number) => void>();
  fleet.subscribe((event: ServerEvent) => {
    if (event.type !== "delta") return;
    for (const c of event.delta.upsertContainers) waiting.get(c.id)?.(performance.now());
  });
  try {
    await fleet.start();
    const latencies: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const engine = engines[i % engines.length];
      const victim = (i * 7919) % engine.containerIds.length;
      const id = engine.containerIds[victim];
      const seen = new Promise<number>((resolve) => waiting.set(id, resolve));
      const sent = performance.now();
      await engine.toggle(victim);
      const at = await Promise.race([
        seen,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error("no delta in 10 s")), 10_000)),
      ]);
      waiting.delete(id);
      latencies.push(at - sent);
    }
    return latencies;
  } finally {
    await fleet.close();
  }
}

/**
 * The real three-node swarm (the manager and node2, node3): merged snapshot versus raw lists, and from a
 * `network connect` on node2 returning to the fleet's delta showing it.
 */
async function benchRealSwarm(): Promise<void> {
  const clients = REAL_ENGINES.map(clientOf);
  const measured = await measureSnapshot(clients);
  printTable(`Fleet snapshot (real 3-node swarm, medians of ${RUNS} interleaved runs)`, [
    { fleet: "3 engines", ...measured.row, source: "real swarm" },
  ]);
  target(
    `merged snapshot on the real 3-node swarm (${measured.topology.containers.length} containers) vs the slowest engine's raw lists`,
    `${measured.ratio.toFixed(2)}×`,
    "≤ 1.3×",
    measured.ratio <= 1.3,
  );

  const node2 = new Docker({ socketPath: "/run/docker-node2.sock" });
  const name = `${TEST_PREFIX}fleetbench-${process.pid}`;
  const networks: Docker.Network[] = [];
  let container: Docker.Container | undefined;
  const fleet = new LiveFleet(clients.map((client) => ({ client })));
  try {
    for (let i = 0; i < 2; i++) networks.push(await node2.createNetwork({ Name: `${name}-n${i}` }));
    container = await node2.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ["sleep", "3600"],
      HostConfig: { NetworkMode: `${name}-n0` },
    });
    await container.start();
    const id = container.id;
    let waiter: ((at: number) => void) | undefined;
    let want: (ev: ServerEvent) => boolean = () => false;
    fleet.subscribe((event) => {
      if (want(event)) waiter?.(performance.now());
    });
    await fleet.start();
    const netId = networks[1].id;
    const has = (connected: boolean) => (ev: ServerEvent) =>
      ev.type === "delta" &&
      ev.delta.upsertContainers.some(
        (c) => c.id === id && c.interfaces.some((f) => f.networkId === netId) === connected,
      );
    const samples: number[] = [];
    for (let i = 0; i < REAL_SAMPLES; i++) {
      for (const connected of [true, false]) {
        const seen = new Promise<number>((resolve) => (waiter = resolve));
        want = has(connected);
        if (connected) await networks[1].connect({ Container: id });
        else await networks[1].disconnect({ Container: id });
        const returned = performance.now();
        const at = await Promise.race([
          seen,
          new Promise<number>((_, reject) => setTimeout(() => reject(new Error("no delta in 10 s")), 10_000)),
        ]);
        if (connected) samples.push(Math.max(0, at - returned));
      }
    }
    printTable("Fleet event to delta (real 3-node swarm, network connect on node2)", [
      {
        engines: 3,
        containers: fleet.current().topology.containers.length,
        samples: samples.length,
        p50: ms(median(samples)),
        p95: ms(quantile(samples, 0.95)),
        source: "real swarm",
      },
    ]);
    target(
      "fleet event→delta p50 on the real 3-node swarm",
      ms(median(samples)),
      "< 100 ms",
      median(samples) < 100,
    );
  } finally {
    await fleet.close();
    await container?.remove({ force: true }).catch(() => undefined);
    for (const n of networks) await n.remove().catch(() => undefined);
  }
}
