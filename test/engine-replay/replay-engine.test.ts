import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineClient } from "../../server/engine/client.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { ApiEvent } from "../../server/model/engine-api.ts";
import { collectTopology } from "../../server/collector/collect.ts";
import { engineRequest } from "../support/engine.ts";
import type { EngineRecording } from "../support/recording.ts";
import { loadRecording } from "../support/recording.ts";
import type { ReplayEngine } from "../support/replay-engine.ts";
import { startReplayEngine } from "../support/replay-engine.ts";
import { FAKE_SECRET_LABEL } from "../support/scenarios.ts";

const { recording, manifest } = loadRecording("full");

describe("replay engine", () => {
  let replay: ReplayEngine;
  let client: EngineClient;
  const get = (path: string) => engineRequest("GET", path, undefined, replay.socketPath);

  beforeAll(async () => {
    replay = await startReplayEngine(structuredClone(recording), { tcp: true });
    client = createEngineClient(resolveEngine({ engine: replay.url }));
  });
  afterAll(() => replay.close());

  it("answers /_ping like the engine, with and without a version prefix", async () => {
    const ping = await get("/_ping");
    expect(ping).toMatchObject({ statusCode: 200, body: "OK" });
    expect(ping.headers["api-version"]).toBe(recording.version.ApiVersion);
    expect((await get("/v1.41/_ping")).body).toBe("OK");
  });

  it("serves /version and /info to dockerode", async () => {
    expect(await client.version()).toEqual(recording.version);
    expect(await client.info()).toEqual(recording.info);
  });

  it("lists every recorded container with all=1 and only running ones without", async () => {
    expect(await client.listContainers()).toEqual(recording.containers);
    const running = JSON.parse((await get("/v1.41/containers/json")).body) as { State: string }[];
    expect(running.length).toBe(recording.containers.filter((c) => c.State === "running").length);
    expect(running.every((c) => c.State === "running")).toBe(true);
  });

  it("honours filters={id:[...]} on the container list", async () => {
    const { id } = manifest.containers.stopped;
    const filters = encodeURIComponent(JSON.stringify({ id: [id] }));
    const res = await get(`/v1.41/containers/json?all=1&filters=${filters}`);
    expect(JSON.parse(res.body)).toEqual(recording.containers.filter((c) => c.Id === id));
    const legacy = encodeURIComponent(JSON.stringify({ id: { [id]: true } }));
    expect(JSON.parse((await get(`/containers/json?all=1&filters=${legacy}`)).body)).toHaveLength(1);
  });

  it("inspects containers by ID, short ID and name", async () => {
    const { id, name } = manifest.containers.api;
    const expected = recording.containerInspects[id];
    expect(await client.inspectContainer(id)).toEqual(expected);
    expect(await client.inspectContainer(id.slice(0, 12))).toEqual(expected);
    expect(await client.inspectContainer(name)).toEqual(expected);
  });

  it("answers unknown IDs with 404 and the engine's error body", async () => {
    const res = await get("/v1.41/containers/nope/json");
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ message: "No such container: nope" });
    expect(await client.inspectContainer("nope")).toBeNull();
    expect((await get("/networks/nope")).statusCode).toBe(404);
    expect(await client.inspectNetwork("nope")).toBeNull();
  });

  it("lists and inspects networks", async () => {
    expect(await client.listNetworks()).toEqual(recording.networks);
    const { id } = manifest.networks.ovl;
    expect(await client.inspectNetwork(id)).toEqual(recording.networkInspects[id]);
  });

  it("streams recorded events as NDJSON, then keeps the stream open for new ones", async () => {
    const abort = new AbortController();
    const stream = await client.events(abort.signal);
    const seen: ApiEvent[] = [];
    const live: ApiEvent = {
      Type: "container",
      Action: "die",
      Actor: { ID: manifest.containers.api.id, Attributes: { name: manifest.containers.api.name } },
      time: 1,
    };
    for await (const event of stream) {
      seen.push(event);
      // The stream is still open after the recording: an event emitted now arrives on it.
      if (seen.length === recording.events.length) replay.emit(live);
      if (seen.length === recording.events.length + 1) break;
    }
    abort.abort();
    expect(seen).toEqual([...recording.events, live]);
  });

  it("is reachable over TCP too", async () => {
    const tcp = createEngineClient(resolveEngine({ engine: replay.tcpUrl ?? "" }));
    expect(await tcp.listNetworks()).toEqual(recording.networks);
  });
});

describe("bundled example (server/example/recorded-engine.json)", () => {
  it("has the recording's shape, replays through dockerode, and carries no env or secret labels", async () => {
    const path = new URL("../../server/example/recorded-engine.json", import.meta.url);
    const text = readFileSync(path, "utf8");
    const example = JSON.parse(text) as EngineRecording;
    expect(Object.keys(example).sort()).toEqual([
      "containerInspects",
      "containers",
      "events",
      "info",
      "networkInspects",
      "networks",
      "recordedAt",
      "version",
    ]);
    expect(example.containers.map((c) => c.Id).sort()).toEqual(recording.containers.map((c) => c.Id).sort());
    expect(text).not.toMatch(/"Env"/);
    expect(text).not.toContain(FAKE_SECRET_LABEL.key);
    await using replay = await startReplayEngine(example);
    const topology = await collectTopology(createEngineClient(resolveEngine({ engine: replay.url })));
    expect(topology.containers).toHaveLength(example.containers.length);
    expect(topology.networks).toHaveLength(example.networks.length);
  });
});
