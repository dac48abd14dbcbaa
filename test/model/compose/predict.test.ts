import { describe, expect, it } from "vitest";
import {
  computeReachability,
  explainPair,
  HOST,
  indexTopology,
  pairs,
} from "../../../server/model/reachability/index.ts";
import { parseSnapshot } from "../../../server/model/snapshot.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { predictText } from "./helpers.ts";

const FRONT_BACK = `
services:
  proxy:
    image: busybox
    networks: [frontend]
    ports: ["8080:80", "127.0.0.1:9090:90/udp", "7000"]
  api:
    image: busybox
    hostname: api-host
    networks:
      frontend:
      backend:
        aliases: [service-api]
        ipv4_address: 10.213.9.10
    expose: ["3000"]
  db:
    image: busybox
    networks: [backend]
    ports: ["5432"]
networks:
  frontend:
    labels: { team: web }
  backend:
    internal: true
    ipam:
      config:
        - subnet: 10.213.9.0/24
`;

const verdict = (t: Topology, from: string, to: string) => explainPair(indexTopology(t), from, to).verdict;

describe("predictTopology", () => {
  const t = predictText(FRONT_BACK);

  it("marks the source, the containers and their compose identity", () => {
    expect(t.source).toEqual({
      kind: "compose",
      label: "compose.yaml",
      capturedAt: "2026-01-01T00:00:00.000Z",
    });
    const api = t.containers.find((c) => c.name === "proj-api-1");
    expect(api).toMatchObject({
      id: "compose:proj/api/1",
      state: "running",
      predicted: true,
      inspected: true,
      hostname: "api-host",
      networkMode: "proj_backend",
      compose: { project: "proj", service: "api", number: 1, oneoff: false },
    });
    expect(api?.labels).toMatchObject({
      "com.docker.compose.project": "proj",
      "com.docker.compose.service": "api",
      "com.docker.compose.container-number": "1",
      "com.docker.compose.oneoff": "False",
    });
  });

  it("names networks <project>_<key>, adds bridge/host/none, and labels them like compose", () => {
    expect(t.networks.map((n) => [n.name, n.driver, n.internal, n.builtIn])).toEqual([
      ["bridge", "bridge", false, true],
      ["host", "host", false, true],
      ["none", "null", false, true],
      ["proj_backend", "bridge", true, false],
      ["proj_frontend", "bridge", false, false],
    ]);
    expect(t.networks.find((n) => n.name === "proj_frontend")).toMatchObject({
      id: "compose-net:proj_frontend",
      labels: { team: "web", "com.docker.compose.network": "frontend", "com.docker.compose.project": "proj" },
      compose: { project: "proj", network: "frontend" },
      icc: true,
    });
  });

  it("gives interfaces compose v2's aliases, DNS names, a static address and the subnet's gateway", () => {
    const api = t.containers.find((c) => c.name === "proj-api-1");
    expect(
      api?.interfaces.map((i) => [i.network, i.ipv4, i.prefixLength, i.gateway, i.aliases, i.dnsNames]),
    ).toEqual([
      [
        "proj_backend",
        "10.213.9.10",
        24,
        "10.213.9.1",
        ["proj-api-1", "api", "service-api"],
        ["proj-api-1", "api", "service-api", "api-host"],
      ],
      ["proj_frontend", null, null, null, ["proj-api-1", "api"], ["proj-api-1", "api", "api-host"]],
    ]);
  });

  it("lists ports as the engine would: both wildcard families, ephemeral as 0, none on internal-only", () => {
    const ports = (name: string) => t.containers.find((c) => c.name === name)?.ports;
    // Sorted like normalize.ts sorts the engine's list.
    expect(ports("proj-proxy-1")).toEqual([
      { privatePort: 80, protocol: "tcp", publicPort: 8080, hostIp: "::" },
      { privatePort: 80, protocol: "tcp", publicPort: 8080, hostIp: "0.0.0.0" },
      { privatePort: 90, protocol: "udp", publicPort: 9090, hostIp: "127.0.0.1" },
      { privatePort: 7000, protocol: "tcp", publicPort: 0, hostIp: "::" },
      { privatePort: 7000, protocol: "tcp", publicPort: 0, hostIp: "0.0.0.0" },
    ]);
    expect(ports("proj-api-1")).toEqual([{ privatePort: 3000, protocol: "tcp" }]);
    // INT-5: a container only on internal networks gets no bindings.
    expect(ports("proj-db-1")).toEqual([]);
  });

  it("predicts reachability without addresses: same network reachable, internal isolated", () => {
    expect(verdict(t, "proj-proxy-1", "proj-api-1")).toBe("reachable");
    expect(verdict(t, "proj-api-1", "proj-db-1")).toBe("reachable");
    expect(verdict(t, "proj-proxy-1", "proj-db-1")).toBe("blocked");
    expect(verdict(t, "proj-db-1", HOST)).toBe("reachable");
    const explanation = explainPair(indexTopology(t), "proj-proxy-1", "proj-api-1");
    expect(explanation.paths).toContainEqual({
      kind: "direct",
      verdict: "reachable",
      network: "proj_frontend",
      address: null,
      rule: "UB-1",
    });
    expect(explanation.names.map((n) => n.name)).toContain("api");
  });

  it("agrees pair by pair between the matrix and explainPair", () => {
    const index = indexTopology(t);
    const listed = new Map(
      [...pairs(computeReachability(index), { includeBlocked: true })].map((p) => [
        `${p.from} ${p.to}`,
        p.verdict,
      ]),
    );
    for (const a of [HOST, ...t.containers.map((c) => c.id)])
      for (const b of [HOST, ...t.containers.map((c) => c.id)]) {
        if (a === b) continue;
        expect(`${a} -> ${b}: ${listed.get(`${a} ${b}`)}`).toBe(
          `${a} -> ${b}: ${explainPair(index, a, b).verdict}`,
        );
      }
  });
});

describe("network modes, replicas, external networks and links", () => {
  const t = predictText(`
services:
  vpn:
    image: busybox
    networks: [tunnel]
  app:
    image: busybox
    network_mode: "service:vpn"
  hosty:
    image: busybox
    network_mode: host
    ports: ["80:80"]
  nothing:
    image: busybox
    network_mode: none
  legacy:
    image: busybox
    network_mode: bridge
    links: ["other:alias"]
  other:
    image: busybox
    network_mode: bridge
    expose: ["80"]
  joiner:
    image: busybox
    network_mode: container:somewhere
  web:
    image: busybox
    deploy: { replicas: 2 }
    networks: [tunnel, shared]
    links: ["vpn:gateway"]
  named:
    image: busybox
    container_name: fixed-name
networks:
  tunnel:
    name: custom-tunnel
  shared:
    external: true
    name: corp-shared
`);
  const c = (name: string) => t.containers.find((x) => x.name === name);

  it("joins service:x to x's first container (CN-1) and keeps container:ref", () => {
    expect(c("proj-app-1")).toMatchObject({
      networkMode: "container:compose:proj/vpn/1",
      sharesNamespaceWith: { id: "compose:proj/vpn/1", name: "proj-vpn-1" },
      interfaces: [],
    });
    expect(c("proj-joiner-1")?.sharesNamespaceWith).toEqual({ id: "somewhere", name: null });
    expect(verdict(t, "proj-app-1", "proj-vpn-1")).toBe("reachable");
  });

  it("puts host, none and bridge modes on the built-in networks, without aliases or bindings in host mode", () => {
    expect(c("proj-hosty-1")).toMatchObject({ networkMode: "host", ports: [] });
    expect(c("proj-hosty-1")?.interfaces.map((i) => [i.network, i.aliases, i.dnsNames])).toEqual([
      ["host", [], []],
    ]);
    expect(c("proj-nothing-1")?.interfaces.map((i) => i.network)).toEqual(["none"]);
    expect(c("proj-legacy-1")?.interfaces.map((i) => [i.network, i.dnsNames])).toEqual([["bridge", []]]);
    expect(c("proj-legacy-1")?.links).toEqual([{ target: "proj-other-1", alias: "alias" }]);
    expect(verdict(t, "proj-nothing-1", "proj-vpn-1")).toBe("blocked");
    expect(verdict(t, "proj-hosty-1", "proj-vpn-1")).toBe("reachable");
    expect(verdict(t, "proj-legacy-1", "proj-other-1")).toBe("reachable");
  });

  it("names replicas -1, -2 and honours container_name; links on user networks (UB-7)", () => {
    expect(t.containers.map((x) => x.name)).toContain("proj-web-2");
    expect(c("fixed-name")?.compose?.service).toBe("named");
    expect(c("proj-web-1")?.interfaces.map((i) => [i.network, i.links])).toEqual([
      ["corp-shared", []],
      ["custom-tunnel", ["proj-vpn-1:gateway"]],
    ]);
  });

  it("uses name: verbatim and looks external networks up by name, without compose labels", () => {
    const shared = t.networks.find((n) => n.name === "corp-shared");
    expect(shared).toMatchObject({ driver: "bridge", labels: {}, subnets: [] });
    expect(shared?.compose).toBeUndefined();
    expect(t.networks.find((n) => n.name === "custom-tunnel")?.compose).toEqual({
      project: "proj",
      network: "tunnel",
    });
    // Only networks in use are created: the implicit default network is used by `named` alone.
    expect(t.networks.map((n) => n.name)).toEqual([
      "bridge",
      "corp-shared",
      "custom-tunnel",
      "host",
      "none",
      "proj_default",
    ]);
  });
});

describe("icc, profiles and the implicit default network", () => {
  it("reads icc from driver_opts (ICC-1) and passes options, ipv6 and attachable through", () => {
    const t = predictText(`
services:
  a: { image: busybox, networks: [quiet] }
  b: { image: busybox, networks: [quiet] }
networks:
  quiet:
    driver_opts: { com.docker.network.bridge.enable_icc: "false", mtu: 1400 }
    enable_ipv6: true
    attachable: true
`);
    expect(t.networks.find((n) => n.name === "proj_quiet")).toMatchObject({
      icc: false,
      ipv6: true,
      attachable: true,
      options: { "com.docker.network.bridge.enable_icc": "false", mtu: "1400" },
    });
    expect(verdict(t, "proj-a-1", "proj-b-1")).toBe("blocked");
  });

  it("leaves out services whose profiles are not active, and the default network when unused", () => {
    const text = `
services:
  web: { image: busybox, networks: [front] }
  debug: { image: busybox, profiles: [debug] }
networks:
  front: {}
`;
    expect(predictText(text).containers.map((c) => c.name)).toEqual(["proj-web-1"]);
    expect(predictText(text).networks.map((n) => n.name)).not.toContain("proj_default");
    expect(predictText(text, { profiles: ["debug"] }).containers.map((c) => c.name)).toEqual([
      "proj-debug-1",
      "proj-web-1",
    ]);
    expect(predictText(text, { profiles: ["*"] }).containers).toHaveLength(2);
  });

  it("creates no containers for scale 0", () => {
    expect(predictText("services:\n  a:\n    image: x\n    scale: 0\n").containers).toEqual([]);
  });
});

describe("a prediction saved and reopened", () => {
  it("keeps the predicted flag, so a reopened snapshot gives the same verdicts", () => {
    const t = predictText(FRONT_BACK);
    const { topology } = parseSnapshot(JSON.stringify(t), "prediction.json");
    expect(topology.containers.every((c) => c.predicted === true)).toBe(true);
    expect(verdict(topology, "proj-proxy-1", "proj-api-1")).toBe("reachable");
  });
});
