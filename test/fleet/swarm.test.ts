import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiNode, ApiTask } from "../../server/model/engine-api.ts";
import { docker } from "../support/docker-cli.ts";
import type { Fleet, FleetNode } from "../support/fleet.ts";
import { FleetRun, requireFleet } from "../support/fleet.ts";

/**
 * The three-node swarm the fleet tests run on (scripts/provision-swarm.sh), checked for real: a broken recipe
 * (routed veths, a FORWARD drop, a worker in another swarm) fails here loudly rather than in every fleet test.
 */
describe("the real three-node swarm", () => {
  let fleet: Fleet;
  let run: FleetRun;

  beforeAll(async () => {
    // Fails, never skips, without the engine or with a worker that is not Ready.
    fleet = await requireFleet();
    run = await FleetRun.create(fleet);
  });
  afterAll(async () => {
    await run?.cleanup();
  });

  it("has the manager and node2, node3 Ready, each on its own engine and address", async () => {
    const nodes = JSON.parse(
      await docker("node", "inspect", ...fleet.nodes.map((n) => n.nodeId)),
    ) as ApiNode[];
    expect(
      nodes.map((n) => [n.Description?.Hostname, n.Spec?.Role, n.Status?.State, n.Status?.Addr]),
    ).toEqual([
      ["vm", "manager", "ready", "10.232.0.1"],
      ["node2", "worker", "ready", "10.232.0.2"],
      ["node3", "worker", "ready", "10.232.0.3"],
    ]);
    expect(new Set(fleet.nodes.map((n) => n.url)).size).toBe(3);
    // Each its own engine: engines sharing one key.json have one engine ID and cannot be told apart.
    const ids = await Promise.all(
      fleet.nodes.map(async (n) => (await n.docker("info", "--format", "{{.ID}}")).trim()),
    );
    expect(new Set(ids).size, `engine IDs ${ids.join(", ")}`).toBe(3);
  });

  it(
    "runs a dnsrr service's tasks on two nodes that resolve and reach each other by name over the overlay",
    { timeout: 300_000 },
    async () => {
      const mesh = await run.manager.network("mesh", { driver: "overlay", attachable: true });
      const hosts = ["node2", "node3"];
      const service = await run.service("rr", {
        replicas: 2,
        endpointMode: "dnsrr",
        networks: [{ name: mesh.name }],
        onNodes: hosts,
        maxPerNode: 1,
      });
      const tasks = await run.waitRunning(service, 2, hosts);
      const nodeOf = (t: ApiTask): FleetNode => {
        const node = fleet.nodes.find((n) => n.nodeId === t.NodeID);
        if (!node) throw new Error(`task ${t.ID} runs on no fleet node (${t.NodeID})`);
        return node;
      };
      const addressOf = (t: ApiTask) =>
        t.NetworksAttachments?.find((a) => a.Network?.ID === mesh.id)?.Addresses?.[0]?.split("/")[0] ?? "";
      const taskName = (t: ApiTask) => `${service.name}.${t.Slot}.${t.ID}`;
      const addresses = tasks.map(addressOf).sort();
      expect(addresses.every(Boolean)).toBe(true);
      expect(new Set(tasks.map((t) => nodeOf(t).hostname))).toEqual(new Set(hosts));

      for (const [from, to] of [tasks, [...tasks].reverse()]) {
        const exec = (...command: string[]) =>
          nodeOf(from).docker("exec", from.Status?.ContainerStatus?.ContainerID ?? "", ...command);
        // dnsrr: the service name and tasks.<service> answer every task's address; the task's name its own.
        for (const name of [service.name, `tasks.${service.name}`]) {
          const answer = await exec("nslookup", name);
          const found = [...answer.matchAll(/Address: (\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]).sort();
          expect(found, `${name} from ${nodeOf(from).hostname}: ${answer}`).toEqual(addresses);
        }
        // Across nodes over VXLAN, by the other task's name: ICMP and a TCP connection to its httpd.
        const ping = await exec("ping", "-c", "2", "-W", "5", taskName(to));
        expect(ping).toContain(`(${addressOf(to)})`);
        expect(ping).toMatch(/2 packets received/);
        // busybox httpd answers 404 for / (no index): an HTTP answer proves the TCP path, a timeout would not.
        // (This static busybox's wget crashes resolving names; nc resolves them as the probes do.)
        const request = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 10 nc -w 5 ${taskName(to)} 80 | head -n 1`;
        expect(await exec("sh", "-c", request)).toMatch(/^HTTP\/1\.\d 404/);
      }
    },
  );
});
