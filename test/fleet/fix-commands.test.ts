/**
 * A fix is a command that works when pasted: on the real swarm (this engine the manager, node2 a worker),
 * blocked pairs whose ends are on different machines, with names that collide across them (`twin@vm`,
 * `twin@node2`), get their fix commands run with sh exactly as printed; a second read of the fleet then says
 * the pair is reachable. Each command addresses its end's engine (`docker --host …`), names the container as
 * that engine does (never `name@node`), and makes the overlay on the manager (SW-1, SW-2, NO-1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { explainPair, indexTopology } from "../../server/model/reachability/index.ts";
import { run as runFile } from "../support/docker-cli.ts";
import type { Fleet } from "../support/fleet.ts";
import { FleetRun, requireFleet } from "../support/fleet.ts";
import type { Scenario } from "../support/scenario.ts";
import { SLEEP } from "../support/scenario.ts";

let fleet: Fleet;
let run: FleetRun;
let node2: Scenario;

const read = async () =>
  indexTopology(
    await collectFleet(
      [fleet.manager.url, fleet.node("node2").url].map((url) => ({
        client: createEngineClient(resolveEngine({ engine: url })),
      })),
    ),
  );

/** Runs each printed command with sh, as a user pasting it would. */
async function paste(commands: string[]): Promise<void> {
  for (const command of commands) await runFile("sh", ["-c", command]);
}

beforeAll(async () => {
  fleet = await requireFleet();
  run = await FleetRun.create(fleet);
  node2 = await run.on(fleet.node("node2"));
  await Promise.all([
    run.manager.container("twin"),
    node2.container("twin"),
    node2.container("none", { network: "none", command: SLEEP }),
    node2.container("alone", { network: "none", command: SLEEP }),
    run.manager.container("plain"),
  ]);
}, 300_000);

afterAll(async () => {
  await run?.cleanup();
}, 300_000);

describe("fix commands across machines, run as printed", () => {
  it("twin@vm -> twin@node2: an overlay made on the manager, each twin connected on its own engine", async () => {
    const p = run.prefix;
    const before = explainPair(await read(), `${p}twin@vm`, `${p}twin@node2`);
    expect(before.verdict).toBe("blocked");
    const commands = before.fix?.commands ?? [];
    expect(commands).toEqual([
      `docker --host ${fleet.manager.url} network create -d overlay --attachable ${p}twin-vm-${p}twin-node2`,
      `docker --host ${fleet.manager.url} network connect ${p}twin-vm-${p}twin-node2 ${p}twin`,
      `docker --host ${fleet.node("node2").url} network connect ${p}twin-vm-${p}twin-node2 ${p}twin`,
    ]);
    await paste(commands);
    expect(explainPair(await read(), `${p}twin@vm`, `${p}twin@node2`).verdict).toBe("reachable");
  }, 300_000);

  it("a --network none end on node2 joins the other end's overlay, not a local bridge (NO-1, SW-1)", async () => {
    const p = run.prefix;
    const before = explainPair(await read(), `${p}none`, `${p}twin@vm`);
    expect(before.verdict).toBe("blocked");
    const commands = before.fix?.commands ?? [];
    const on2 = `docker --host ${fleet.node("node2").url}`;
    expect(commands).toEqual([
      `${on2} network disconnect none ${p}none`,
      `${on2} network connect ${p}twin-vm-${p}twin-node2 ${p}none`,
    ]);
    await paste(commands);
    expect(explainPair(await read(), `${p}none`, `${p}twin@vm`).verdict).toBe("reachable");
  }, 300_000);

  it("a --network none end on node2 and a bridge-only end on vm: a new overlay, never connect bridge (SW-2)", async () => {
    const p = run.prefix;
    const before = explainPair(await read(), `${p}alone`, `${p}plain`);
    expect(before.verdict).toBe("blocked");
    const commands = before.fix?.commands ?? [];
    const [on1, on2] = [fleet.manager.url, fleet.node("node2").url].map((u) => `docker --host ${u}`);
    const shared = `${p}alone-${p}plain`;
    expect(commands).toEqual([
      `${on1} network create -d overlay --attachable ${shared}`,
      `${on2} network disconnect none ${p}alone`,
      `${on2} network connect ${shared} ${p}alone`,
      `${on1} network connect ${shared} ${p}plain`,
    ]);
    await paste(commands);
    expect(explainPair(await read(), `${p}alone`, `${p}plain`).verdict).toBe("reachable");
  }, 300_000);
});
