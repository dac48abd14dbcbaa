import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { Network, ServerEvent } from "../../server/model/topology.ts";
import type { Fleet } from "../support/fleet.ts";
import { FleetRun, requireFleet } from "../support/fleet.ts";
import type { ScenarioNetwork } from "../support/scenario.ts";
import { SLEEP } from "../support/scenario.ts";
import { SseClient } from "../support/sse.ts";

/**
 * An overlay's per-node views followed live: a container joining it on node3 changes the peers the manager's
 * engine lists for it, which that engine announces with no event of its own.
 */
let fleet: Fleet;
let run: FleetRun | undefined;
let overlay: ScenarioNetwork;
let server: RunningServer | undefined;
let sse: SseClient | undefined;

beforeAll(async () => {
  fleet = await requireFleet();
  run = await FleetRun.create(fleet);
  overlay = await run.manager.network("ovl", { driver: "overlay", attachable: true });
  await run.manager.container("a", { network: overlay.name, command: SLEEP });
  await (await run.on(fleet.workers[0])).container("b", { network: overlay.name, command: SLEEP });
  server = await startServer({
    port: 0,
    engines: fleet.nodes.map((n) => resolveEngine({ engine: n.url })),
  });
  sse = await SseClient.open(`${server.url}/api/events`);
}, 300_000);

afterAll(async () => {
  await sse?.close();
  await server?.close();
  await run?.cleanup();
}, 300_000);

/** The manager's verbose view's peers, as `docker network inspect --verbose` on the manager lists them. */
async function managerPeers(): Promise<string[]> {
  const [inspect] = JSON.parse(await fleet.manager.docker("network", "inspect", "--verbose", overlay.id)) as {
    Peers?: { IP: string }[] | null;
  }[];
  return (inspect.Peers ?? []).map((p) => p.IP).sort();
}

const viewOf = (n: Network | undefined, node: string) => n?.views?.find((v) => v.node === node);

describe("an overlay's views, live", () => {
  it("re-reads every node's view when a container joins the overlay on another node", async () => {
    const c = sse as SseClient;
    const snapshot = await c.next((e) => e.type === "snapshot");
    if (snapshot.type !== "snapshot") return;
    const [vm, node2, node3] = fleet.nodes;
    const first = snapshot.topology.networks.find((n) => n.id === overlay.id);
    expect(first?.nodes).toEqual(expect.arrayContaining([vm.hostname, node2.hostname]));
    expect(first?.views?.map((v) => v.node)).toEqual(expect.arrayContaining([vm.hostname, node2.hostname]));

    const from = c.events.length;
    await (await (run as FleetRun).on(node3)).container("c", { network: overlay.id, command: SLEEP });
    // The manager's engine sends nothing about node3's new endpoint; its view changes all the same.
    const updated = (e: ServerEvent) =>
      e.type === "delta" &&
      e.delta.upsertNetworks.some(
        (n) => n.id === overlay.id && viewOf(n, vm.hostname)?.peers.some((p) => p.ip === node3.address),
      );
    const seen = await c.next(updated, 60_000, from);
    const network =
      seen.type === "delta" ? seen.delta.upsertNetworks.find((n) => n.id === overlay.id) : undefined;
    expect(network?.views?.map((v) => v.node)).toEqual(
      expect.arrayContaining([vm.hostname, node2.hostname, node3.hostname]),
    );
    expect(
      viewOf(network, vm.hostname)
        ?.peers.map((p) => p.ip)
        .sort(),
    ).toEqual(await managerPeers());
  }, 120_000);
});
