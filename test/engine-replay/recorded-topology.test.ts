import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { ApiContainerInspect, ApiNetwork } from "../../server/model/engine-api.ts";
import { isContainerId, primaryName } from "../../server/model/normalize.ts";
import { REDACTED } from "../../server/model/redact.ts";
import type { Container, Network, Topology } from "../../server/model/topology.ts";
import { collectTopology } from "../../server/collector/collect.ts";
import type { EngineRecording } from "../support/recording.ts";
import { API_SAMPLES_DIR, loadApiSample, loadRecording } from "../support/recording.ts";
import { startReplayEngine } from "../support/replay-engine.ts";
import type { ReplayEngine } from "../support/replay-engine.ts";
import { FAKE_SECRET_LABEL } from "../support/scenarios.ts";

const { recording, manifest } = loadRecording("full");
const CAPTURED_AT = "2026-01-01T00:00:00.000Z";

/** Replays `data` through real dockerode and returns the normalised topology. */
async function topologyOf(data: EngineRecording): Promise<Topology> {
  const replay = await startReplayEngine(structuredClone(data));
  try {
    return await collectTopology(createEngineClient(resolveEngine({ engine: replay.url })), () => ({
      kind: "live",
      label: replay.url,
      capturedAt: CAPTURED_AT,
    }));
  } finally {
    await replay.close();
  }
}

const inspectOf = (role: string): ApiContainerInspect =>
  recording.containerInspects[manifest.containers[role].id];
const summaryOf = (role: string) => recording.containers.find((c) => c.Id === manifest.containers[role].id)!;
const networkInspectOf = (role: string): ApiNetwork => recording.networkInspects[manifest.networks[role].id];
const endpointsOf = (role: string) => Object.entries(inspectOf(role).NetworkSettings?.Networks ?? {});

describe("topology of the recorded full scenario (Engine 20.10)", () => {
  let replay: ReplayEngine;
  let topology: Topology;
  const container = (role: string): Container =>
    topology.containers.find((c) => c.id === manifest.containers[role].id)!;
  const network = (role: string): Network =>
    topology.networks.find((n) => n.id === manifest.networks[role].id)!;

  beforeAll(async () => {
    replay = await startReplayEngine(structuredClone(recording));
    topology = await collectTopology(createEngineClient(resolveEngine({ engine: replay.url })), () => ({
      kind: "live",
      label: replay.url,
      capturedAt: CAPTURED_AT,
    }));
  });
  afterAll(() => replay.close());

  it("has exactly the listed containers and networks", () => {
    expect(topology.containers.map((c) => c.id).sort()).toEqual(recording.containers.map((c) => c.Id).sort());
    expect(topology.networks.map((n) => n.id).sort()).toEqual(recording.networks.map((n) => n.Id).sort());
    expect(topology.engine.serverVersion).toBe(recording.version.Version);
    expect(topology.engine.networkDrivers).toEqual(recording.info.Plugins?.Network);
  });

  it("matches every endpoint of every container to its inspect", () => {
    for (const role of Object.keys(manifest.containers)) {
      const c = container(role);
      const expected = endpointsOf(role).map(([net, ep]) => ({
        network: net,
        ipv4: ep.IPAddress || null,
        prefixLength: ep.IPAddress ? ep.IPPrefixLen : null,
        mac: ep.MacAddress || null,
        gateway: ep.Gateway || null,
        endpointId: ep.EndpointID || null,
      }));
      const actual = c.interfaces
        .filter((i) => !i.implicit)
        .map(({ network, ipv4, prefixLength, mac, gateway, endpointId }) => ({
          network,
          ipv4,
          prefixLength,
          mac,
          gateway,
          endpointId,
        }));
      expect(actual, role).toEqual(expected.sort((a, b) => a.network.localeCompare(b.network)));
      expect(c.state, role).toBe(inspectOf(role).State?.Status);
      expect(c.networkMode, role).toBe(inspectOf(role).HostConfig?.NetworkMode);
    }
  });

  it.each(["stopped", "created"])("§5: a %s container keeps its memberships with null addresses", (role) => {
    const c = container(role);
    expect(c.state).toBe(summaryOf(role).State);
    expect(c.interfaces.map((i) => i.network)).toEqual(endpointsOf(role).map(([net]) => net));
    for (const i of c.interfaces) {
      expect(i).toMatchObject({ ipv4: null, prefixLength: null, mac: null, gateway: null, endpointId: null });
      expect(i.networkId).toBe(manifest.networks.app.id);
      // §5: without a live endpoint it is removed from DNS.
      expect(i.dnsNames).toEqual([]);
    }
    expect(c.ports).toEqual([]);
  });

  it("§5: a stopped container keeps its aliases; a never-started one resolves its network by name", () => {
    const [, stoppedEp] = endpointsOf("stopped")[0];
    expect(container("stopped").interfaces[0].aliases).toEqual(stoppedEp.Aliases);
    const [, createdEp] = endpointsOf("created")[0];
    expect(createdEp.NetworkID).toBe("");
    expect(container("created").interfaces[0].networkId).toBe(manifest.networks.app.id);
  });

  it("CN-1: a container: joiner points at its provider and has no endpoints of its own", () => {
    const mode = inspectOf("joiner").HostConfig?.NetworkMode ?? "";
    const providerId = mode.replace(/^container:/, "");
    expect(providerId).toBe(manifest.containers.api.id);
    expect(container("joiner").sharesNamespaceWith).toEqual({ id: providerId, name: container("api").name });
    expect(container("joiner").interfaces).toEqual([]);
  });

  it("DB-3/DB-4: a legacy link alias is the linker's link, not a name of the target", () => {
    const target = summaryOf("legacyTarget");
    const linkName = target.Names.find((n) => n.split("/").length === 3)!;
    const [, linker, alias] = linkName.split("/");
    expect(inspectOf("legacyLinker").HostConfig?.Links).toEqual([
      `/${primaryName(target.Names)}:${linkName}`,
    ]);
    expect(container("legacyTarget").name).toBe(manifest.containers.legacyTarget.name);
    expect(topology.containers.some((c) => c.name.includes("/"))).toBe(false);
    expect(container("legacyLinker").name).toBe(linker);
    expect(container("legacyLinker").links).toEqual([{ target: container("legacyTarget").name, alias }]);
    expect(container("legacyTarget").links).toEqual([]);
  });

  it("OV-9: lb-* and ingress-sbox are pseudo-endpoints, not containers", () => {
    for (const role of ["ovl", "ingress"]) {
      const pseudo = Object.entries(networkInspectOf(role).Containers ?? {}).filter(
        ([key]) => !isContainerId(key),
      );
      expect(pseudo.length, role).toBeGreaterThan(0);
      expect(network(role).pseudoEndpoints.map((p) => p.key)).toEqual(pseudo.map(([key]) => key).sort());
      for (const [key, ep] of pseudo) {
        expect(network(role).pseudoEndpoints.find((p) => p.key === key)).toEqual({
          key,
          name: ep.Name,
          ipv4: ep.IPv4Address?.split("/")[0],
        });
      }
    }
    expect(network("ovl").pseudoEndpoints.map((p) => p.key)).toEqual([`lb-${manifest.networks.ovl.name}`]);
    const names = new Set(topology.containers.map((c) => c.name));
    for (const net of Object.values(recording.networkInspects)) {
      for (const [key, ep] of Object.entries(net.Containers ?? {})) {
        if (!isContainerId(key)) expect(names.has(ep.Name), ep.Name).toBe(false);
      }
    }
  });

  it("OV-2: docker_gwbridge gateway_* endpoints become implicit interfaces of the overlay members", () => {
    const gw = networkInspectOf("docker_gwbridge");
    for (const role of ["o1", "o2"]) {
      const ep = gw.Containers?.[manifest.containers[role].id];
      expect(ep?.Name, role).toMatch(/^gateway_/);
      const implicit = container(role).interfaces.filter((i) => i.implicit);
      expect(implicit, role).toHaveLength(1);
      expect(implicit[0]).toMatchObject({
        network: "docker_gwbridge",
        networkId: gw.Id,
        ipv4: ep?.IPv4Address?.split("/")[0],
        prefixLength: Number(ep?.IPv4Address?.split("/")[1]),
        mac: ep?.MacAddress,
        endpointId: ep?.EndpointID,
        dnsNames: [],
      });
    }
    expect(topology.containers.some((c) => c.name.startsWith("gateway_"))).toBe(false);
    expect(network("docker_gwbridge").pseudoEndpoints.map((p) => p.key)).toEqual(["ingress-sbox"]);
  });

  it("UB-2: aliases, short ID and --hostname are DNS names on a user-defined bridge", () => {
    const [net, ep] = endpointsOf("api")[0];
    const iface = container("api").interfaces.find((i) => i.network === net)!;
    expect(iface.aliases).toEqual(ep.Aliases);
    expect(iface.dnsNames).toEqual([container("api").name, ...(ep.Aliases ?? [])]);
    expect(iface.dnsNames).toContain(inspectOf("api").Config?.Hostname);
    expect(container("api").hostname).toBe(inspectOf("api").Config?.Hostname);
  });

  it("DB-2, H-1, NO-1: docker0, host and none give no DNS names", () => {
    for (const role of ["legacyTarget", "hostMode", "noneMode"]) {
      const [iface] = container(role).interfaces;
      expect(iface.network, role).toBe(endpointsOf(role)[0][0]);
      expect(iface.dnsNames, role).toEqual([]);
    }
    expect(container("hostMode").interfaces[0]).toMatchObject({ network: "host", ipv4: null });
    expect(container("noneMode").interfaces[0]).toMatchObject({ network: "none", ipv4: null });
  });

  it("MN-1: a multi-network container has one interface per network, with per-network aliases", () => {
    const multi = container("multi");
    expect(multi.interfaces.map((i) => i.network)).toEqual(
      endpointsOf("multi")
        .map(([n]) => n)
        .sort(),
    );
    for (const [net, ep] of endpointsOf("multi")) {
      expect(multi.interfaces.find((i) => i.network === net)?.dnsNames).toEqual([
        multi.name,
        ...(ep.Aliases ?? []),
      ]);
    }
  });

  it("ICC-1, INT-1, MV: network flags come from the recorded options", () => {
    const noicc = networkInspectOf("noicc");
    expect(noicc.Options?.["com.docker.network.bridge.enable_icc"]).toBe("false");
    expect(network("noicc").icc).toBe(false);
    expect(network("app").icc).toBe(true);
    expect(network("internal").internal).toBe(networkInspectOf("internal").Internal);
    expect(network("internal").internal).toBe(true);
    expect(network("mv")).toMatchObject({
      driver: "macvlan",
      parent: networkInspectOf("mv").Options?.parent,
    });
    expect(network("ovl")).toMatchObject({ driver: "overlay", attachable: true, scope: "swarm" });
    expect(network("bridge").defaultBridge).toBe(true);
    for (const n of topology.networks) expect(n.knownDriver, n.name).toBe(true);
    expect(network("app").subnets).toEqual([{ subnet: manifest.networks.app.subnet }]);
  });

  it("PP-1/PP-2/PP-9: published and exposed ports come from the list; INT-5 drops ports on internal-only", () => {
    const expected = (summaryOf("published").Ports ?? []).map((p) => ({
      privatePort: p.PrivatePort,
      protocol: p.Type,
      ...(p.PublicPort ? { publicPort: p.PublicPort, hostIp: p.IP } : {}),
    }));
    expect(container("published").ports).toEqual(
      expect.arrayContaining(expected as Record<string, unknown>[]),
    );
    expect(container("published").ports).toHaveLength(expected.length);
    expect(container("published").ports.map((p) => p.hostIp)).toEqual(
      expect.arrayContaining(["0.0.0.0", "127.0.0.1", undefined]),
    );
    const db = inspectOf("db") as ApiContainerInspect & { HostConfig: { PortBindings?: object } };
    expect(Object.keys(db.HostConfig.PortBindings ?? {})).not.toHaveLength(0);
    expect(container("db").ports).toEqual([]);
  });

  it("§4: compose labels make compose membership, one-off runs included", () => {
    for (const role of ["web1", "web2", "db1", "run1"]) {
      const labels = summaryOf(role).Labels ?? {};
      expect(container(role).compose, role).toEqual({
        project: labels["com.docker.compose.project"],
        service: labels["com.docker.compose.service"],
        number: Number(labels["com.docker.compose.container-number"]),
        oneoff: labels["com.docker.compose.oneoff"] === "True",
      });
    }
    expect(container("run1").compose?.oneoff).toBe(true);
    const netLabels = networkInspectOf("shopDefault").Labels ?? {};
    expect(network("shopDefault").compose).toEqual({
      project: netLabels["com.docker.compose.project"],
      network: netLabels["com.docker.compose.network"],
    });
  });

  it("§5: duplicate network names keep both networks; the container's key cannot be resolved", () => {
    const dup = manifest.networks.dupA;
    expect(manifest.networks.dupB.name).toBe(dup.name);
    expect(
      topology.networks
        .filter((n) => n.name === dup.name)
        .map((n) => n.id)
        .sort(),
    ).toEqual([dup.id, manifest.networks.dupB.id].sort());
    const dupc = container("dupc");
    expect(dupc.state).toBe("created");
    expect(dupc.interfaces).toMatchObject([{ network: dup.name, networkId: "", ipv4: null }]);
    expect(dupc.error).toBe(inspectOf("dupc").State?.Error);
    expect(dupc.error).toContain("Could not attach to network");
  });

  it("redacts secret-looking labels", () => {
    const labels = summaryOf("api").Labels ?? {};
    expect(labels[FAKE_SECRET_LABEL.key]).toBe(FAKE_SECRET_LABEL.value);
    expect(container("api").labels[FAKE_SECRET_LABEL.key]).toBe(REDACTED);
    expect(container("api").labels["com.example.tier"]).toBe(labels["com.example.tier"]);
    expect(JSON.stringify(topology)).not.toContain(FAKE_SECRET_LABEL.value);
  });

  it("§5: an unknown plugin driver is kept and flagged, its members keep their interfaces", async () => {
    const data = structuredClone(recording);
    const app = manifest.networks.app.id;
    // No plugin network can be made on this engine; only Driver differs from the recorded network.
    const plugin = "weaveworks/net-plugin:latest_release";
    for (const net of [data.networks.find((n) => n.Id === app)!, data.networkInspects[app]])
      net.Driver = plugin;
    const patched = await topologyOf(data);
    const net = patched.networks.find((n) => n.id === app)!;
    expect(net).toMatchObject({ driver: plugin, knownDriver: false, name: manifest.networks.app.name });
    const api = patched.containers.find((c) => c.id === manifest.containers.api.id)!;
    expect(api.interfaces).toEqual(container("api").interfaces);
  });
});

describe("shared api-samples", () => {
  it("§5: keeps two networks that share a name (networks-list-duplicate-names.json)", async () => {
    const networks = loadApiSample<ApiNetwork[]>("networks-list-duplicate-names.json");
    const dupc = loadApiSample<ApiContainerInspect>(
      "container-inspect-sem-dupc-duplicate-network-names.json",
    );
    const topology = await topologyOf({
      info: loadApiSample("info-network-subset.json"),
      version: recording.version,
      containers: [],
      networks,
      containerInspects: { [dupc.Id]: dupc },
      networkInspects: {},
      events: [],
    });
    expect(topology.networks.map((n) => [n.name, n.id])).toEqual(
      networks.map((n) => [n.Name, n.Id]).sort((a, b) => a[1].localeCompare(b[1])),
    );
    // The container refers to one of them by ID prefix, but the engine keyed its endpoint by the shared name.
    const mode = dupc.HostConfig?.NetworkMode ?? "";
    expect(networks.filter((n) => n.Id.startsWith(mode))).toHaveLength(1);
    expect(Object.keys(dupc.NetworkSettings?.Networks ?? {})).toEqual([networks[0].Name]);
  });

  it("no environment variable reaches the topology (every sample inspect carries Config.Env)", async () => {
    const files = readdirSync(API_SAMPLES_DIR);
    const inspects = files
      .filter((f) => /^container-inspect-.*\.json$/.test(f))
      .map((f) => loadApiSample<ApiContainerInspect & { Config: { Env?: string[] } }>(f));
    const networks = loadApiSample<ApiNetwork[]>("networks-list.json");
    const details = files
      .filter((f) => /^network-inspect-.*\.json$/.test(f) && !f.includes("verbose"))
      .map((f) => loadApiSample<ApiNetwork>(f));
    const topology = await topologyOf({
      info: loadApiSample("info-network-subset.json"),
      version: loadApiSample("version.json"),
      containers: loadApiSample("containers-list-all.json"),
      networks,
      containerInspects: Object.fromEntries(inspects.map((c) => [c.Id, c])),
      networkInspects: Object.fromEntries(details.map((n) => [n.Id, n])),
      events: [],
    });
    const env = inspects.flatMap((c) => c.Config.Env ?? []);
    expect(env.length).toBeGreaterThan(0);
    const text = JSON.stringify(topology);
    for (const entry of env) expect(text).not.toContain(entry);
    expect(text).not.toMatch(/"env"/i);
    // IV-1: the failed ipvlan start is kept as a created container with its error.
    const ipv1 = inspects.find((c) => c.Name === "/sem-ipv1");
    const failed = topology.containers.find((c) => c.id === ipv1?.Id);
    expect(failed).toMatchObject({ state: "created", error: ipv1?.State?.Error });
  });
});
