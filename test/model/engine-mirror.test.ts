import { describe, expect, it } from "vitest";
import { EngineMirror } from "../../server/model/engine-mirror.ts";
import type { ApiNetwork, EngineState } from "../../server/model/engine-api.ts";
import { normalizeTopology } from "../../server/model/normalize.ts";
import type { Topology, TopologyDelta } from "../../server/model/topology.ts";
import { recordingState } from "../../server/example/example.ts";
import { loadRecording } from "../support/recording.ts";

const source = { kind: "live" as const, label: "recorded", capturedAt: "2026-01-01T00:00:00.000Z" };
const state: EngineState = recordingState(loadRecording("full").recording);

function applied(topology: Topology, delta: TopologyDelta): Topology {
  const networks = new Map(topology.networks.map((n) => [n.id, n]));
  const containers = new Map(topology.containers.map((c) => [c.id, c]));
  for (const id of delta.removeNetworks) networks.delete(id);
  for (const id of delta.removeContainers) containers.delete(id);
  for (const n of delta.upsertNetworks) networks.set(n.id, n);
  for (const c of delta.upsertContainers) containers.set(c.id, c);
  const byName = <T extends { name: string; id: string }>(a: T, b: T) =>
    a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  return {
    ...topology,
    networks: [...networks.values()].sort(byName),
    containers: [...containers.values()].sort(byName),
  };
}

describe("EngineMirror", () => {
  it("built in any order, normalises exactly like the whole state at once", () => {
    const mirror = new EngineMirror();
    mirror.setDaemon(state.info, state.version);
    // Containers before their networks, in reverse order: the indexes must not depend on arrival order.
    for (const c of [...state.containers].reverse())
      mirror.upsertContainer(c, state.containerDetails.get(c.Id));
    for (const n of [...state.networks].reverse()) mirror.upsertNetwork(n, state.networkDetails.get(n.Id));
    expect(mirror.topology(source)).toEqual(normalizeTopology(state, source));
  });

  it("emits deltas that turn the earlier topology into the later one", () => {
    const joiner = state.containers.find((c) => c.HostConfig?.NetworkMode?.startsWith("container:"));
    const provider = state.containers.find((c) => joiner?.HostConfig?.NetworkMode?.endsWith(c.Id));
    const linkTarget = state.containers.find((c) => c.Names.some((n) => n.split("/").length === 3));
    expect(
      joiner && provider && linkTarget,
      "the recording has a container: joiner and a legacy link",
    ).toBeTruthy();
    const held = new Set([provider?.Id, linkTarget?.Id]);
    const mirror = new EngineMirror({
      ...state,
      containers: state.containers.filter((c) => !held.has(c.Id)),
    });
    const before = mirror.topology(source);
    mirror.takeDelta(1, source.capturedAt);
    for (const c of state.containers.filter((c) => held.has(c.Id))) {
      mirror.upsertContainer(c, state.containerDetails.get(c.Id));
    }
    const delta = mirror.takeDelta(2, source.capturedAt);
    expect(delta).not.toBeNull();
    // The provider's arrival re-resolves its joiner (CN-1); the link target's arrival gives its linker the link (DB-4).
    const touched = new Set(delta?.upsertContainers.map((c) => c.id));
    expect(touched.has(joiner?.Id ?? "")).toBe(true);
    expect(applied(before, delta as TopologyDelta)).toEqual(normalizeTopology(state, source));
  });

  it("still sends a change in the next delta when the topology was read in between", () => {
    // A resync reads the topology (for its status) before it takes the delta; so can GET /api/topology.
    const held = state.containers[0];
    const mirror = new EngineMirror({ ...state, containers: state.containers.slice(1) });
    mirror.takeDelta(1, source.capturedAt);
    mirror.upsertContainer(held, state.containerDetails.get(held.Id));
    const net = state.networks.find((n) => n.Driver === "bridge" && n.Name.startsWith("rgt-")) as ApiNetwork;
    mirror.upsertNetwork(
      { ...net, Labels: { ...net.Labels, changed: "yes" } },
      state.networkDetails.get(net.Id),
    );
    const read = mirror.topology(source);
    const delta = mirror.takeDelta(2, source.capturedAt);
    expect(delta?.upsertContainers.map((c) => c.id)).toContain(held.Id);
    expect(delta?.upsertNetworks.map((n) => n.id)).toEqual([net.Id]);
    expect(read.containers.map((c) => c.id)).toContain(held.Id);
    expect(mirror.takeDelta(3, source.capturedAt)).toBeNull();
  });

  it("reports a removal once and then nothing", () => {
    const mirror = new EngineMirror(state);
    mirror.takeDelta(1, source.capturedAt);
    const victim = state.containers[0];
    mirror.removeContainer(victim.Id);
    expect(mirror.takeDelta(2, source.capturedAt)?.removeContainers).toEqual([victim.Id]);
    mirror.removeContainer(victim.Id);
    expect(mirror.takeDelta(3, source.capturedAt)).toBeNull();
  });

  it("re-normalises the members of a network that changed, and only what changed", () => {
    const mirror = new EngineMirror(state);
    mirror.takeDelta(1, source.capturedAt);
    const net = state.networks.find((n) => n.Driver === "bridge" && !n.Internal && n.Name.startsWith("rgt-"));
    expect(net).toBeDefined();
    if (!net) return;
    mirror.upsertNetwork({ ...net, Internal: true });
    const delta = mirror.takeDelta(2, source.capturedAt);
    expect(delta?.upsertNetworks.map((n) => [n.id, n.internal])).toEqual([[net.Id, true]]);
    expect(delta?.upsertContainers).toEqual([]);
  });
});
