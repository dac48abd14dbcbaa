import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../../server/example/example.ts";
import { mergeFleet } from "../../../server/model/fleet/merge.ts";
import { hostKey, networkKey, projectGraph } from "../../../server/model/graph/index.ts";
import type { Graph, GraphGroup } from "../../../server/model/graph/index.ts";
import { twoEngineFleet } from "../../support/fleet-topologies.ts";

const groupsBy = (graph: Graph, by: GraphGroup["by"]): GraphGroup[] =>
  graph.groups.filter((g) => g.by === by);

describe("the projection of several engines", () => {
  const fleet = twoEngineFleet();
  const graph = projectGraph(fleet);
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));

  it("a one-engine fleet projects exactly as the engine alone: no machine groups, nothing moved", () => {
    const one = mergeFleet([{ key: "solo", url: null, topology: exampleTopology() }], fleet.source);
    expect(one.engines).toHaveLength(1);
    expect(projectGraph(one)).toEqual(projectGraph(exampleTopology()));
  });

  it("every container, local network and host sits in the group of its machine, and only there", () => {
    const machines = groupsBy(graph, "node");
    expect(machines.map((g) => g.name)).toEqual(["alpha", "beta"]);
    const owner = new Map<string, string>();
    for (const g of machines)
      for (const m of g.members) {
        expect(owner.has(m), `${m} is in two machines`).toBe(false);
        owner.set(m, g.name);
      }
    for (const c of fleet.containers) expect(owner.get(`c:${c.id}`)).toBe(c.node);
    for (const n of fleet.networks.filter(
      (x) => x.scope !== "swarm" && x.driver !== "host" && x.driver !== "null",
    ))
      expect(owner.get(networkKey(n.id))).toBe(n.node);
    expect(owner.get(hostKey("alpha"))).toBe("alpha");
    expect(owner.get(hostKey("beta"))).toBe("beta");
    expect(byKey.has("host")).toBe(false);
  });

  it("a swarm-scope overlay is one hub, in no machine, spanning the machines it is on", () => {
    const overlays = fleet.networks.filter((n) => n.scope === "swarm");
    expect(overlays.length).toBeGreaterThan(0);
    const grouped = new Set(groupsBy(graph, "node").flatMap((g) => g.members));
    for (const n of overlays) {
      expect(graph.nodes.filter((x) => x.id === n.id)).toHaveLength(1);
      const hub = byKey.get(networkKey(n.id));
      expect(hub?.node).toBeNull();
      expect(hub?.spans).toEqual(n.nodes);
      expect(grouped.has(networkKey(n.id))).toBe(false);
    }
  });

  it("UB-8 across machines: no edge joins a container to a local network or host of another machine", () => {
    for (const l of graph.links) {
      const [a, b] = [byKey.get(l.source), byKey.get(l.target)];
      if (a?.node && b?.node) expect(a.node, l.key).toBe(b.node);
    }
    const hostMode = fleet.containers.filter((c) => c.networkMode === "host");
    expect(new Set(hostMode.map((c) => c.node))).toEqual(new Set(["alpha", "beta"]));
    for (const c of hostMode)
      expect(graph.links.find((l) => l.kind === "host" && l.containerId === c.id)?.source).toBe(
        hostKey(c.node ?? ""),
      );
  });

  it("a compose project is a group per machine, drawn inside it", () => {
    const projects = groupsBy(graph, "project");
    expect(projects.map((g) => [g.key, g.parent])).toEqual([["project:alpha:rgt-demo-shop", "node:alpha"]]);
    for (const g of projects) for (const m of g.members) expect(`node:${byKey.get(m)?.node}`).toBe(g.parent);
  });

  it("every edge joins two drawn nodes, and keys are unique", () => {
    const keys = new Set(graph.nodes.map((n) => n.key));
    expect(keys.size).toBe(graph.nodes.length);
    expect(new Set(graph.links.map((l) => l.key)).size).toBe(graph.links.length);
    for (const l of graph.links) expect([keys.has(l.source), keys.has(l.target)]).toEqual([true, true]);
    expect(new Set(graph.groups.map((g) => g.key)).size).toBe(graph.groups.length);
  });
});
