import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../../server/example/example.ts";
import { buildExportGraph, exportView } from "../../../server/model/export/index.ts";
import {
  HOST_KEY,
  middleEllipsis,
  MAX_LABEL,
  projectGraph,
  shortName,
} from "../../../server/model/graph/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { buildGraphModel } from "../../../web/graph/model.ts";
import { recordedFleet, twoEngineFleet } from "../../support/fleet-topologies.ts";
import { recordedState, topologyOf } from "../reachability/fixture.ts";

const INPUTS: Record<string, () => Topology> = {
  example: exampleTopology,
  "api-samples": () => topologyOf(recordedState()),
  "the recorded swarm": () => recordedFleet("swarm"),
  "two standalone engines": twoEngineFleet,
};

describe("the one projection", () => {
  for (const [name, load] of Object.entries(INPUTS)) {
    it(`${name}: the page and the exports draw the same nodes and edges`, () => {
      const topology = load();
      const page = buildGraphModel(topology, { showSystem: true, showEmpty: true, showAddresses: true });
      const exported = buildExportGraph(exportView(topology));
      const keys = (xs: Array<{ key: string }>): string[] => xs.map((x) => x.key).sort();
      expect(keys(page.nodes)).toEqual(keys(exported.nodes));
      expect(keys(page.links)).toEqual(keys(exported.links));
      expect(page.groups.map((g) => g.key)).toEqual(exported.groups.map((g) => g.key));
    });

    it(`${name}: every edge joins two drawn nodes, and keys are unique`, () => {
      const graph = projectGraph(load());
      const nodes = new Set(graph.nodes.map((n) => n.key));
      expect(nodes.size).toBe(graph.nodes.length);
      expect(new Set(graph.links.map((l) => l.key)).size).toBe(graph.links.length);
      for (const l of graph.links) expect([nodes.has(l.source), nodes.has(l.target)]).toEqual([true, true]);
    });
  }

  it("PP-1: a published port is an edge from the host to the container, labelled with its bindings", () => {
    const topology = exampleTopology();
    const published = topology.containers.filter((c) => c.ports.some((p) => p.publicPort !== undefined));
    expect(published.length).toBeGreaterThan(0);
    const graph = projectGraph(topology);
    for (const c of published) {
      const edge = graph.links.find((l) => l.kind === "published" && l.containerId === c.id);
      expect(edge?.source).toBe(HOST_KEY);
      expect(edge?.label).toMatch(/→\d+\/(tcp|udp)/);
    }
  });

  it("H-1 / NO-1: host and none are the host node and a mark, never hubs", () => {
    const graph = projectGraph(exampleTopology());
    expect(
      graph.nodes.filter((n) => n.kind === "network" && (n.style === "host" || n.style === "null")),
    ).toEqual([]);
    const hostMode = exampleTopology().containers.filter((c) => c.networkMode === "host");
    for (const c of hostMode)
      expect(graph.links.some((l) => l.kind === "host" && l.containerId === c.id)).toBe(true);
    const none = exampleTopology().containers.filter((c) => c.networkMode === "none");
    for (const c of none) expect(graph.nodes.find((n) => n.id === c.id)?.noNetwork).toBe(true);
  });

  it("hides system networks and empty networks when asked", () => {
    const topology = exampleTopology();
    const all = projectGraph(topology);
    const noSystem = projectGraph(topology, { showSystem: false });
    const noEmpty = projectGraph(topology, { showEmpty: false });
    const system = topology.networks.filter((n) => n.system && n.driver !== "host" && n.driver !== "null");
    expect(system.length).toBeGreaterThan(0);
    for (const n of system) {
      expect(all.nodes.some((x) => x.id === n.id)).toBe(true);
      expect(noSystem.nodes.some((x) => x.id === n.id)).toBe(false);
    }
    const linked = new Set(noEmpty.links.map((l) => l.source));
    for (const n of noEmpty.nodes.filter((x) => x.kind === "network")) expect(linked.has(n.key)).toBe(true);
  });

  it("never draws reachgraph's probe helpers (label reachgraph.probe)", () => {
    const topology = exampleTopology();
    const helper = { ...topology.containers[0], id: "f".repeat(64), name: "reachgraph-probe-run-0" };
    const withHelper = {
      ...topology,
      containers: [
        ...topology.containers,
        { ...helper, labels: { ...helper.labels, "reachgraph.probe": "1" } },
      ],
    };
    const graph = projectGraph(withHelper);
    expect(graph.nodes.some((n) => n.id === helper.id)).toBe(false);
    expect(graph.links.some((l) => l.containerId === helper.id)).toBe(false);
    expect(graph.nodes.length).toBe(projectGraph(topology).nodes.length);
  });

  it("keys a network the engine did not list by the interface's network name", () => {
    const topology = exampleTopology();
    const c = topology.containers.find((x) => x.interfaces.length > 0);
    if (!c) throw new Error("the example has no container with an interface");
    const gone = c.interfaces[0].network;
    const graph = projectGraph({ ...topology, networks: topology.networks.filter((n) => n.name !== gone) });
    const missing = graph.nodes.filter((n) => n.style === "missing");
    expect(missing.map((n) => n.key)).toEqual([`n:missing:${gone}`]);
  });
});

describe("shortName", () => {
  it("keeps short names, drops the compose project prefix and a swarm task ID", () => {
    expect(shortName("web")).toBe("web");
    expect(shortName("shop-web-1", "shop")).toBe("web-1");
    expect(shortName("api.1.abcdefghijklmnopqrstuvwxy")).toBe("api.1");
  });

  it("shortens long names in the middle, keeping both ends, to at most MAX_LABEL characters", () => {
    const long = "a-very-long-container-name-for-the-billing-service-1";
    const short = shortName(long);
    expect(short.length).toBe(MAX_LABEL);
    expect(short.startsWith("a-very-long")).toBe(true);
    expect(short.endsWith("service-1")).toBe(true);
    expect(short).toContain("…");
    expect(middleEllipsis("abcdefghij", 5)).toBe("ab…ij");
  });
});
