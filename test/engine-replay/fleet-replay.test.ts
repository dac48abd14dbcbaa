import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { fleetTopology } from "../../server/example/fleet.ts";
import type { EngineClient } from "../../server/engine/client.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { EngineError } from "../../server/engine/engine-error.ts";
import { engineRequest } from "../support/engine.ts";
import { FLEET_DIR, loadFleetRecording, type RecordedAnswer } from "../support/recording.ts";
import type { FleetReplay } from "../support/replay-engine.ts";
import { startFleetReplay } from "../support/replay-engine.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const { recording, manifest } = loadFleetRecording("swarm");
const down = loadFleetRecording("down");
const recorded = (key: string) => {
  const found = recording.engines.find((e) => e.key === key);
  if (!found) throw new Error(`no engine ${key} in the swarm recording`);
  return found.recording;
};

describe("fleet replay (test/fixtures/fleet/swarm.json, recorded from the three-node swarm)", () => {
  let fleet: FleetReplay;
  const client = (key: string): EngineClient =>
    createEngineClient(resolveEngine({ engine: fleet.engine(key).url }));

  beforeAll(async () => {
    fleet = await startFleetReplay(recording);
  });
  afterAll(() => fleet.close());

  it("starts one engine per recorded node, keyed by hostname, in the recording's order", async () => {
    expect(fleet.engines.map((e) => e.key)).toEqual(["vm", "node2", "node3"]);
    for (const { key } of fleet.engines) expect((await client(key).info()).Name).toBe(key);
    expect(() => fleet.engine("node9")).toThrow(/no engine "node9"/);
  });

  it("serves the manager's /nodes, /services and /tasks to dockerode", async () => {
    const vm = recorded("vm");
    expect(await client("vm").listNodes()).toEqual(vm.nodes);
    expect(await client("vm").listServices()).toEqual(vm.services);
    expect(await client("vm").listTasks()).toEqual(vm.tasks);
    expect(vm.nodes?.map((n) => n.Description?.Hostname).sort()).toEqual(["node2", "node3", "vm"]);
  });

  it("answers a worker's swarm lists with the 503 node2 gave", async () => {
    const answer = JSON.parse(readFileSync(join(FLEET_DIR, "not-a-manager.json"), "utf8")) as RecordedAnswer;
    for (const path of ["/v1.41/nodes", "/services", "/tasks"]) {
      const res = await engineRequest("GET", path, undefined, fleet.engine("node2").socketPath);
      expect(res.statusCode).toBe(answer.status);
      expect(res.body).toBe(answer.body);
    }
    const failure = await client("node3")
      .listTasks()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).statusCode).toBe(503);
  });

  it("filters tasks by service (ID or name) and node (ID or hostname) as swarmkit does", async () => {
    const vm = recorded("vm");
    const web = manifest.services.web;
    const get = async (filters: object) =>
      JSON.parse(
        (
          await engineRequest(
            "GET",
            `/tasks?filters=${encodeURIComponent(JSON.stringify(filters))}`,
            undefined,
            fleet.engine("vm").socketPath,
          )
        ).body,
      ) as { ID: string }[];
    const ofWeb = vm.tasks?.filter((t) => t.ServiceID === web.id).map((t) => t.ID);
    expect(ofWeb).toHaveLength(3);
    expect((await get({ service: [web.id] })).map((t) => t.ID)).toEqual(ofWeb);
    expect((await get({ service: [web.name] })).map((t) => t.ID)).toEqual(ofWeb);
    const node2 = vm.nodes?.find((n) => n.Description?.Hostname === "node2");
    const onNode2 = vm.tasks?.filter((t) => t.NodeID === node2?.ID).map((t) => t.ID);
    expect(onNode2?.length).toBeGreaterThan(0);
    expect((await get({ node: ["node2"] })).map((t) => t.ID)).toEqual(onNode2);
    expect((await get({ node: [node2?.ID] })).map((t) => t.ID)).toEqual(onNode2);
    const refused = await engineRequest(
      "GET",
      `/tasks?filters=${encodeURIComponent(JSON.stringify({ label: ["x"] }))}`,
      undefined,
      fleet.engine("vm").socketPath,
    );
    expect(refused.statusCode).toBe(400);
  });

  it("answers ?verbose=true with each node's own view of the overlay, and the plain inspect without", async () => {
    const mesh = manifest.networks.mesh.id;
    for (const key of ["vm", "node2", "node3"]) {
      const verbose = await client(key).inspectNetwork(mesh, { verbose: true });
      expect(verbose).toEqual(recorded(key).verboseNetworkInspects?.[mesh]);
      expect(verbose?.Peers?.map((p) => p.IP).sort()).toEqual(["10.232.0.1", "10.232.0.2", "10.232.0.3"]);
      const plain = await client(key).inspectNetwork(mesh);
      expect(plain).toEqual(recorded(key).networkInspects[mesh]);
      // The plain inspect lists the peers too; only the verbose one has the service backends.
      expect(plain?.Services).toBeUndefined();
      expect(Object.keys(verbose?.Services ?? {})).toContain(manifest.services.dns.name);
    }
    // A local network has no verbose view: the engine answers the plain inspect.
    const local = manifest.networks["local@node2"].id;
    expect(await client("node2").inspectNetwork(local, { verbose: true })).toEqual(
      recorded("node2").networkInspects[local],
    );
  });

  it("keeps same-named containers of different engines apart", async () => {
    const vmTwin = manifest.containers["twin@vm"];
    const node2Twin = manifest.containers["twin@node2"];
    expect(vmTwin.name).toBe(node2Twin.name);
    expect((await client("vm").inspectContainer(vmTwin.name))?.Id).toBe(vmTwin.id);
    expect((await client("node2").inspectContainer(node2Twin.name))?.Id).toBe(node2Twin.id);
  });
});

describe("fleet replay of a killed worker (test/fixtures/fleet/down.json)", () => {
  it("holds the manager only, which lists the worker Down and its task from /tasks alone", async () => {
    await using fleet = await startFleetReplay(down.recording);
    const vm = createEngineClient(resolveEngine({ engine: fleet.engine("vm").url }));
    expect(fleet.engines.map((e) => e.key)).toEqual(["vm"]);
    const gone = (await vm.listNodes()).find((n) => n.Status?.State === "down");
    expect(gone?.Description?.Hostname).toMatch(/^rgt/);
    const tasks = (await vm.listTasks()).filter((t) => t.NodeID === gone?.ID);
    expect(tasks.length).toBeGreaterThan(0);
    const ids = new Set((await vm.listContainers()).map((c) => c.Id));
    for (const t of tasks) expect(ids.has(t.Status?.ContainerStatus?.ContainerID ?? "")).toBe(false);
  });
});

describe("the fleet collector over the replayed swarm", () => {
  it("reads the same merged topology from the replay engines as fleetTopology makes from the recording", async () => {
    await using fleet = await startFleetReplay(recording);
    const live = await collectFleet(
      fleet.engines.map(({ engine }) => ({
        client: createEngineClient(resolveEngine({ engine: engine.url })),
      })),
    );
    const recorded = fleetTopology(recording, live.source);
    expect(live.engines.map((e) => e.key)).toEqual(["vm", "node2", "node3"]);
    // The live collector inspects only the containers it needs (aliases, hostnames); the rest agrees.
    const placed = (t: typeof live) =>
      t.containers.map((c) => ({
        id: c.id,
        name: c.name,
        node: c.node,
        engine: c.engine,
        swarm: c.swarm,
        interfaces: c.interfaces.map((i) => [i.networkId, i.ipv4]),
      }));
    expect(placed(live)).toEqual(placed(recorded));
    expect(live.networks).toEqual(recorded.networks);
    expect(live.swarm).toEqual(recorded.swarm);
    // Every node's own view of the overlay came through ?verbose=true.
    const mesh = live.networks.find((n) => n.id === manifest.networks.mesh.id);
    expect(mesh?.views?.map((v) => v.node).sort()).toEqual(["node2", "node3", "vm"]);
  });
});
