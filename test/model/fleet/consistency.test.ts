import { describe, expect, it } from "vitest";
import { parseProcRoutes } from "../../../server/engine/host-routes.ts";
import { fleetTopology } from "../../../server/example/fleet.ts";
import type { Finding } from "../../../server/model/fleet/consistency.ts";
import { consistencyFindings } from "../../../server/model/fleet/consistency.ts";
import { formatFindings } from "../../../server/model/fleet/findings-text.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { loadFleetRecording } from "../../support/recording.ts";

/** Recorded from the real swarm by scripts/record-fleet.ts (swarm, down, consistency-*). */
function recorded(scenario: string): {
  topology: Topology;
  manifest: ReturnType<typeof loadFleetRecording>["manifest"];
} {
  const { recording, manifest } = loadFleetRecording(scenario);
  const topology = fleetTopology(recording, {
    kind: "snapshot",
    label: scenario,
    capturedAt: manifest.recordedAt,
  });
  return { topology, manifest };
}

const rules = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.node}`).sort();

/** This machine's route table as /proc/net/route printed it while the swarm ran (default, node bridge, blackhole, docker0, docker_gwbridge, LAN). */
const PROC_ROUTE = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
rgnodes0	0000E80A	00000000	0001	0	0	0	00FFFFFF	0	0	0
*	0000F00A	00000000	0001	0	0	0	0000FFFF	0	0	0
docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
docker_gwbridge	000013AC	00000000	0001	0	0	0	0000FFFF	0	0	0
eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
`;

describe("consistency findings (CS-1..CS-7) on recorded swarms", () => {
  it("are silent on the healthy three-node swarm, with the host's own routes too", () => {
    const { topology } = recorded("swarm");
    expect(consistencyFindings(topology, { node: "vm", routes: parseProcRoutes(PROC_ROUTE) })).toEqual([]);
    expect(formatFindings([])).toMatch(/^no consistency findings/);
  });

  it("say nothing of a killed worker known only from the manager: it is down and no view lists it", () => {
    expect(consistencyFindings(recorded("down").topology)).toEqual([]);
  });

  it("CS-1, CS-3, CS-4: a node down for the manager whose gossip still flows stays a peer and a backend", () => {
    const { topology, manifest } = recorded("consistency-control");
    const own = manifest.containers.b.engine;
    const found = consistencyFindings(topology);
    expect(rules(found)).toEqual(["CS-1 vm", "CS-3 " + own, "CS-4 " + own, "CS-4 vm"].sort());
    const stale = found.find((f) => f.rule === "CS-1");
    const addr = topology.swarm?.nodes.find((n) => n.hostname === own)?.addr ?? "?";
    expect(stale?.summary).toBe(`stale peer ${addr} in vm's view of ${manifest.networks.mesh.name}`);
    expect(stale?.evidence[1]).toBe(`the manager reports ${own} (${addr}) down`);
    expect(stale?.fix[0]).toContain(`docker node rm --force ${own}`);
    const backend = found.find((f) => f.rule === "CS-4" && f.node === "vm");
    expect(backend?.summary).toContain(manifest.services.svc.name);
    // The manager has given the task up (desired shutdown); its node still runs it, every view balances to it.
    expect(backend?.evidence[1]).toMatch(
      new RegExp(`is running \\(desired shutdown\\) on ${own}, which is down$`),
    );
    expect(found.find((f) => f.rule === "CS-3")?.evidence[1]).toContain(manifest.containers.b.name);
  });

  it("CS-2, CS-5: a node the manager keeps ready is missing from a view, with its backends, once its gossip is cut", () => {
    const { topology, manifest } = recorded("consistency-gossip");
    const own = manifest.containers.b.engine;
    const found = consistencyFindings(topology);
    expect(rules(found)).toEqual(["CS-2 vm", "CS-5 vm"]);
    const missing = found.find((f) => f.rule === "CS-2");
    const addr = topology.swarm?.nodes.find((n) => n.hostname === own)?.addr ?? "?";
    expect(missing?.summary).toBe(
      `vm's view of ${manifest.networks.mesh.name} misses the peer ${own} (${addr})`,
    );
    expect(missing?.evidence[1]).toContain(manifest.containers.b.name);
    expect(missing?.fix[0]).toContain("open 7946/tcp, 7946/udp and 4789/udp");
    expect(found.find((f) => f.rule === "CS-5")?.evidence[0]).toBe(
      `vm's view of ${manifest.networks.mesh.name} has no entry for ${manifest.services.svc.name}`,
    );
  });

  it("CS-7: a bridge on one node holding an overlay's subnet; local networks of different nodes never clash", () => {
    const { topology, manifest } = recorded("consistency-clash");
    const own = manifest.containers.b.engine;
    const found = consistencyFindings(topology);
    expect(rules(found)).toEqual([`CS-7 ${own}`]);
    expect(found[0].network.id).toBe(manifest.networks.spare.id);
    expect(found[0].fix[1]).toBe(`on ${own}: docker network rm ${manifest.prefix}clash`);
  });

  it("CS-6: a route Docker did not make over a network's pool; its own bridges' routes, blackholes and the default are not", () => {
    const { topology } = recorded("swarm");
    const local = topology.networks.find(
      (n) => n.node === "vm" && n.driver === "bridge" && n.name.startsWith("rgt-"),
    );
    const subnet = local?.subnets[0]?.subnet ?? "";
    const vpn = `tun0	${hex(subnet)}	00000000	0001	0	0	0	00FFFFFF	0	0	0`;
    const found = consistencyFindings(topology, {
      node: "vm",
      routes: parseProcRoutes(`${PROC_ROUTE}${vpn}\n`),
    });
    expect(found.map((f) => f.rule)).toEqual(["CS-6"]);
    expect(found[0].summary).toBe(`${local?.name} (${subnet}) overlaps the host route ${subnet} dev tun0`);
    // Another machine's networks never meet this machine's routes.
    expect(
      consistencyFindings(topology, { node: "node2", routes: parseProcRoutes(`${PROC_ROUTE}${vpn}\n`) }).some(
        (f) => f.network.id === local?.id,
      ),
    ).toBe(false);
  });

  it("prints each finding like a verdict: rule and summary, evidence from its node, the fix", () => {
    const text = formatFindings(consistencyFindings(recorded("consistency-clash").topology));
    expect(text).toMatch(/^CS-7 {2}.+ overlaps the overlay .+\n {6}evidence \(.+\): .+\n/);
    expect(text).toContain("      fix: ");
    expect(text).toMatch(/1 finding; rules: /);
  });
});

/** `10.213.5.0/24` as /proc/net/route writes an address: little-endian hex. */
function hex(cidr: string): string {
  return cidr
    .replace(/\/\d+$/, "")
    .split(".")
    .reverse()
    .map((o) => Number(o).toString(16).padStart(2, "0").toUpperCase())
    .join("");
}
