import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectTopology } from "../../server/collector/collect.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { Topology } from "../../server/model/topology.ts";
import { startEventsCuttingProxy } from "../support/engine-proxy.ts";
import type { EventsCuttingProxy } from "../support/engine-proxy.ts";
import { ENGINE_SOCKET, ENGINE_URL, requireEngine } from "../support/engine.ts";
import { Scenario, SLEEP } from "../support/scenario.ts";

/** The oldest Engine API version reachgraph claims to read (server/model/engine-api.ts: "API 1.41 and later"). */
const OLDEST = "v1.41";

const facts = (t: Topology, prefix: string) =>
  t.containers
    .filter((c) => c.name.startsWith(prefix))
    .map(
      (c) =>
        `${c.name} ${c.state} ${c.interfaces.map((i) => `${i.network}=${i.ipv4} ${i.aliases?.join(",")}`).join(" ")}`,
    )
    .sort();

describe(`a client pinned to the oldest supported Engine API, ${OLDEST}`, () => {
  let scenario: Scenario;
  let proxy: EventsCuttingProxy;

  beforeAll(async () => {
    await requireEngine();
    scenario = await Scenario.create();
    const net = await scenario.network("pinned");
    await scenario.container("a", { network: net.name, aliases: ["a-alias"], command: SLEEP });
    await scenario.container("b", { network: net.name, lifecycle: "stopped" });
    proxy = await startEventsCuttingProxy(ENGINE_SOCKET);
  });

  afterAll(async () => {
    await proxy?.close();
    await scenario?.cleanup();
  });

  it("collects the same snapshot as the engine's own version, and every request names the pinned version", async () => {
    const paths: string[] = [];
    proxy.onRequest((line) => paths.push(line));
    const pinned = resolveEngine({ engine: proxy.url });
    const client = createEngineClient({ ...pinned, options: { ...pinned.options, version: OLDEST } });
    const old = await collectTopology(client);
    const current = await collectTopology(createEngineClient(resolveEngine({ engine: ENGINE_URL })));
    expect(old.engine.apiVersion).toBe(current.engine.apiVersion);
    expect(facts(old, scenario.prefix)).toEqual(facts(current, scenario.prefix));
    expect(facts(old, scenario.prefix)).toHaveLength(2);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !p.includes(` /${OLDEST}/`))).toEqual([]);
  });
});
