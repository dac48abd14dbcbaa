import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../../server/example/example.ts";
import { mergeFleet } from "../../../server/model/fleet/merge.ts";
import {
  containerKey,
  hostKey,
  networkKey,
  projectGraph,
  serviceKey,
} from "../../../server/model/graph/index.ts";
import type { Graph, GraphGroup } from "../../../server/model/graph/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { recordedFleet, twoEngineFleet } from "../../support/fleet-topologies.ts";

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

  it("every edge joins two drawn nodes, and keys are unique", () => expectWellFormed(graph));
});

/** Every edge joins two drawn nodes; node, edge and group keys are unique. */
function expectWellFormed(graph: Graph): void {
  const keys = new Set(graph.nodes.map((n) => n.key));
  expect(keys.size).toBe(graph.nodes.length);
  expect(new Set(graph.links.map((l) => l.key)).size).toBe(graph.links.length);
  for (const l of graph.links) expect([keys.has(l.source), keys.has(l.target)], l.key).toEqual([true, true]);
  expect(new Set(graph.groups.map((g) => g.key)).size).toBe(graph.groups.length);
  for (const g of graph.groups) for (const m of g.members) expect(keys.has(m), `${g.key}: ${m}`).toBe(true);
}

const service = (t: Topology, name: string) => {
  const s = t.swarm?.services.find((x) => x.name === name);
  if (!s) throw new Error(`the recording lacks service ${name}`);
  return s;
};

describe("the projection of the recorded three-node swarm", () => {
  const fleet = recordedFleet("swarm");
  const graph = projectGraph(fleet);
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));

  it("a machine per node, in the engines' order, with its engine, role, availability and state", () => {
    expect(groupsBy(graph, "node").map((g) => [g.name, g.sub])).toEqual([
      ["vm", [`Docker ${fleet.engines[0].info.serverVersion} · manager (leader) · active · ready`]],
      ["node2", [`Docker ${fleet.engines[1].info.serverVersion} · worker · active · ready`]],
      ["node3", [`Docker ${fleet.engines[2].info.serverVersion} · worker · active · ready`]],
    ]);
    expectWellFormed(graph);
  });

  it("the overlay across vm, node2 and node3 is drawn once; the same-named local networks twice", () => {
    const mesh = fleet.networks.filter((n) => n.name === "rgt-fleet-mesh");
    expect(mesh).toHaveLength(1);
    expect(byKey.get(networkKey(mesh[0].id))?.spans).toEqual(["node2", "node3", "vm"]);
    const local = fleet.networks.filter((n) => n.name === "rgt-fleet-local");
    expect(local.map((n) => byKey.get(networkKey(n.id))?.node).sort()).toEqual(["node2", "vm"]);
  });

  it("a service's tasks are its group: across machines at the top, on one machine inside it", () => {
    const web = groupsBy(graph, "service").find((g) => g.name === "rgt-fleet-web");
    expect(web?.parent).toBeNull();
    expect(web?.sub).toEqual(["replicated 3/3 · vip", "3 tasks on node2, node3, vm"]);
    expect(web?.members.map((m) => byKey.get(m)?.node).sort()).toEqual(["node2", "node3", "vm"]);
    const ingress = groupsBy(graph, "service").find((g) => g.name === "rgt-fleet-ingress-web");
    expect(ingress?.parent).toBe("node:vm");
    const dns = groupsBy(graph, "service").find((g) => g.name === "rgt-fleet-dns");
    expect(dns?.sub[0]).toBe("replicated 2/2 · dnsrr");
  });

  it("colliding names are drawn qualified (name@node); a task without its task ID", () => {
    const twins = fleet.containers.filter((c) => c.bareName === "rgt-fleet-twin");
    expect(twins.map((c) => byKey.get(containerKey(c.id))?.label).sort()).toEqual([
      "rgt-fleet-twin@node2",
      "rgt-fleet-twin@vm",
    ]);
    const task = fleet.containers.find((c) => c.swarm?.service === "rgt-fleet-dns");
    expect(byKey.get(containerKey(task?.id ?? ""))?.label).toMatch(/^rgt-fleet-dns\.\d$/);
  });

  it("a collapsed service is one vertex with its tasks' edges merged, spanning their machines", () => {
    const web = service(fleet, "rgt-fleet-web");
    const tasks = fleet.containers.filter((c) => c.swarm?.service === web.name);
    const collapsed = projectGraph(fleet, { collapse: [web.name] });
    expectWellFormed(collapsed);
    const vertex = collapsed.nodes.find((n) => n.key === serviceKey(web.id));
    expect(vertex).toMatchObject({
      kind: "service",
      name: web.name,
      node: null,
      spans: ["node2", "node3", "vm"],
    });
    for (const t of tasks) expect(collapsed.nodes.some((n) => n.id === t.id)).toBe(false);
    const mesh = fleet.networks.find((n) => n.name === "rgt-fleet-mesh");
    const toMesh = collapsed.links.filter(
      (l) => l.target === vertex?.key && l.source === networkKey(mesh?.id ?? ""),
    );
    expect(toMesh).toHaveLength(1);
    const addresses = tasks.map((t) => t.interfaces.find((i) => i.networkId === mesh?.id)?.ipv4);
    expect(toMesh[0].label.split(", ").sort()).toEqual(addresses.sort());
    // Each task's docker_gwbridge is its own machine's (OV-2): three edges, one per machine.
    expect(collapsed.links.filter((l) => l.target === vertex?.key && l.kind === "implicit")).toHaveLength(3);
    const group = collapsed.groups.find((g) => g.key === `service:${web.id}`);
    expect(group).toMatchObject({ collapsed: true, members: [vertex?.key] });
    for (const g of groupsBy(collapsed, "node")) expect(g.members).not.toContain(vertex?.key);
    // The rest of the picture is untouched.
    const others = (g: Graph) => g.nodes.filter((n) => n.service !== web.name).map((n) => n.key);
    expect(others(collapsed)).toEqual(others(graph));
  });

  it("collapsing every service keeps a one-machine service's vertex inside its machine", () => {
    const all = projectGraph(fleet, { collapse: true });
    expectWellFormed(all);
    expect(all.nodes.filter((n) => n.kind === "service")).toHaveLength(fleet.swarm?.services.length ?? -1);
    const ingress = service(fleet, "rgt-fleet-ingress-web");
    expect(groupsBy(all, "node").find((g) => g.name === "vm")?.members).toContain(serviceKey(ingress.id));
  });
});

describe("the projection of a swarm read from the manager alone, a worker down", () => {
  const fleet = recordedFleet("down");
  const graph = projectGraph(fleet);

  it("the down node is a machine of its own, known from /tasks, with its task on it", () => {
    expect(fleet.engines).toHaveLength(1);
    const down = groupsBy(graph, "node").find((g) => g.name === "rgtdown1");
    expect(down?.sub).toEqual(["no engine connected · worker · active · down"]);
    const task = fleet.containers.find((c) => c.node === "rgtdown1");
    expect(task?.engine).toBeUndefined();
    expect(down?.members).toContain(containerKey(task?.id ?? ""));
    expectWellFormed(graph);
  });
});
