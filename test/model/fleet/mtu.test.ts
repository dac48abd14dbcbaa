import { describe, expect, it } from "vitest";
import { fleetTopology } from "../../../server/example/fleet.ts";
import {
  mtuFinding,
  parseMtuOutput,
  planMtuChecks,
  renderMtuScript,
} from "../../../server/model/fleet/mtu.ts";
import { loadFleetRecording } from "../../support/recording.ts";

const { recording, manifest } = loadFleetRecording("swarm");
const topology = fleetTopology(recording, {
  kind: "snapshot",
  label: "swarm",
  capturedAt: manifest.recordedAt,
});
const mesh = manifest.networks.mesh;

/** What the CS-8 script printed on the real overlay: healthy, and with the target node's eth0 at MTU 1400. */
const HEALTHY = "RGMTU mtu 1450\nRGMTU nopmtudisc 0\nRGMTU small ok\nRGMTU big 1422 ok\nRGMTU end\n";
const LOWERED =
  "RGMTU mtu 1450\nRGMTU nopmtudisc 0\nRGMTU small ok\nRGMTU big 1422 fail\nRGMTU largest 1326\nRGMTU end\n";

describe("the overlay MTU check (CS-8)", () => {
  it("plans one check per pair of nodes on each overlay, from a member whose engine is connected", () => {
    const plans = planMtuChecks(topology, [mesh.id]);
    const pairs = plans.map((p) => `${p.source.node}>${p.target.node}`).sort();
    expect(pairs).toEqual(["node2>node3", "node2>vm", "node3>vm"]);
    for (const p of plans) {
      expect(p.network).toEqual({ id: mesh.id, name: mesh.name });
      expect(p.source.engine).toBe(p.source.node);
      expect(p.source.address).toMatch(/^10\.213\.\d+\.\d+$/);
    }
    // The ingress network is the routing mesh's, not the user's overlay.
    expect(planMtuChecks(topology).every((p) => p.network.name !== "ingress")).toBe(true);
  });

  it("pings with MTU − 28 bytes, twice before it says fail, and bisects only after a failure", () => {
    const [plan] = planMtuChecks(topology, [mesh.id]);
    const script = renderMtuScript(plan);
    expect(script).toContain(`awk -v a=${plan.source.address} `);
    expect(script).toContain(`ping -c 1 -W "$2" -s "$1" ${plan.target.address}`);
    expect(script).toContain("rg_big=$((rg_mtu - 28))");
    expect(script).toContain("/proc/sys/net/ipv4/ip_no_pmtu_disc");
  });

  it("says nothing when the big ping crosses, or when not even a small one does (that is reachability)", () => {
    const [plan] = planMtuChecks(topology, [mesh.id]);
    expect(mtuFinding(parseMtuOutput(plan, HEALTHY))).toBeNull();
    expect(
      mtuFinding(parseMtuOutput(plan, "RGMTU mtu 1450\nRGMTU nopmtudisc 0\nRGMTU small fail\nRGMTU end\n")),
    ).toBeNull();
    const cut = parseMtuOutput(plan, LOWERED.replace("RGMTU end\n", ""));
    expect(cut.error).toBe("the helper stopped before it finished");
    expect(mtuFinding(cut)).toBeNull();
  });

  it("names what the underlay carries and what VXLAN needs, with a fix", () => {
    const [plan] = planMtuChecks(topology, [mesh.id]);
    const finding = mtuFinding(parseMtuOutput(plan, LOWERED));
    expect(finding?.rule).toBe("CS-8");
    expect(finding?.node).toBe(plan.source.node);
    expect(finding?.summary).toBe(
      `${mesh.name}: the underlay between ${plan.source.node} and ${plan.target.node} carries at most 1404 bytes; VXLAN needs 1500`,
    );
    expect(finding?.evidence[1]).toContain("a 1422-byte ping with DF set");
    expect(finding?.evidence[2]).toBe("the largest ping that crossed: 1326 bytes (1354-byte packets)");
    expect(finding?.fix[1]).toContain(
      "docker network create --driver overlay --opt com.docker.network.driver.mtu=1354",
    );
  });
});
