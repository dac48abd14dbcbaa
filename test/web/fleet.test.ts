import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fleetTopology } from "../../server/example/fleet.ts";
import type { FleetRecording } from "../../server/model/engine-api.ts";
import { SCHEMA_VERSION } from "../../server/model/topology.ts";
import { notices } from "../../web/banner.ts";
import { createStore } from "../../web/store.ts";
import type { EngineHealth, EngineStatus, Topology } from "../../server/model/topology.ts";
import { machinesOf, staleMachines } from "../../web/fleet/health.ts";
import { laneLayout } from "../../web/fleet/lanes.ts";
import { buildGraphModel } from "../../web/graph/model.ts";
import { scopeTopology } from "../../web/scope/apply.ts";
import { EMPTY_SCOPE } from "../../web/scope/scope.ts";
import { twoEngineFleet } from "../support/fleet-topologies.ts";

const VIEW = { showSystem: true, showEmpty: true, showAddresses: true };

/** A fleet recorded on the real swarm (test/fixtures/fleet), merged as the collector merges it. */
function recorded(name: "swarm" | "down"): Topology {
  const file = new URL(`../fixtures/fleet/${name}.json`, import.meta.url);
  const recording = JSON.parse(readFileSync(file, "utf8")) as FleetRecording;
  return fleetTopology(recording, { kind: "snapshot", label: name, capturedAt: recording.recordedAt ?? "" });
}

/** The collector's status for a fleet whose engine `lost` stopped answering. */
function statusOf(t: Topology, lost: string): EngineStatus {
  const engines: EngineHealth[] = t.engines.map((e) => ({
    key: e.key,
    url: `unix:///run/${e.key}.sock`,
    reachable: e.key !== lost,
    stale: e.key === lost,
    apiVersion: e.info.apiVersion,
    serverVersion: e.info.serverVersion,
    swarmRole: null,
    error: e.key === lost ? "connect ENOENT" : null,
    lastSyncAt: t.source.capturedAt,
  }));
  return {
    reachable: true,
    stale: true,
    source: t.source,
    engineUrl: engines[0].url,
    apiVersion: null,
    serverVersion: null,
    error: null,
    lastSyncAt: t.source.capturedAt,
    engines,
  };
}

describe("a fleet on the page", () => {
  it("marks a lost engine down and its containers stale, and no other machine's", () => {
    const fleet = twoEngineFleet();
    const machines = machinesOf(fleet, statusOf(fleet, "beta"));
    expect(machines.map((m) => [m.key, m.state])).toEqual([
      ["alpha", "live"],
      ["beta", "down"],
    ]);
    expect(machines[1].text).toContain("unreachable");
    expect([...staleMachines(machines)]).toEqual(["beta"]);
    const model = buildGraphModel(fleet, VIEW, machines);
    const containers = model.nodes.filter((n) => n.kind === "container");
    const stale = containers.filter((n) => n.stale);
    expect(stale.length).toBe(fleet.containers.filter((c) => c.node === "beta").length);
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((n) => n.node === "beta" && n.cls.split(" ").includes("stale"))).toBe(true);
    expect(containers.filter((n) => n.node === "alpha").some((n) => n.stale)).toBe(false);
    expect(model.lanes?.map((l) => [l.key, l.state])).toEqual([
      ["alpha", "live"],
      ["beta", "down"],
    ]);
  });

  it("keeps each machine's nodes in its own tile and what spans machines in the band above", () => {
    const fleet = twoEngineFleet();
    const model = buildGraphModel(fleet, VIEW, machinesOf(fleet, null));
    const lanes = new Map(model.lanes?.map((l) => [l.key, l]));
    for (const n of model.nodes) {
      const lane = n.node !== null ? lanes.get(n.node) : undefined;
      if (n.node !== null) expect(lane).toBeDefined();
      if (lane) expect(n.box).toEqual({ key: lane.key, x0: lane.x0, y0: lane.y0, x1: lane.x1, y1: lane.y1 });
      else expect(n.box && n.box.y1 <= Math.min(...[...lanes.values()].map((l) => l.y0))).toBe(true);
    }
    // One engine draws as ever: no tiles, no boxes.
    const one = buildGraphModel(
      { ...fleet, engines: fleet.engines.slice(0, 1), containers: [], networks: [] },
      VIEW,
    );
    expect(one.lanes).toBeUndefined();
  });

  it("lays tiles out side by side for three machines and in rows of seven for thirty, never overlapping", () => {
    const three = laneLayout(["vm", "node2", "node3"].map((key) => ({ key, members: 1000 })));
    expect(new Set(three?.lanes.map((l) => l.y0)).size).toBe(1);
    const thirty = laneLayout(Array.from({ length: 30 }, (_, i) => ({ key: `n${i}`, members: 300 })));
    const rows = new Set(thirty?.lanes.map((l) => l.y0));
    expect(rows.size).toBe(5);
    const lanes = thirty?.lanes ?? [];
    for (const a of lanes)
      for (const b of lanes)
        if (a !== b) expect(a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0).toBe(true);
    expect(lanes.every((l) => (thirty?.band.y1 ?? 0) < l.y0)).toBe(true);
    // A tile holds its busiest machine's members: the side grows with their count.
    expect(
      three && thirty && three.lanes[0].x1 - three.lanes[0].x0 > thirty.lanes[0].x1 - thirty.lanes[0].x0,
    ).toBe(true);
    expect(laneLayout([{ key: "solo", members: 10 }])).toBeNull();
  });

  it("filters by node and by engine, with the networks the kept containers use", () => {
    const fleet = twoEngineFleet();
    const beta = scopeTopology(fleet, { ...EMPTY_SCOPE, nodes: ["beta"] });
    expect(beta.containers.length).toBe(fleet.containers.filter((c) => c.node === "beta").length);
    expect(beta.containers.every((c) => c.node === "beta")).toBe(true);
    expect(beta.networks.every((n) => n.node === "beta" || n.scope === "swarm")).toBe(true);
    const alpha = scopeTopology(fleet, { ...EMPTY_SCOPE, engines: ["alpha"] });
    expect(alpha.containers.every((c) => c.engine === "alpha")).toBe(true);
    expect(alpha.containers.length + beta.containers.length).toBe(fleet.containers.length);
  });

  it("takes a node the manager reports down for down, and its tasks, known only from /tasks, for stale", () => {
    const down = recorded("down");
    const machines = machinesOf(down, null);
    const lost = machines.find((m) => m.node?.state === "down");
    expect(lost?.state).toBe("down");
    expect(lost?.engine).toBeNull();
    const model = buildGraphModel(down, VIEW, machines);
    const tasks = model.nodes.filter((n) => n.kind === "container" && n.service !== null);
    expect(tasks.filter((n) => n.stale).map((n) => n.node)).toEqual([lost?.key]);
    expect(model.lanes?.find((l) => l.key === lost?.key)?.state).toBe("down");
  });

  it("collapses a swarm service spanning machines into one vertex in the band, and expands it again", () => {
    const swarm = recorded("swarm");
    const manifest = JSON.parse(
      readFileSync(new URL("../fixtures/fleet/swarm.manifest.json", import.meta.url), "utf8"),
    ) as { services: { web: { id: string } } };
    const web = swarm.swarm?.services.find((s) => s.id === manifest.services.web.id);
    if (!web) throw new Error("the swarm recording has no web service");
    const tasks = swarm.containers.filter((c) => c.swarm?.service === web.name);
    expect(new Set(tasks.map((t) => t.node)).size).toBeGreaterThan(1);
    const model = buildGraphModel(swarm, VIEW, machinesOf(swarm, null), [web.name]);
    const vertex = model.nodes.find((n) => n.kind === "service");
    expect(vertex?.id).toBe(web.id);
    expect(vertex?.node).toBeNull();
    expect(vertex?.box).toBeDefined();
    expect(model.lanes?.every((l) => (vertex?.box?.y1 ?? Infinity) < l.y0)).toBe(true);
    expect(model.nodes.some((n) => tasks.some((t) => t.id === n.id))).toBe(false);
    const expanded = buildGraphModel(swarm, VIEW, machinesOf(swarm, null));
    expect(expanded.nodes.filter((n) => tasks.some((t) => t.id === n.id))).toHaveLength(tasks.length);
  });

  it("applies a delta carrying the whole swarm: a node gone down is down on the page", () => {
    const swarm = recorded("swarm");
    const store = createStore();
    const status: EngineStatus = { ...statusOf(swarm, ""), stale: false };
    store.applySnapshot(1, swarm, status);
    const node3 = swarm.swarm?.nodes.find((n) => n.hostname === "node3");
    if (!swarm.swarm || !node3) throw new Error("the swarm recording has no node3");
    // The manager's next /nodes as the collector sends it: node3 down (the engine killed, as in down.json).
    const node2 = swarm.swarm.nodes.find((n) => n.hostname === "node2");
    const gone = {
      ...swarm.swarm,
      nodes: swarm.swarm.nodes.map((n) =>
        n === node3 ? { ...n, state: "down" } : n === node2 ? { ...n, availability: "drain" } : n,
      ),
    };
    store.applyDelta({
      schemaVersion: SCHEMA_VERSION,
      seq: 2,
      capturedAt: swarm.source.capturedAt,
      upsertNetworks: [],
      removeNetworks: [],
      upsertContainers: [],
      removeContainers: [],
      swarm: gone,
    });
    const after = store.get();
    expect(after.topology?.swarm).toBe(gone);
    const machines = machinesOf(after.topology, after.status);
    expect(machines.find((m) => m.key === "node3")?.state).toBe("down");
    const drained = machines.find((m) => m.key === "node2");
    expect([drained?.state, drained?.availability]).toEqual(["live", "drain"]);
    expect(drained?.text).toContain("drain");
    const said = notices(after);
    expect(said.find((n) => n.kind === "machine-down")?.text).toBe(
      "node3 is down (swarm node down). Its containers are kept and marked stale.",
    );
    expect(said.find((n) => n.kind === "node-drain")?.text).toBe(
      "Swarm node node2 is set to drain: the manager moves its tasks elsewhere.",
    );
    // node3's tasks are stale on the page; node2's, drained but up, are not.
    const model = buildGraphModel(after.topology as Topology, VIEW, machines);
    const stale = model.nodes.filter((n) => n.stale).map((n) => n.node);
    expect(stale.length).toBeGreaterThan(0);
    expect(new Set(stale)).toEqual(new Set(["node3"]));
  });
});
