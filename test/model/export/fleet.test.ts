import { describe, expect, it } from "vitest";
import { exportMarkdown, exportView } from "../../../server/model/export/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { INPUTS } from "./fixtures.ts";

const swarm = INPUTS["fleet-swarm"];
const down = INPUTS["fleet-down"];

/** The lines of one `### name` subsection of the report. */
function subsection(md: string, name: string): string[] {
  const lines = md.split("\n");
  const start = lines.indexOf(`### ${name}`);
  if (start < 0) throw new Error(`no subsection ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith("#"));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter(Boolean);
}

const line = (lines: string[], prefix: string): string => lines.find((l) => l.startsWith(prefix)) ?? "";
const onNode = (t: Topology, node: string, tasks: boolean) =>
  t.containers.filter((c) => c.node === node && (c.swarm !== undefined) === tasks).map((c) => c.name);

describe("the Markdown report of a fleet", () => {
  it("has a section per machine between the networks and the containers; a single engine has none", () => {
    const md = exportMarkdown(swarm());
    const order = ["## Networks", "## Nodes", "## Containers", "## Reachability"].map((h) =>
      md.indexOf(`\n${h}\n`),
    );
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    expect(md.match(/^### .*$/gm)?.slice(0, 3)).toEqual(["### vm", "### node2", "### node3"]);
    expect(exportMarkdown(INPUTS.example())).not.toContain("## Nodes");
  });

  it("each machine: its engine, swarm role and state, containers, tasks, local networks and overlays", () => {
    const t = swarm();
    const md = exportMarkdown(t);
    for (const node of ["vm", "node2", "node3"]) {
      const lines = subsection(md, node);
      const engine = t.engines.find((e) => e.key === node);
      expect(line(lines, "- Engine:")).toBe(
        `- Engine: Docker ${engine?.info.serverVersion}, API ${engine?.info.apiVersion}`,
      );
      const s = t.swarm?.nodes.find((n) => n.hostname === node);
      expect(line(lines, "- Swarm:")).toContain(
        `${s?.role}${s?.leader ? " (leader)" : ""}, availability active, state ready, address ${s?.addr}`,
      );
      for (const [label, tasks] of [
        ["- Containers", false],
        ["- Tasks", true],
      ] as const) {
        const names = onNode(t, node, tasks);
        expect(line(lines, label)).toContain(`(${names.length}):`);
        for (const n of names) expect(line(lines, label)).toContain(`\`${n}\``);
      }
      expect(line(lines, "- Overlays spanning it")).toContain("`rgt-fleet-mesh`");
    }
    expect(line(subsection(md, "node2"), "- Local networks")).toContain("`rgt-fleet-local`");
    expect(line(subsection(md, "node3"), "- Local networks")).not.toContain("`rgt-fleet-local`");
  });

  it("a node no engine is connected for says so, with the task the manager placed on it", () => {
    const t = down();
    const lines = subsection(exportMarkdown(t), "rgtdown1");
    expect(line(lines, "- Engine:")).toBe(
      "- Engine: not connected; what is on it comes from the manager's `/tasks`",
    );
    expect(line(lines, "- Swarm:")).toContain("worker, availability active, state down");
    expect(onNode(t, "rgtdown1", true)).toHaveLength(1);
    expect(line(lines, "- Tasks (1):")).toContain(onNode(t, "rgtdown1", true)[0]);
  });

  it("--node keeps its section alone", () => {
    const md = exportMarkdown(swarm(), { node: "node3" });
    expect(md.match(/^### .*$/gm)?.filter((h) => ["### vm", "### node2", "### node3"].includes(h))).toEqual([
      "### node3",
    ]);
  });
});

describe("filters by engine, node and service", () => {
  const names = (t: Topology, options: Parameters<typeof exportView>[1]) =>
    exportView(t, options)
      .containers.map((c) => c.name)
      .sort();
  const nets = (t: Topology, options: Parameters<typeof exportView>[1]) =>
    exportView(t, options)
      .networks.map((n) => `${n.name}${n.node ? `@${n.node}` : ""}`)
      .sort();

  it("node: the containers and tasks on it, its local networks, the overlays spanning it", () => {
    const t = swarm();
    expect(names(t, { node: "node2" })).toEqual(
      t.containers
        .filter((c) => c.node === "node2")
        .map((c) => c.name)
        .sort(),
    );
    const want = t.networks
      .filter((n) => (n.scope === "swarm" ? (n.nodes ?? []).includes("node2") : n.node === "node2"))
      .map((n) => `${n.name}${n.node ? `@${n.node}` : ""}`)
      .sort();
    expect(nets(t, { node: "node2" })).toEqual(want);
  });

  it("service: its tasks and the networks they are on, on every machine", () => {
    const t = swarm();
    const tasks = t.containers.filter((c) => c.swarm?.service === "rgt-fleet-web");
    expect(tasks.map((c) => c.node).sort()).toEqual(["node2", "node3", "vm"]);
    expect(names(t, { service: "rgt-fleet-web" })).toEqual(tasks.map((c) => c.name).sort());
    expect(nets(t, { service: "rgt-fleet-web" })).toEqual([
      "docker_gwbridge@node2",
      "docker_gwbridge@node3",
      "docker_gwbridge@vm",
      "rgt-fleet-mesh",
    ]);
    expect(names(t, { service: "rgt-fleet-web", node: "vm" })).toEqual(
      tasks.filter((c) => c.node === "vm").map((c) => c.name),
    );
  });

  it("engine: what that engine reported, not the tasks the manager places on an unconnected node", () => {
    const t = down();
    const placed = t.containers.filter((c) => c.node === "rgtdown1");
    expect(placed).toHaveLength(1);
    expect(names(t, { engine: "vm" })).not.toContain(placed[0].name);
    expect(names(t, { node: "rgtdown1" })).toEqual([placed[0].name]);
  });

  it("verdicts are reported from the shown containers only", () => {
    const view = exportView(swarm(), { node: "node3" });
    expect(view.sources.filter((i) => i >= 0).map((i) => swarm().containers[i].node)).toEqual(
      view.containers.map(() => "node3"),
    );
  });

  it("a value that names nothing is refused, naming what there is", () => {
    expect(() => exportView(swarm(), { node: "node9" })).toThrow(
      'no node "node9" in this topology; nodes: node2, node3, vm',
    );
    expect(() => exportView(swarm(), { engine: "x" })).toThrow(
      'no engine "x" in this topology; engines: node2, node3, vm',
    );
    expect(() => exportView(INPUTS.example(), { service: "web" })).toThrow(
      'no service "web" in this topology; it has no services',
    );
  });
});

describe("fix commands of a fleet in the report", () => {
  it("address each end's engine and name the container as that engine does, filled into the grouping", () => {
    // The recorded swarm with the addresses it was read at, node2 through a context (EngineEntry url, context).
    const t = swarm();
    for (const e of t.engines) e.url = `unix:///run/docker-${e.key}.sock`;
    t.engines.find((e) => e.key === "node2")!.context = "ctx two";
    const md = exportMarkdown(t);
    const commands = md.split("\n").filter((l) => /^\s+\d+\. `docker /.test(l));
    expect(commands.length).toBeGreaterThan(0);
    expect(
      commands.every((l) => /^\s+\d+\. `docker (--host unix:\/\/\S+|--context 'ctx two') /.test(l)),
    ).toBe(true);
    expect(commands.some((l) => l.includes("@"))).toBe(false);
    expect(md).toContain("`docker --context 'ctx two' network connect rgt-fleet-mesh rgt-fleet-twin`");
  });
});
