import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../server/example/example.ts";
import type { EngineStatus, Topology, TopologyDelta } from "../../server/model/topology.ts";
import { SCHEMA_VERSION } from "../../server/model/topology.ts";
import { createStore } from "../../web/store.ts";

// The page's one store (web/store.ts) is plain TypeScript: its teach state and delta handling run here.
const status = (t: Topology): EngineStatus => ({
  reachable: true,
  stale: false,
  source: t.source,
  engineUrl: "unix:///var/run/docker.sock",
  apiVersion: t.engine.apiVersion,
  serverVersion: t.engine.serverVersion,
  error: null,
  lastSyncAt: t.source.capturedAt,
});

/** The delta the collector sends when `id` goes away. */
const removal = (seq: number, id: string): TopologyDelta => ({
  schemaVersion: SCHEMA_VERSION,
  seq,
  capturedAt: new Date(0).toISOString(),
  upsertNetworks: [],
  removeNetworks: [],
  upsertContainers: [],
  removeContainers: [id],
});

function running(t: Topology): { id: string; bridge: string } {
  const c = t.containers.find((x) => x.state === "running" && x.interfaces.length > 0);
  const n = t.networks.find((x) => x.driver === "bridge" && !x.defaultBridge);
  if (!c || !n) throw new Error("the example has no running container or user-defined bridge");
  return { id: c.id, bridge: n.id };
}

describe("the store's teach state", () => {
  it("applies a what-if on top of the server's topology, and again after a delta", () => {
    const live = exampleTopology();
    const store = createStore();
    store.applySnapshot(1, live, status(live));
    const { id } = running(live);
    const other = live.containers.find((c) => c.id !== id && c.state === "running");
    if (!other) throw new Error("the example has one running container only");
    expect(
      store.applyWhatIf({ kind: "publish", container: id, containerPort: 80, hostPort: 18080 }),
    ).toBeNull();
    const published = (s: ReturnType<typeof store.get>) =>
      s.topology?.containers.find((c) => c.id === id)?.ports.some((p) => p.publicPort === 18080);
    expect(published(store.get())).toBe(true);
    expect(store.get().teach.whatIfs).toHaveLength(1);
    store.applyDelta(removal(2, other.id));
    expect(store.get().topology?.containers.some((c) => c.id === other.id)).toBe(false);
    expect(published(store.get())).toBe(true);
    store.resetWhatIfs();
    expect(published(store.get())).toBe(false);
    expect(store.get().topology?.containers.some((c) => c.id === other.id)).toBe(false);
  });

  it("drops a what-if whose container went away, and says why", () => {
    const live = exampleTopology();
    const store = createStore();
    store.applySnapshot(1, live, status(live));
    const { id } = running(live);
    store.applyWhatIf({ kind: "publish", container: id, containerPort: 80, hostPort: 18080 });
    store.applyDelta(removal(2, id));
    expect(store.get().teach.whatIfs).toHaveLength(0);
    expect(store.get().teach.error).toMatch(/^dropped a what-if that no longer applies/);
  });

  it("shows an example instead of the server's topology; the server's deltas wait behind it", () => {
    const live = exampleTopology();
    const store = createStore();
    store.applySnapshot(1, live, status(live));
    const example = { ...live, containers: live.containers.slice(0, 2) };
    const entry = { slug: "two", title: "Two", description: "two containers", rules: [] };
    store.showExample({ entry, topology: example });
    expect(store.get().topology?.containers).toHaveLength(2);
    const gone = live.containers[live.containers.length - 1].id;
    store.applyDelta(removal(2, gone));
    expect(store.get().topology?.containers).toHaveLength(2);
    store.showExample(null);
    expect(store.get().topology?.containers).toHaveLength(live.containers.length - 1);
    expect(store.get().seq).toBe(2);
  });

  it("calls a watcher only when what it selects changes", () => {
    const live = exampleTopology();
    const store = createStore();
    const seen: string[] = [];
    store.watch(
      (s) => [s.selectedId, s.tab],
      ([sel, tab]) => seen.push(`${sel}/${tab}`),
    );
    store.applySnapshot(1, live, status(live));
    store.hover(live.containers[0].id);
    store.select(live.containers[0].id);
    store.setTab("matrix");
    store.setView({ showAddresses: false });
    expect(seen).toEqual([`${live.containers[0].id}/graph`, `${live.containers[0].id}/matrix`]);
  });

  it("applies a fleet delta's engine list and swarm, and keeps them over deltas without them", () => {
    const live = exampleTopology();
    const store = createStore();
    store.applySnapshot(1, live, status(live));
    const engines = [
      ...live.engines,
      { ...live.engines[0], key: "node2", url: "unix:///run/docker-node2.sock" },
    ];
    store.applyDelta({ ...removal(2, live.containers[0].id), engines });
    expect(store.get().topology?.engines.map((e) => e.key)).toEqual([
      ...live.engines.map((e) => e.key),
      "node2",
    ]);
    store.applyDelta(removal(3, live.containers[1].id));
    expect(store.get().topology?.engines).toBe(engines);
    expect(store.get().seq).toBe(3);
  });
});
