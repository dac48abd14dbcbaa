import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectTopology } from "../../../server/collector/collect.ts";
import { collectFleet } from "../../../server/collector/fleet.ts";
import type { FleetEngine } from "../../../server/collector/fleet.ts";
import { LiveFleet } from "../../../server/collector/fleet-live.ts";
import { createEngineClient } from "../../../server/engine/client.ts";
import { resolveEngine } from "../../../server/engine/connection.ts";
import { mergeFleet } from "../../../server/model/fleet/merge.ts";
import type { EngineRecording } from "../../../server/model/engine-api.ts";
import type { ServerEvent, Topology } from "../../../server/model/topology.ts";
import type { ReplayEngine } from "../../support/replay-engine.ts";
import { startReplayEngine, togglePaused } from "../../support/replay-engine.ts";
import { syntheticFleet } from "../../support/synthetic-fleet.ts";
import { syntheticRecording } from "../../support/synthetic.ts";

const client = (url: string) => createEngineClient(resolveEngine({ engine: url }), 2_000);
const FAST = {
  debounceMs: 5,
  maxWaitMs: 20,
  retryMinMs: 20,
  retryMaxMs: 100,
  viewDelaysMs: [5, 20],
} as const;

let engines: ReplayEngine[] = [];
let fleets: LiveFleet[] = [];
afterEach(async () => {
  await Promise.all(fleets.map((f) => f.close()));
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
  fleets = [];
});

/** A standalone engine (the recording's daemon was a swarm member, which would name it by its node). */
function standalone(data: EngineRecording, engine: number): EngineRecording {
  // One engine per recording: the recorded ID with a number (one engine given twice is refused).
  data.info = { ...data.info, ID: `${data.info.ID ?? ""}:${engine}`, Swarm: { LocalNodeState: "inactive" } };
  return data;
}

async function replay(data: EngineRecording): Promise<ReplayEngine> {
  const engine = await startReplayEngine(data);
  engines.push(engine);
  return engine;
}

/** Every event the fleet sends, and a way to wait for one. */
function record(fleet: LiveFleet) {
  const events: ServerEvent[] = [];
  const waiters: { match: (e: ServerEvent) => boolean; resolve: () => void }[] = [];
  fleet.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (!w.match(e)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const next = (match: (e: ServerEvent) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no matching fleet event within 5 s")), 5_000);
      waiters.push({ match, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { events, next };
}

async function startFleet(members: FleetEngine[]) {
  const fleet = new LiveFleet(members, FAST);
  fleets.push(fleet);
  const seen = record(fleet);
  await fleet.start();
  return { fleet, seen };
}

/** The merge of every engine read afresh, one-shot: what the live fleet must equal after any change. */
async function freshMerge(members: { key: string; url: string }[]): Promise<Topology> {
  const parts = await Promise.all(
    members.map(async (m) => ({ key: m.key, url: m.url, topology: await collectTopology(client(m.url)) })),
  );
  return mergeFleet(parts, { kind: "live", label: "", capturedAt: "" });
}

/** What a client holds, by ID (order and capture times aside). */
function facts(t: Topology) {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return { containers: byId(t.containers), networks: byId(t.networks), engines: t.engines, swarm: t.swarm };
}

/** A client's copy: the snapshot with every delta applied in order. */
function replayed(events: ServerEvent[]): Topology {
  const snapshot = events.find((e) => e.type === "snapshot");
  if (snapshot?.type !== "snapshot") throw new Error("no snapshot");
  const containers = new Map(snapshot.topology.containers.map((c) => [c.id, c]));
  const networks = new Map(snapshot.topology.networks.map((n) => [n.id, n]));
  let engines = snapshot.topology.engines;
  let swarm = snapshot.topology.swarm;
  let seq = snapshot.seq;
  for (const e of events.slice(events.indexOf(snapshot) + 1)) {
    if (e.type !== "delta") continue;
    expect(e.delta.seq).toBe(++seq);
    for (const id of e.delta.removeContainers) containers.delete(id);
    for (const c of e.delta.upsertContainers) containers.set(c.id, c);
    for (const id of e.delta.removeNetworks) networks.delete(id);
    for (const n of e.delta.upsertNetworks) networks.set(n.id, n);
    if (e.delta.engines) engines = e.delta.engines;
    if (e.delta.swarm) swarm = e.delta.swarm;
  }
  return {
    ...snapshot.topology,
    containers: [...containers.values()],
    networks: [...networks.values()],
    engines,
    ...(swarm ? { swarm } : {}),
  };
}

function rename(engine: ReplayEngine, id: string, name: string): void {
  const listed = engine.data.containers.find((c) => c.Id === id);
  if (!listed) throw new Error(`no container ${id}`);
  listed.Names = [`/${name}`];
  const inspect = engine.data.containerInspects[id];
  if (inspect) inspect.Name = `/${name}`;
  engine.emit({ Type: "container", Action: "rename", Actor: { ID: id, Attributes: { name } } });
}

describe("a live fleet of replayed engines", () => {
  it("merges the engines' snapshots and follows a name collision appearing and going away", async () => {
    // Two engines generated alike: same names, other IDs — every name collides until renamed.
    const a = await replay(standalone(syntheticRecording({ containers: 12, networks: 3, seed: 1 }), 1));
    const b = await replay(standalone(syntheticRecording({ containers: 12, networks: 3, seed: 2 }), 2));
    const members = [
      { key: "alpha", url: a.url },
      { key: "beta", url: b.url },
    ];
    const { fleet, seen } = await startFleet(members.map((m) => ({ key: m.key, client: client(m.url) })));
    expect(facts(fleet.current().topology)).toEqual(facts(await freshMerge(members)));
    const { status } = fleet.current();
    expect(status.engines?.map((e) => [e.key, e.url, e.reachable, e.stale])).toEqual([
      ["alpha", a.url, true, false],
      ["beta", b.url, true, false],
    ]);
    expect(status.reachable && !status.stale).toBe(true);

    const shared = a.data.containers[0];
    const twin = b.data.containers.find((c) => c.Names[0] === shared.Names[0]);
    if (!twin) throw new Error("the generated engines share no name");
    const qualified = fleet
      .current()
      .topology.containers.filter((c) => c.id === shared.Id || c.id === twin.Id);
    expect(qualified.map((c) => c.name).sort()).toEqual(
      [`${shared.Names[0].slice(1)}@alpha`, `${shared.Names[0].slice(1)}@beta`].sort(),
    );

    // The twin on beta goes its own way: alpha's container loses its qualification without alpha saying a thing.
    rename(b, twin.Id, "unique-on-beta");
    await seen.next(
      (e) =>
        e.type === "delta" &&
        e.delta.upsertContainers.some((c) => c.id === shared.Id && c.name === shared.Names[0].slice(1)),
    );
    expect(facts(fleet.current().topology)).toEqual(facts(await freshMerge(members)));

    // And back: the collision reappears on both engines.
    rename(b, twin.Id, shared.Names[0].slice(1));
    await seen.next(
      (e) =>
        e.type === "delta" &&
        e.delta.upsertContainers.some((c) => c.id === shared.Id && c.bareName !== undefined),
    );
    expect(facts(fleet.current().topology)).toEqual(facts(await freshMerge(members)));
    // A client that applied the snapshot and every delta holds exactly the fleet's topology.
    expect(facts(replayed(seen.events))).toEqual(facts(fleet.current().topology));
  });

  it("serves the engines that answer while one is dead, and reports each engine's health", async () => {
    const a = await replay(standalone(syntheticRecording({ containers: 8, networks: 2, seed: 3 }), 3));
    const { fleet, seen } = await startFleet([
      { key: "alpha", client: client(a.url) },
      { key: "ghost", client: client("unix:///nonexistent/docker.sock") },
    ]);
    expect(fleet.hasTopology()).toBe(true);
    const { topology, status } = fleet.current();
    expect(topology.containers.map((c) => c.id).sort()).toEqual(a.data.containers.map((c) => c.Id).sort());
    expect(status.engines?.map((e) => [e.key, e.reachable, e.stale])).toEqual([
      ["alpha", true, false],
      ["ghost", false, true],
    ]);
    expect(status.engines?.[1].error).toMatch(/nonexistent\/docker\.sock.*ENOENT/);
    expect(status).toMatchObject({ reachable: true, stale: true });
    expect(status.error).toMatch(/^ghost: /);

    // The dead engine stalls nothing: alpha's changes arrive as ever.
    const victim = a.data.containers[0];
    togglePaused(a, victim);
    await seen.next(
      (e) =>
        e.type === "delta" &&
        e.delta.upsertContainers.some((c) => c.id === victim.Id && c.state === "paused"),
    );
  });

  it("keeps a lost engine's containers, marked stale in its health, while the others go on", async () => {
    const a = await replay(standalone(syntheticRecording({ containers: 8, networks: 2, seed: 4 }), 4));
    const b = await replay(standalone(syntheticRecording({ containers: 8, networks: 2, seed: 5 }), 5));
    const { fleet, seen } = await startFleet([
      { key: "alpha", client: client(a.url) },
      { key: "beta", client: client(b.url) },
    ]);
    await b.close();
    await seen.next(
      (e) =>
        e.type === "status" &&
        e.status.engines?.some((h) => h.key === "beta" && !h.reachable && h.stale) === true,
    );
    const ids = new Set(fleet.current().topology.containers.map((c) => c.id));
    expect(b.data.containers.every((c) => ids.has(c.Id))).toBe(true);
    expect(fleet.current().status.engines?.find((h) => h.key === "alpha")).toMatchObject({
      reachable: true,
      stale: false,
    });
    const victim = a.data.containers[1];
    togglePaused(a, victim);
    await seen.next(
      (e) =>
        e.type === "delta" &&
        e.delta.upsertContainers.some((c) => c.id === victim.Id && c.state === "paused"),
    );
    expect(seen.events.filter((e) => e.type === "snapshot")).toHaveLength(1);
  });

  it("follows a swarm: task-only placeholders give way to their node's engine, and tasks follow the containers", async () => {
    const recording = syntheticFleet({ nodes: 3, tasks: 24 });
    const [n1, n2] = await Promise.all(recording.engines.slice(0, 2).map((e) => replay(e.recording)));
    // node3's engine is not up yet: its address is a link to a socket that does not exist.
    const dir = mkdtempSync(join(tmpdir(), "rgt-fleet-"));
    const later = join(dir, "node3.sock");
    try {
      const urls = [n1.url, n2.url, `unix://${later}`];
      const { fleet, seen } = await startFleet(urls.map((url) => ({ client: client(url) })));
      const node3Tasks = recording.engines[2].recording.containers.map((c) => c.Id);
      let topology = fleet.current().topology;
      expect(topology.engines.map((e) => e.key)).toEqual(["node1", "node2"]);
      expect(topology.swarm?.nodes.map((n) => [n.hostname, n.engine])).toEqual([
        ["node1", "node1"],
        ["node2", "node2"],
        ["node3", undefined],
      ]);
      const placeholders = topology.containers.filter((c) => c.engine === undefined);
      expect(placeholders.map((c) => c.id).sort()).toEqual([...node3Tasks].sort());
      expect(placeholders.every((c) => c.node === "node3")).toBe(true);
      expect(facts(topology)).toEqual(
        facts(await collectFleet(urls.slice(0, 2).map((u) => ({ client: client(u) })))),
      );

      // node3's engine comes up: its containers replace the placeholders, ID for ID.
      const n3 = await replay(recording.engines[2].recording);
      symlinkSync(n3.socketPath, later);
      await seen.next(
        (e) =>
          e.type === "delta" &&
          e.delta.upsertContainers.some((c) => c.id === node3Tasks[0] && c.engine === "node3"),
      );
      topology = fleet.current().topology;
      expect(topology.containers.filter((c) => c.engine === undefined)).toEqual([]);
      expect(facts(topology)).toEqual(facts(await collectFleet(urls.map((u) => ({ client: client(u) })))));

      // A task's container goes on node2 and the manager drops the task: the container event has the
      // manager's lists read again, and the swarm follows.
      const gone = n2.data.containers[0];
      const taskId = gone.Labels?.["com.docker.swarm.task.id"];
      // Both, in either order (a read of the lists already due may see the task gone first).
      const followed = Promise.all([
        seen.next((e) => e.type === "delta" && e.delta.removeContainers.includes(gone.Id)),
        seen.next(
          (e) =>
            e.type === "delta" &&
            e.delta.swarm !== undefined &&
            !e.delta.swarm.tasks.some((t) => t.id === taskId),
        ),
      ]);
      n2.data.containers = n2.data.containers.filter((c) => c !== gone);
      n1.data.tasks = (n1.data.tasks ?? []).filter((t) => t.ID !== taskId);
      n2.emit({ Type: "container", Action: "destroy", Actor: { ID: gone.Id, Attributes: {} } });
      await followed;
      topology = fleet.current().topology;
      expect(topology.containers.some((c) => c.id === gone.Id)).toBe(false);
      expect(facts(topology)).toEqual(facts(await collectFleet(urls.map((u) => ({ client: client(u) })))));
      expect(facts(replayed(seen.events))).toEqual(facts(topology));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses one engine given twice, which would show every container twice", async () => {
    const a = await replay(standalone(syntheticRecording({ containers: 4, networks: 1, seed: 6 }), 6));
    const fleet = new LiveFleet(
      [{ client: client(a.url) }, { client: client(`unix://${a.socketPath}`) }],
      FAST,
    );
    fleets.push(fleet);
    await expect(fleet.start()).rejects.toThrow(/are the same engine/);
  });
});
