import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { fleetTopology } from "../../server/example/fleet.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { loadFleetRecording } from "../support/recording.ts";
import type { FleetReplay } from "../support/replay-engine.ts";
import { startFleetReplay } from "../support/replay-engine.ts";

/** Merged fleets from recordings of the real three-node swarm, read through dockerode from replay engines. */
const swarm = loadFleetRecording("swarm");
const down = loadFleetRecording("down");

async function collect(replay: FleetReplay, keys: string[]): Promise<Topology> {
  return collectFleet(
    keys.map((key) => ({ client: createEngineClient(resolveEngine({ engine: replay.engine(key).url })) })),
  );
}

const byId = (t: Topology, id: string) => t.containers.find((c) => c.id === id) as Container;

describe("a fleet merged from the recorded three-node swarm", () => {
  let replay: FleetReplay;
  let all: Topology;
  let managerOnly: Topology;

  beforeAll(async () => {
    replay = await startFleetReplay(swarm.recording);
    [all, managerOnly] = await Promise.all([
      collect(replay, ["vm", "node2", "node3"]),
      collect(replay, ["vm"]),
    ]);
  });
  afterAll(() => replay.close());

  it("keys every engine by its swarm node's hostname and places each container on its machine", () => {
    expect(all.engines.map((e) => [e.key, e.swarmNode?.role])).toEqual([
      ["vm", "manager"],
      ["node2", "worker"],
      ["node3", "worker"],
    ]);
    for (const { engine, id } of Object.values(swarm.manifest.containers)) {
      expect(byId(all, id).node).toBe(engine);
      expect(byId(all, id).engine).toBe(engine);
    }
    expect(all.swarm?.nodes.map((n) => [n.hostname, n.engine])).toEqual([
      ["node2", "node2"],
      ["node3", "node3"],
      ["vm", "vm"],
    ]);
  });

  it("qualifies the name both vm and node2 use, and only that one", () => {
    const twins = ["twin@vm", "twin@node2"].map((k) => byId(all, swarm.manifest.containers[k].id));
    expect(twins.map((c) => c.name)).toEqual(["rgt-fleet-twin@vm", "rgt-fleet-twin@node2"]);
    expect(twins.map((c) => c.bareName)).toEqual(["rgt-fleet-twin", "rgt-fleet-twin"]);
    expect(byId(all, swarm.manifest.containers.solo.id).name).toBe("rgt-fleet-solo");
    const names = all.containers.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("keeps a local network per machine and stitches the overlay by ID across the nodes", () => {
    const local = all.networks.filter((n) => n.name === "rgt-fleet-local");
    expect(local.map((n) => n.node).sort()).toEqual(["node2", "vm"]);
    const mesh = all.networks.filter((n) => n.id === swarm.manifest.networks.mesh.id);
    expect(mesh).toHaveLength(1);
    expect(mesh[0].node).toBeUndefined();
    expect(mesh[0].nodes).toEqual(["node2", "node3", "vm"]);
    expect(mesh[0].views?.map((v) => v.node)).toEqual(["node2", "node3", "vm"]);
    const addrs = all.swarm?.nodes.map((n) => n.addr).sort();
    for (const view of mesh[0].views ?? []) expect(view.peers.map((p) => p.ip).sort()).toEqual(addrs);
  });

  it("reads the services as the manager reports them: endpoint modes, VIPs, aliases and publish modes", () => {
    const services = Object.fromEntries((all.swarm?.services ?? []).map((s) => [s.id, s]));
    const { web, dns, ingress, hostport } = swarm.manifest.services;
    expect(services[web.id].endpointMode).toBe("vip");
    expect(services[web.id].virtualIps.map((v) => v.networkId)).toContain(swarm.manifest.networks.mesh.id);
    expect(services[dns.id].endpointMode).toBe("dnsrr");
    expect(services[dns.id].virtualIps).toEqual([]);
    expect(services[ingress.id].ports.map((p) => p.publishMode)).toEqual(["ingress"]);
    expect(services[hostport.id].ports.map((p) => p.publishMode)).toEqual(["host"]);
  });

  it("every task's container is the one the node's engine reported; a manager alone shows the others from /tasks", () => {
    const running = (all.swarm?.tasks ?? []).filter((t) => t.desiredState === "running");
    expect(running.length).toBeGreaterThan(0);
    for (const task of running) {
      const real = all.containers.find((c) => c.swarm?.taskId === task.id) as Container;
      expect(real.id).toBe(task.containerId);
      const alone = byId(managerOnly, real.id);
      expect(alone.node).toBe(real.node);
      if (real.node === "vm") expect(alone).toEqual({ ...real, name: alone.name });
      else {
        expect(alone.engine).toBeUndefined();
        expect(alone.inspected).toBe(false);
        expect(alone.swarm?.taskId).toBe(task.id);
        for (const iface of alone.interfaces) {
          const seen = real.interfaces.find((f) => f.networkId === iface.networkId);
          expect([iface.network, iface.ipv4, iface.prefixLength]).toEqual([
            seen?.network,
            seen?.ipv4,
            seen?.prefixLength,
          ]);
        }
      }
    }
    // Standalone containers of other nodes are not in a manager's lists: they need their node's engine.
    expect(managerOnly.containers.some((c) => c.id === swarm.manifest.containers.solo.id)).toBe(false);
  });
});

describe("a fleet whose worker's engine is down (test/fixtures/fleet/down.json)", () => {
  it("shows the node down and its tasks on it, known only from the manager's /tasks", () => {
    const topology = fleetTopology(down.recording, { kind: "snapshot", label: "down", capturedAt: "" });
    const gone = topology.swarm?.nodes.find((n) => n.hostname !== "vm");
    expect(gone?.state).toBe("down");
    expect(gone?.engine).toBeUndefined();
    const tasks = topology.containers.filter((c) => c.swarm?.service === down.manifest.services.spread.name);
    const placed = tasks.filter((c) => c.node === gone?.hostname);
    for (const c of placed) expect(c.engine).toBeUndefined();
    expect(tasks.filter((c) => c.node === "vm").every((c) => c.engine === "vm")).toBe(true);
  });
});
