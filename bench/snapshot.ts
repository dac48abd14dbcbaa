import Docker from "dockerode";
import { Collector, collectTopology } from "../server/collector/collect.ts";
import { createEngineClient } from "../server/engine/client.ts";
import { resolveEngine } from "../server/engine/connection.ts";
import { mapLimit } from "../server/collector/map-limit.ts";
import { Scenario, SLEEP } from "../test/support/scenario.ts";
import { median, ms, printTable, target, timeRuns } from "./stats.ts";
import type { Row } from "./stats.ts";

const RUNS = 15;

/**
 * Snapshot collection on the real engine at `size` containers: reachgraph's warm and cold snapshot against
 * the engine's two raw list calls (the floor) and against inspecting every container (the naive way).
 */
export async function benchSnapshot(sizes: number[]): Promise<void> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const scenario = await Scenario.create();
    try {
      const networks: { name: string }[] = [];
      for (let i = 0; i < Math.max(2, Math.ceil(size / 50)); i++)
        networks.push(await scenario.network(`n${i}`));
      const existing = (
        await new Docker({ socketPath: "/var/run/docker.sock" }).listContainers({ all: true })
      ).length;
      const toMake = Math.max(0, size - existing);
      const started = performance.now();
      await mapLimit([...Array(toMake).keys()], 6, (i) =>
        scenario.container(`c${i}`, { network: networks[i % networks.length].name, command: SLEEP }),
      );
      console.error(
        `bench: started ${toMake} containers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      rows.push(await measure());
    } finally {
      await scenario.cleanup();
    }
  }
  printTable("Snapshot collection (real engine, medians of " + RUNS + " runs)", rows);
}

async function measure(): Promise<Row> {
  const docker = new Docker({ socketPath: "/var/run/docker.sock" });
  const client = createEngineClient(resolveEngine());
  const rawLists = () => Promise.all([docker.listContainers({ all: true }), docker.listNetworks()]);
  const naive = async () => {
    const [containers] = await rawLists();
    await mapLimit(containers, 8, (c) => docker.getContainer(c.Id).inspect());
  };
  const warm = new Collector(client);
  await warm.fullSync();
  // Interleave the contenders so drift on a noisy machine hits all of them alike.
  const times = { raw: [] as number[], warm: [] as number[], cold: [] as number[], naive: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.raw.push(...(await timeRuns(1, rawLists)));
    times.warm.push(
      ...(await timeRuns(1, async () => {
        await warm.fullSync();
        warm.topology();
      })),
    );
    times.cold.push(...(await timeRuns(1, () => collectTopology(client))));
    times.naive.push(...(await timeRuns(1, naive)));
  }
  const count = (await docker.listContainers({ all: true })).length;
  const [raw, hot, cold, naiveMs] = [times.raw, times.warm, times.cold, times.naive].map(median);
  target(
    `snapshot at ${count} containers vs raw lists`,
    `${(hot / raw).toFixed(2)}×`,
    "≤ 1.25×",
    hot / raw <= 1.25,
  );
  return {
    containers: count,
    "raw 2 lists": ms(raw),
    "reachgraph (warm)": ms(hot),
    "warm/raw": `${(hot / raw).toFixed(2)}×`,
    "reachgraph (cold, inspects)": ms(cold),
    "naive inspect-all": ms(naiveMs),
    "naive/warm": `${(naiveMs / hot).toFixed(1)}×`,
    source: "real engine",
  };
}
