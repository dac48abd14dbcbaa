import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectFleet } from "../../server/collector/fleet.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { run } from "../support/docker-cli.ts";
import { ENGINE_URL, requireEngine } from "../support/engine.ts";
import { TEST_IMAGE, TEST_PREFIX } from "../support/scenario.ts";

/** The real three-node swarm scripts/provision-swarm.sh keeps: the manager (this engine) and two workers. */
const URLS = [ENGINE_URL, "unix:///run/docker-node2.sock", "unix:///run/docker-node3.sock"];
const prefix = `${TEST_PREFIX}mi${randomBytes(3).toString("hex")}-`;
const OVERLAY = `${prefix}ovl`;
const SERVICE = `${prefix}svc`;
const SAME = `${prefix}same`;

const cli = (url: string, ...args: string[]) => run("/usr/bin/docker", ["--host", url, ...args]);
const cliJson = async <T>(url: string, ...args: string[]) => JSON.parse(await cli(url, ...args)) as T;
const fleet = (urls: string[]) =>
  collectFleet(urls.map((url) => ({ client: createEngineClient(resolveEngine({ engine: url })) })));

interface CliContainer {
  Id: string;
  Name: string;
  State: { Status: string };
  NetworkSettings: { Networks: Record<string, { NetworkID: string; IPAddress: string }> };
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

let hostnames: string[] = [];
let merged: Topology;
let managerOnly: Topology;

beforeAll(async () => {
  await requireEngine();
  hostnames = await Promise.all(
    URLS.map(async (url) => (await cli(url, "info", "--format", "{{.Name}}")).trim()),
  );
  await cli(
    ENGINE_URL,
    "network",
    "create",
    "--driver",
    "overlay",
    "--attachable",
    "--subnet",
    "10.233.7.0/24",
    OVERLAY,
  );
  // Other tests' own nodes come and go: keep the tasks on these three.
  const others = (await cli(ENGINE_URL, "node", "ls", "--format", "{{.Hostname}}"))
    .split("\n")
    .filter((h) => h && !hostnames.includes(h));
  await cli(
    ENGINE_URL,
    ...["service", "create", "--detach", "--name", SERVICE, "--network", OVERLAY, "--replicas", "3"],
    ...others.flatMap((h) => ["--constraint", `node.hostname!=${h}`]),
    ...["--replicas-max-per-node", "1", "--endpoint-mode", "dnsrr", TEST_IMAGE, "sleep", "3600"],
  );
  for (const url of URLS.slice(0, 2))
    await cli(url, "run", "-d", "--name", SAME, TEST_IMAGE, "sleep", "3600");
  await cli(URLS[2], "run", "-d", "--name", `${prefix}o3`, "--network", OVERLAY, TEST_IMAGE, "sleep", "3600");
  // Workers spend 20-30 s in Preparing (the registry pull times out) before the task runs from the local image.
  await until("three running tasks", async () => {
    const states = await cli(
      ENGINE_URL,
      "service",
      "ps",
      SERVICE,
      "--filter",
      "desired-state=running",
      "--format",
      "{{.CurrentState}}",
    );
    return states.split("\n").filter((s) => s.startsWith("Running")).length === 3 ? true : undefined;
  });
  [merged, managerOnly] = await Promise.all([fleet(URLS), fleet([ENGINE_URL])]);
}, 240_000);

afterAll(async () => {
  await cli(ENGINE_URL, "service", "rm", SERVICE).catch(() => undefined);
  for (const url of URLS) {
    const ids = (await cli(url, "ps", "-aq", "--filter", `name=${prefix}`).catch(() => ""))
      .split("\n")
      .filter(Boolean);
    if (ids.length) await cli(url, "rm", "-f", ...ids).catch(() => undefined);
  }
  // The overlay goes once the service's tasks have left it on every node.
  await until(
    "the overlay removed",
    async () => {
      await cli(ENGINE_URL, "network", "rm", OVERLAY).catch(async (error: Error) => {
        if (!/No such network|not found/i.test(error.message)) throw error;
      });
      return true;
    },
    60_000,
  ).catch(() => undefined);
}, 120_000);

const ours = (t: Topology) => t.containers.filter((c) => (c.bareName ?? c.name).startsWith(prefix));

describe("a fleet of three engines, merged", () => {
  it("holds every container of every engine, on its node, with the addresses docker inspect shows", async () => {
    for (const [i, url] of URLS.entries()) {
      const ids = (await cli(url, "ps", "-aq", "--no-trunc", "--filter", `name=${prefix}`))
        .split("\n")
        .filter(Boolean);
      expect(ids.length).toBeGreaterThan(0);
      const inspects = await cliJson<CliContainer[]>(url, "inspect", ...ids);
      for (const real of inspects) {
        const seen = merged.containers.find((c) => c.id === real.Id) as Container;
        expect(seen, real.Name).toBeDefined();
        expect(seen.node).toBe(hostnames[i]);
        expect(seen.engine).toBe(hostnames[i]);
        expect(seen.bareName ?? seen.name).toBe(real.Name.slice(1));
        expect(seen.state).toBe(real.State.Status);
        const addresses = Object.fromEntries(
          Object.values(real.NetworkSettings.Networks).map((ep) => [ep.NetworkID, ep.IPAddress || null]),
        );
        const modelled = Object.fromEntries(
          seen.interfaces.filter((f) => !f.implicit).map((f) => [f.networkId, f.ipv4]),
        );
        expect(modelled).toEqual(addresses);
      }
    }
    expect(merged.engines.map((e) => e.key)).toEqual(hostnames);
  });

  it("qualifies a name two machines use as name@node, and leaves unique names bare", () => {
    const same = ours(merged).filter((c) => c.bareName === SAME);
    expect(same.map((c) => c.name).sort()).toEqual(
      [`${SAME}@${hostnames[0]}`, `${SAME}@${hostnames[1]}`].sort(),
    );
    expect(ours(merged).find((c) => c.name === `${prefix}o3`)?.bareName).toBeUndefined();
    // One engine alone has no collision.
    expect(ours(managerOnly).find((c) => c.name === SAME)?.bareName).toBeUndefined();
  });

  it("stitches the overlay into one network spanning the nodes, with each node's own view of it", async () => {
    const overlays = merged.networks.filter((n) => n.name === OVERLAY);
    expect(overlays).toHaveLength(1);
    expect(overlays[0].nodes).toEqual([...hostnames].sort());
    expect(overlays[0].views?.map((v) => v.node).sort()).toEqual([...hostnames].sort());
    const addrs = (
      await Promise.all(URLS.map((url) => cli(url, "info", "--format", "{{.Swarm.NodeAddr}}")))
    ).map((a) => a.trim());
    for (const view of overlays[0].views ?? [])
      expect(view.peers.map((p) => p.ip).sort()).toEqual([...addrs].sort());
    // Local networks stay per machine: every engine's bridge, each on its node.
    const bridges = merged.networks.filter((n) => n.name === "bridge");
    expect(bridges.map((n) => n.node).sort()).toEqual([...hostnames].sort());
  });

  it("pointed at the manager alone, places the tasks of other nodes on their nodes from /tasks", async () => {
    const tasks = ours(managerOnly).filter((c) => c.swarm?.service === SERVICE);
    expect(tasks.map((t) => t.node).sort()).toEqual([...hostnames].sort());
    const overlayId = merged.networks.find((n) => n.name === OVERLAY)?.id;
    for (const task of tasks) {
      const real = merged.containers.find((c) => c.swarm?.taskId === task.swarm?.taskId) as Container;
      expect(real.node).toBe(task.node);
      if (task.node === hostnames[0]) {
        expect(task.engine).toBe(hostnames[0]);
        continue;
      }
      // Known only from the manager: no engine, not inspected, but the task's own address and container ID.
      expect(task.engine).toBeUndefined();
      expect(task.inspected).toBe(false);
      expect(task.id).toBe(real.id);
      expect(task.interfaces.find((f) => f.networkId === overlayId)?.ipv4).toBe(
        real.interfaces.find((f) => f.networkId === overlayId)?.ipv4,
      );
    }
    expect(managerOnly.swarm?.nodes.map((n) => n.hostname)).toEqual(expect.arrayContaining(hostnames));
  });
});
