import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectTopology } from "../../server/collector/collect.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import { redactEntries } from "../../server/model/redact.ts";
import type { Container, Port, Topology } from "../../server/model/topology.ts";
import { dockerJson } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { Scenario } from "../support/scenario.ts";
import type { FullScenario } from "../support/scenarios.ts";
import { buildFullScenario } from "../support/scenarios.ts";

/** What `docker inspect` prints for a container, the fields checked here. */
interface CliContainer {
  Id: string;
  Name: string;
  State: { Status: string; Error: string };
  Config: { Hostname: string; Image: string; Labels: Record<string, string> | null };
  HostConfig: { NetworkMode: string };
  NetworkSettings: {
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    Networks: Record<
      string,
      {
        NetworkID: string;
        EndpointID: string;
        Gateway: string;
        IPAddress: string;
        IPPrefixLen: number;
        IPv6Gateway: string;
        GlobalIPv6Address: string;
        GlobalIPv6PrefixLen: number;
        MacAddress: string;
        Aliases: string[] | null;
        Links: string[] | null;
      }
    >;
  };
}

/** What `docker network inspect` prints, the fields checked here. */
interface CliNetwork {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  Attachable: boolean;
  EnableIPv6: boolean;
  IPAM: { Config: { Subnet: string; Gateway?: string; IPRange?: string }[] | null };
  Options: Record<string, string> | null;
  Labels: Record<string, string> | null;
  Containers: Record<
    string,
    { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string }
  > | null;
}

const NO_DNS = new Set(["bridge", "host", "none"]);

function expectedPorts(cli: CliContainer): Port[] {
  const ports: Port[] = [];
  for (const [key, bindings] of Object.entries(cli.NetworkSettings.Ports ?? {})) {
    const [port, protocol] = key.split("/");
    if (!bindings) ports.push({ privatePort: Number(port), protocol });
    for (const b of bindings ?? []) {
      ports.push({ privatePort: Number(port), protocol, publicPort: Number(b.HostPort), hostIp: b.HostIp });
    }
  }
  return ports;
}

const portKey = (p: Port) => `${p.privatePort}/${p.protocol}/${p.hostIp ?? ""}/${p.publicPort ?? ""}`;

describe("snapshot of the full scenario on the real engine", () => {
  let scenario: Scenario;
  let full: FullScenario;
  let topology: Topology;
  let cli: Map<string, CliContainer>;
  let cliNetworks: Map<string, CliNetwork>;
  const byId = (id: string): Container => {
    const c = topology.containers.find((x) => x.id === id);
    if (!c) throw new Error(`container ${id} is missing from the topology`);
    return c;
  };

  beforeAll(async () => {
    scenario = await Scenario.create();
    full = await buildFullScenario(scenario);
    topology = await collectTopology(createEngineClient(resolveEngine({ engine: ENGINE_URL })));
    const ids = Object.values(full.containers).map((c) => c.id);
    cli = new Map((await dockerJson<CliContainer[]>("inspect", ...ids)).map((c) => [c.Id, c]));
    const netIds = [
      ...Object.values(full.networks).map((n) => n.id),
      "bridge",
      "host",
      "none",
      "docker_gwbridge",
    ];
    cliNetworks = new Map(
      (await dockerJson<CliNetwork[]>("network", "inspect", ...netIds)).map((n) => [n.Id, n]),
    );
  }, 300_000);

  afterAll(async () => {
    await scenario?.cleanup();
  }, 120_000);

  it("has every container with the engine's name, state, mode, image and hostname", () => {
    for (const [role, { id }] of Object.entries(full.containers)) {
      const c = byId(id);
      const engine = cli.get(id)!;
      expect(c.name, role).toBe(engine.Name.slice(1));
      expect(c.state, role).toBe(engine.State.Status);
      expect(c.networkMode, role).toBe(engine.HostConfig.NetworkMode);
      expect(c.image, role).toBe(engine.Config.Image);
      if (c.inspected) expect(c.hostname, role).toBe(engine.Config.Hostname);
      if (engine.State.Error) expect(c.error, role).toBe(engine.State.Error);
    }
  });

  it("has every interface as docker inspect reports it", () => {
    const uniqueNames = new Map<string, string[]>();
    for (const n of cliNetworks.values()) uniqueNames.set(n.Name, [...(uniqueNames.get(n.Name) ?? []), n.Id]);
    for (const [role, { id }] of Object.entries(full.containers)) {
      const c = byId(id);
      const engine = cli.get(id)!;
      const own = c.interfaces.filter((i) => !i.implicit);
      expect(own.map((i) => i.network).sort(), role).toEqual(
        Object.keys(engine.NetworkSettings.Networks).sort(),
      );
      for (const [net, ep] of Object.entries(engine.NetworkSettings.Networks)) {
        const iface = own.find((i) => i.network === net)!;
        const live = ep.IPAddress !== "" || ep.GlobalIPv6Address !== "";
        const candidates = uniqueNames.get(net) ?? [];
        expect(iface, `${role} on ${net}`).toMatchObject({
          // §5: an unresolved NetworkID is looked up by name, unless the name is ambiguous.
          networkId: ep.NetworkID || (candidates.length === 1 ? candidates[0] : ""),
          ipv4: ep.IPAddress || null,
          prefixLength: ep.IPAddress ? ep.IPPrefixLen : null,
          ipv6: ep.GlobalIPv6Address || null,
          mac: ep.MacAddress || null,
          gateway: ep.Gateway || null,
          ipv6Gateway: ep.IPv6Gateway || null,
          endpointId: ep.EndpointID || null,
        });
        if (!c.inspected) continue;
        expect(iface.aliases, `${role} on ${net}`).toEqual(ep.Aliases ?? []);
        expect(iface.links, `${role} on ${net}`).toEqual(ep.Links ?? []);
        const dns = NO_DNS.has(net) || !live ? [] : [...new Set([c.name, ...(ep.Aliases ?? [])])];
        expect(iface.dnsNames, `${role} on ${net}`).toEqual(dns);
      }
    }
  });

  it("OV-2: overlay members carry their docker_gwbridge endpoint as an implicit interface", () => {
    const gw = [...cliNetworks.values()].find((n) => n.Name === "docker_gwbridge")!;
    for (const role of ["o1", "o2"] as const) {
      const { id } = full.containers[role];
      const ep = gw.Containers?.[id];
      expect(ep?.Name, role).toMatch(/^gateway_/);
      const implicit = byId(id).interfaces.filter((i) => i.implicit);
      expect(implicit, role).toMatchObject([
        {
          network: "docker_gwbridge",
          ipv4: ep?.IPv4Address.split("/")[0],
          mac: ep?.MacAddress,
          endpointId: ep?.EndpointID,
        },
      ]);
    }
  });

  it("has the engine's effective ports (NetworkSettings.Ports, PP-11)", () => {
    for (const [role, { id }] of Object.entries(full.containers)) {
      const expected = expectedPorts(cli.get(id)!).map(portKey).sort();
      expect([...new Set(byId(id).ports.map(portKey))].sort(), role).toEqual([...new Set(expected)].sort());
    }
    const published = byId(full.containers.published.id).ports;
    expect(published.map((p) => p.hostIp)).toEqual(
      expect.arrayContaining(["0.0.0.0", "127.0.0.1", undefined]),
    );
  });

  it("has labels (secrets redacted) and compose membership", () => {
    for (const [role, { id }] of Object.entries(full.containers)) {
      const labels = cli.get(id)!.Config.Labels ?? {};
      const c = byId(id);
      expect(c.labels, role).toEqual(redactEntries(labels));
      const project = labels["com.docker.compose.project"];
      if (!project) {
        expect(c.compose, role).toBeUndefined();
        continue;
      }
      expect(c.compose, role).toEqual({
        project,
        service: labels["com.docker.compose.service"],
        number: Number(labels["com.docker.compose.container-number"]),
        oneoff: labels["com.docker.compose.oneoff"] === "True",
      });
    }
    expect(byId(full.containers.run1.id).compose?.oneoff).toBe(true);
  });

  it("CN-1 and DB-4: joiner and legacy link as the engine reports them", () => {
    const joiner = byId(full.containers.joiner.id);
    const provider = cli.get(full.containers.joiner.id)!.HostConfig.NetworkMode.replace(/^container:/, "");
    expect(joiner.sharesNamespaceWith).toEqual({ id: provider, name: full.containers.api.name });
    expect(byId(full.containers.legacyLinker.id).links).toEqual([
      { target: full.containers.legacyTarget.name, alias: "legacy-db" },
    ]);
  });

  it("has every network as docker network inspect reports it", () => {
    for (const [role, { id }] of Object.entries(full.networks)) {
      const engine = cliNetworks.get(id)!;
      const n = topology.networks.find((x) => x.id === id);
      expect(n, role).toMatchObject({
        name: engine.Name,
        driver: engine.Driver,
        scope: engine.Scope,
        internal: engine.Internal,
        attachable: engine.Attachable,
        ipv6: engine.EnableIPv6,
        icc: engine.Options?.["com.docker.network.bridge.enable_icc"] !== "false",
        options: redactEntries(engine.Options),
        labels: redactEntries(engine.Labels),
        knownDriver: true,
        subnets: (engine.IPAM.Config ?? []).map((c) => ({
          subnet: c.Subnet,
          ...(c.Gateway ? { gateway: c.Gateway } : {}),
          ...(c.IPRange ? { ipRange: c.IPRange } : {}),
        })),
      });
      const pseudo = Object.entries(engine.Containers ?? {}).filter(([key]) => !/^[0-9a-f]{64}$/.test(key));
      expect(n?.pseudoEndpoints.map((p) => p.key).sort(), role).toEqual(pseudo.map(([key]) => key).sort());
    }
    expect(topology.networks.find((n) => n.id === full.networks.noicc.id)?.icc).toBe(false);
    expect(topology.networks.find((n) => n.id === full.networks.mv.id)?.parent).toMatch(/^rgt/);
  });
});
