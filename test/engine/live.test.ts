import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Container, ServerEvent } from "../../server/model/topology.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import { docker, dockerJson } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, SLEEP } from "../support/scenario.ts";
import { SseClient } from "../support/sse.ts";

interface Inspect {
  State: { Status: string };
  NetworkSettings: { Networks: Record<string, { IPAddress: string; MacAddress: string }> };
}

const upserted = (id: string, check: (c: Container) => boolean) => (e: ServerEvent) =>
  e.type === "delta" && e.delta.upsertContainers.some((c) => c.id === id && check(c));

describe("live topology over /api/events", () => {
  let scenario: Scenario;
  let server: RunningServer;
  let sse: SseClient;
  let front: ScenarioNetwork;
  let back: ScenarioNetwork;
  let app: ScenarioContainer;

  beforeAll(async () => {
    scenario = await Scenario.create();
    front = await scenario.network("front");
    back = await scenario.network("back");
    app = await scenario.container("app", { network: front.name, command: SLEEP });
    server = await startServer({ port: 0, engine: ENGINE_URL });
    sse = await SseClient.open(`${server.url}/api/events`);
  });

  afterAll(async () => {
    await sse?.close();
    await server?.close();
    await scenario?.cleanup();
  });

  it("starts with a snapshot of the live engine", async () => {
    const first = await sse.next(() => true);
    expect(first.type).toBe("snapshot");
    if (first.type !== "snapshot") return;
    expect(first.status.reachable).toBe(true);
    expect(first.topology.source.kind).toBe("live");
    const inspect = (await dockerJson<Inspect[]>("inspect", app.id))[0];
    const seen = first.topology.containers.find((c) => c.id === app.id);
    expect(seen?.interfaces.map((i) => [i.network, i.ipv4, i.mac])).toEqual([
      [
        front.name,
        inspect.NetworkSettings.Networks[front.name].IPAddress,
        inspect.NetworkSettings.Networks[front.name].MacAddress,
      ],
    ]);
  });

  it("sends network connect and disconnect as deltas with the engine's addresses", async () => {
    await docker("network", "connect", "--alias", "api", back.name, app.name);
    const connected = await sse.next(
      upserted(app.id, (c) => c.interfaces.some((i) => i.network === back.name)),
    );
    const inspect = (await dockerJson<Inspect[]>("inspect", app.id))[0];
    const iface =
      connected.type === "delta" &&
      connected.delta.upsertContainers[0].interfaces.find((i) => i.network === back.name);
    expect(iface && iface.ipv4).toBe(inspect.NetworkSettings.Networks[back.name].IPAddress);
    expect(iface && iface.aliases).toContain("api");

    await docker("network", "disconnect", back.name, app.name);
    await sse.next(upserted(app.id, (c) => !c.interfaces.some((i) => i.network === back.name)));
  });

  it("sends stop, start and rm as deltas", async () => {
    await docker("stop", "--time", "0", app.name);
    await sse.next(
      upserted(app.id, (c) => c.state === "exited" && c.interfaces.every((i) => i.ipv4 === null)),
    );
    await docker("start", app.name);
    await sse.next(upserted(app.id, (c) => c.state === "running" && c.interfaces[0]?.ipv4 !== null));
    await docker("rm", "-f", app.name);
    await sse.next((e) => e.type === "delta" && e.delta.removeContainers.includes(app.id));
  });

  it("sends network create and removal as deltas", async () => {
    const extra = await scenario.network("extra");
    await sse.next((e) => e.type === "delta" && e.delta.upsertNetworks.some((n) => n.id === extra.id));
    await docker("network", "rm", extra.name);
    await sse.next((e) => e.type === "delta" && e.delta.removeNetworks.includes(extra.id));
  });

  it("never re-sends the whole topology after the first snapshot", () => {
    expect(sse.events.filter((e) => e.type === "snapshot")).toHaveLength(1);
  });
});
