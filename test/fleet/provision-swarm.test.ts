import { copyFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { docker, run } from "../support/docker-cli.ts";
import { ownNode, waitNodeState } from "../support/fleet.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/provision-swarm.sh", import.meta.url));

/** Runs scripts/provision-swarm.sh for one node; resolves with the lines it printed (stderr). */
async function provision(name: string, env = ""): Promise<string[]> {
  const out = await run("/bin/bash", ["-c", `${env} bash "$0" "$1" 2>&1`, SCRIPT, name], 240_000);
  return out.trim().split("\n");
}

const registrations = async (hostname: string) =>
  (await docker("node", "ls", "--format", "{{.ID}} {{.Hostname}}"))
    .split("\n")
    .filter((l) => l.endsWith(` ${hostname}`));

/**
 * The provisioning of a worker (what keeps node2 and node3 joined) repairs every state a machine can be found in
 * and leaves a healthy node untouched. Tried on an own node: node2 and node3 are never touched.
 */
describe("scripts/provision-swarm.sh on an own node", () => {
  it(
    "leaves a healthy worker alone and repairs a dead dockerd, a left swarm and (when asked) a shared engine ID",
    { timeout: 600_000 },
    async () => {
      let hostname: string;
      {
        await using node = await ownNode("prov");
        hostname = node.hostname;
        const summary = `provision-swarm: swarm ready: manager 10.232.0.1, workers ${node.hostname}`;
        const state = async () =>
          (await node.docker("info", "--format", "{{.ID}} {{.Swarm.LocalNodeState}} {{.Swarm.NodeID}}"))
            .trim()
            .split(" ");

        // Healthy: nothing to do, nothing said but the summary.
        expect(await provision(node.hostname)).toEqual([summary]);

        // Its dockerd killed: started again, back in the swarm, Ready.
        await node.engine.kill();
        expect(await provision(node.hostname)).toContain(
          `provision-swarm: ${node.hostname}: dockerd started`,
        );
        const [, afterKill, idAfterKill] = await state();
        expect(afterKill).toBe("active");
        await waitNodeState(idAfterKill, "ready");

        // It left the swarm: joined again, and the manager's stale registration of it removed.
        await node.docker("swarm", "leave", "--force");
        const lines = await provision(node.hostname);
        expect(lines).toContain(
          `provision-swarm: ${node.hostname}: joined as a worker advertised on ${node.address}`,
        );
        expect(lines.some((l) => l.includes(`removed the manager's stale node ${idAfterKill}`))).toBe(true);
        const [, , rejoined] = await state();
        expect(await registrations(node.hostname)).toEqual([`${rejoined} ${node.hostname}`]);

        // Its engine ID the main engine's (the main engine's key.json): restarted with a key of its own.
        await copyFile("/etc/docker/key.json", `/var/lib/docker-${node.engine.name}/key.json`);
        await node.engine.kill();
        await node.engine.restart();
        const main = (await docker("info", "--format", "{{.ID}}")).trim();
        expect((await state())[0]).toBe(main);
        // Unasked, it only warns: restarting stops every container on the node.
        const warned = await provision(node.hostname);
        expect(
          warned.some((l) =>
            l.startsWith(`provision-swarm: ${node.hostname}: WARNING: has the main engine's`),
          ),
        ).toBe(true);
        expect((await state())[0]).toBe(main);
        expect(await provision(node.hostname, "RESTART_SHARED_ID=1")).toContain(
          `provision-swarm: ${node.hostname}: dockerd restarted with its own engine ID (it had the main engine's)`,
        );
        const [ownId, finalState, finalNode] = await state();
        expect(ownId).not.toBe(main);
        expect(finalState).toBe("active");
        await waitNodeState(finalNode, "ready");
        expect(await provision(node.hostname)).toEqual([summary]);
      }
      // Disposed: no registration of it is left on the manager, whatever rejoins it went through.
      expect(await registrations(hostname)).toEqual([]);
    },
  );
});
