/**
 * One row per rule of docs/docker-reachability.md that decides reachability, on the topology recorded from a
 * real Engine 20.10. Rows with a `variant` derive it by changing one documented field; the comment says why.
 */
import { describe, expect, test } from "vitest";
import type { EngineState } from "../../../server/model/engine-api.ts";
import type { PairExplanation, Verdict } from "../../../server/model/reachability/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import type { Variant } from "./fixture.ts";
import { container, network, recorded, rulesOf, why } from "./fixture.ts";

interface Row {
  rule: string;
  from: string;
  to: string;
  verdict: Verdict;
  /** Rules the explanation must cite (defaults to `rule`). */
  cites?: string[];
  variant?: Variant;
  check?: (e: PairExplanation) => void;
}

const stop = (name: string) => (s: EngineState) => {
  // §5: a stopped container keeps its Networks keys with empty IPAddress/EndpointID/Gateway, and Ports [].
  const c = container(s, name);
  c.State = "exited";
  c.Ports = [];
  for (const ep of Object.values(c.NetworkSettings?.Networks ?? {}))
    Object.assign(ep, { IPAddress: "", EndpointID: "", Gateway: "" });
};
const setState = (name: string, state: string) => (s: EngineState) => void (container(s, name).State = state);
const version = (v: string) => (t: Topology) => void (t.engine.serverVersion = v);
const dnsNames = (name: string, net: string, names: string[]) => (t: Topology) => {
  const iface = t.containers.find((c) => c.name === name)?.interfaces.find((i) => i.network === net);
  if (iface) iface.dnsNames = names;
};
const paths = (e: PairExplanation) =>
  e.paths.map((p) => `${p.kind} ${p.network ?? "-"} ${p.address ?? "-"} ${p.rule}`);
const routes = (e: PairExplanation) =>
  e.ports.flatMap((p) => p.routes.map((r) => `${r.kind} ${r.address}:${r.port}`));
const unusable = (e: PairExplanation) =>
  e.ports.flatMap((p) => p.unusable.map((u) => `${u.hostIp}:${u.hostPort} ${u.rule}`));

const rows: Row[] = [
  // §1.3 default bridge
  {
    rule: "DB-1",
    from: "sem-d1",
    to: "sem-d2",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["direct bridge 172.17.0.4 DB-1"]),
  },
  {
    rule: "DB-2",
    from: "sem-d1",
    to: "sem-d2",
    verdict: "reachable",
    check: (e) => expect(e.names).toEqual([]),
  },
  {
    rule: "DB-3",
    from: "sem-d3",
    to: "sem-d1",
    verdict: "reachable",
    check: (e) =>
      expect(e.names.map((n) => `${n.name} ${n.rule} ${n.address}`)).toEqual([
        "d1alias DB-3 172.17.0.3",
        "sem-d1 DB-3 172.17.0.3",
        "356c201cb900 DB-3 172.17.0.3",
      ]),
  },
  {
    rule: "DB-3",
    from: "sem-d1",
    to: "sem-d3",
    verdict: "reachable",
    cites: ["DB-2"],
    check: (e) => expect(e.names).toEqual([]),
  },
  {
    rule: "DB-6",
    from: "sem-d1",
    to: "sem-d2",
    verdict: "blocked",
    // bridge.md: daemon --icc=false shows as enable_icc=false on docker0.
    variant: {
      api: (s) => void (network(s, "bridge").Options!["com.docker.network.bridge.enable_icc"] = "false"),
    },
  },
  {
    rule: "DB-6",
    from: "sem-d3",
    to: "sem-d1",
    verdict: "blocked",
    variant: {
      api: (s) => void (network(s, "bridge").Options!["com.docker.network.bridge.enable_icc"] = "false"),
    },
  },
  {
    rule: "DB-6",
    from: "sem-d3",
    to: "sem-p2r",
    verdict: "reachable",
    // icc=false on docker0, plus a legacy link sem-d3 -> sem-p2r in DB-4's list shape ("/linker/alias" in Names).
    variant: {
      api: (s) => {
        network(s, "bridge").Options!["com.docker.network.bridge.enable_icc"] = "false";
        container(s, "sem-p2r").Names.push("/sem-d3/p2alias");
      },
    },
    check: (e) => expect(e.paths[0].onlyPorts).toEqual(["80/tcp"]),
  },
  { rule: "DB-7", from: "sem-d1", to: "sem-u1", verdict: "blocked" },
  { rule: "DB-7", from: "sem-u1", to: "sem-d1", verdict: "blocked" },
  // §1.4 user-defined bridge
  { rule: "UB-1", from: "sem-u1", to: "sem-mh", verdict: "reachable" },
  {
    rule: "UB-2",
    from: "sem-r1",
    to: "sem-u1",
    verdict: "reachable",
    check: (e) =>
      expect(e.names.map((n) => n.name)).toEqual([
        "sem-u1",
        "u1alias",
        "shared",
        "b5daed96e6b5",
        "sem-u1.sem-ub1",
        "u1alias.sem-ub1",
        "shared.sem-ub1",
        // Probed: the short ID answers qualified by the network too.
        "b5daed96e6b5.sem-ub1",
      ]),
  },
  {
    rule: "UB-3",
    from: "sem-v1",
    to: "sem-u1",
    verdict: "blocked",
    cites: ["UB-3", "UB-8"],
    check: (e) => expect(e.names).toEqual([]),
  },
  // §5: sem-u2 also carries alias "shared" but is exited, so it is not in DNS: no round-robin.
  {
    rule: "UB-4",
    from: "sem-r1",
    to: "sem-u1",
    verdict: "reachable",
    cites: ["UB-2"],
    check: (e) => expect(rulesOf(e).has("UB-4")).toBe(false),
  },
  {
    rule: "UB-4",
    from: "sem-r1",
    to: "sem-u1",
    verdict: "reachable",
    // sem-mh given --network-alias shared on sem-ub1 (its DNS names gain the alias, UB-2).
    variant: { topology: dnsNames("sem-mh", "sem-ub1", ["sem-mh", "8617c628eee0", "shared"]) },
    check: (e) => expect(e.reasons.find((r) => r.rule === "UB-4")?.text).toContain("sem-mh"),
  },
  {
    rule: "UB-5",
    from: "sem-v1",
    to: "sem-mh",
    verdict: "reachable",
    check: (e) =>
      expect(e.names.filter((n) => n.name === "mhalias2").map((n) => n.address)).toEqual(["10.210.2.3"]),
  },
  {
    rule: "UB-7",
    from: "sem-lk",
    to: "sem-u2",
    verdict: "blocked",
    cites: ["§5 stopped"],
    check: (e) => expect(e.names).toEqual([]),
  },
  {
    rule: "UB-7",
    from: "sem-lk",
    to: "sem-u1",
    verdict: "reachable",
    // sem-lk's user-network link (NetworkSettings.Networks.sem-ub1.Links) pointed at running sem-u1 instead.
    variant: {
      topology: (t) =>
        void (t.containers.find((c) => c.name === "sem-lk")!.interfaces[0].links = ["sem-u1:lk2alias"]),
    },
    check: (e) => expect(e.names.find((n) => n.name === "lk2alias")?.rule).toBe("UB-7"),
  },
  { rule: "UB-8", from: "sem-v1", to: "sem-u1", verdict: "blocked" },
  {
    rule: "UB-9",
    from: "sem-u1",
    to: "@host",
    verdict: "reachable",
    cites: ["HC-4"],
    check: (e) => expect(paths(e)).toEqual(["host sem-ub1 10.210.1.1 HC-4"]),
  },
  // §1.5 icc=false and internal
  { rule: "ICC-1", from: "sem-n2", to: "sem-n1", verdict: "reachable", cites: ["ICC-1", "ICC-3"] },
  {
    rule: "ICC-1",
    from: "sem-n2",
    to: "sem-n1",
    verdict: "blocked",
    variant: { config: { userlandProxy: false } },
    cites: ["ICC-1", "PP-7"],
  },
  {
    rule: "ICC-2",
    from: "sem-n2",
    to: "sem-n1",
    verdict: "reachable",
    // sem-n1 as an inspect would show it: name + short ID (UB-2); the recorded list has no aliases.
    variant: { topology: dnsNames("sem-n1", "sem-noicc", ["sem-n1", "313b5f5c2ee8"]) },
    check: (e) => expect(e.names.map((n) => n.name)).toContain("sem-n1"),
  },
  {
    rule: "ICC-2",
    from: "sem-n2",
    to: "sem-n1",
    verdict: "reachable",
    cites: ["UB-2"],
    check: (e) => expect(e.namesKnown).toBe(false),
  },
  {
    rule: "ICC-3",
    from: "sem-n2",
    to: "sem-n1",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["published - 10.210.3.1 ICC-3"]),
  },
  { rule: "ICC-3", from: "sem-n2", to: "@host", verdict: "reachable" },
  { rule: "ICC-5", from: "sem-o1", to: "o1", verdict: "blocked", cites: ["OV-3", "OV-5"] },
  { rule: "INT-1", from: "sem-i1", to: "sem-i2", verdict: "reachable" },
  { rule: "INT-2", from: "sem-u1", to: "sem-i1", verdict: "blocked" },
  { rule: "INT-2", from: "sem-i1", to: "sem-u1", verdict: "blocked" },
  { rule: "INT-3", from: "sem-i1", to: "@host", verdict: "reachable" },
  { rule: "INT-3", from: "sem-i2", to: "sem-h", verdict: "reachable", cites: ["H-3"] },
  {
    rule: "INT-4",
    from: "sem-i2",
    to: "sem-p1",
    verdict: "blocked",
    cites: ["INT-2", "INT-4"],
    check: (e) => expect(unusable(e)).toContain("0.0.0.0:18080 INT-4"),
  },
  {
    rule: "INT-5",
    from: "@host",
    to: "sem-i1",
    verdict: "reachable",
    cites: ["HC-1"],
    check: (e) => expect(e.ports).toEqual([]),
  },
  {
    rule: "INT-5",
    from: "sem-u1",
    to: "sem-i1",
    verdict: "blocked",
    // The requested binding (inspect HostConfig.PortBindings 80/tcp -> 18080) as a compose prediction would list it.
    variant: {
      api: (s) =>
        void (container(s, "sem-i1").Ports = [
          { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 18080, Type: "tcp" },
        ]),
    },
  },
  {
    rule: "INT-7",
    from: "sem-i1",
    to: "@host",
    verdict: "blocked",
    // Docker 28 gateway mode isolated on the internal network (bridge option gateway_mode_ipv4).
    variant: {
      api: (s) =>
        void (network(s, "sem-int").Options = { "com.docker.network.bridge.gateway_mode_ipv4": "isolated" }),
    },
  },
  // §1.6 multi-network, host, none, container:
  {
    rule: "MN-1",
    from: "sem-u1",
    to: "sem-mh",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["direct sem-ub1 10.210.1.4 UB-1"]),
  },
  {
    rule: "MN-1",
    from: "sem-v1",
    to: "sem-mh",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["direct sem-ub2 10.210.2.3 UB-1"]),
  },
  { rule: "MN-2", from: "sem-v1", to: "sem-u1", verdict: "blocked", cites: ["MN-3"] },
  {
    rule: "MN-3",
    from: "sem-u1",
    to: "sem-v1",
    verdict: "blocked",
    check: (e) => expect(e.reasons.find((r) => r.rule === "MN-3")?.text).toContain("sem-mh"),
  },
  {
    rule: "H-1",
    from: "sem-h",
    to: "@host",
    verdict: "reachable",
    check: (e) => expect(e.paths[0].kind).toBe("shared-namespace"),
  },
  {
    rule: "H-1",
    from: "@host",
    to: "sem-h",
    verdict: "reachable",
    check: (e) => expect(e.paths[0].kind).toBe("shared-namespace"),
  },
  { rule: "H-1", from: "sem-h", to: "h1", verdict: "reachable" },
  {
    rule: "H-2",
    from: "sem-h",
    to: "sem-i1",
    verdict: "reachable",
    cites: ["HC-1"],
    check: (e) => expect(paths(e)).toEqual(["direct sem-int 10.210.4.2 HC-1"]),
  },
  {
    rule: "H-2",
    from: "sem-h",
    to: "sem-p1",
    verdict: "reachable",
    cites: ["PP-2"],
    check: (e) => expect(routes(e)).toContain("published 127.0.0.1:18081"),
  },
  {
    rule: "H-3",
    from: "sem-n1",
    to: "sem-h",
    verdict: "reachable",
    cites: ["H-3"],
    check: (e) => expect(e.names).toEqual([]),
  },
  {
    rule: "H-3",
    from: "sem-o1",
    to: "sem-h",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["host docker_gwbridge 172.21.0.1 H-3"]),
  },
  { rule: "NO-1", from: "sem-none", to: "sem-u1", verdict: "blocked" },
  { rule: "NO-1", from: "sem-u1", to: "sem-none", verdict: "blocked" },
  { rule: "NO-1", from: "@host", to: "sem-none", verdict: "blocked" },
  { rule: "NO-1", from: "sem-none", to: "@host", verdict: "blocked" },
  {
    rule: "CN-1",
    from: "sem-shared",
    to: "sem-u1",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["shared-namespace - 127.0.0.1 CN-1"]),
  },
  {
    rule: "CN-1",
    from: "sem-r1",
    to: "sem-shared",
    verdict: "reachable",
    check: (e) => {
      expect(paths(e)).toEqual(["direct sem-ub1 10.210.1.2 UB-1"]);
      expect(e.names.map((n) => n.name)).toContain("sem-u1");
      expect(e.names.map((n) => n.name)).not.toContain("sem-shared");
    },
  },
  { rule: "CN-1", from: "sem-shared", to: "sem-mh", verdict: "reachable", cites: ["UB-1", "CN-3"] },
  { rule: "CN-1", from: "cli", to: "sc", verdict: "reachable", cites: ["UB-1"] },
  { rule: "CN-3", from: "sem-shared", to: "sem-mh", verdict: "blocked", variant: { api: stop("sem-u1") } },
  { rule: "CN-3", from: "sem-r1", to: "sem-shared", verdict: "blocked", variant: { api: stop("sem-u1") } },
  // §1.7 macvlan / ipvlan
  { rule: "MV-1", from: "sem-mv1", to: "sem-mv2", verdict: "reachable" },
  { rule: "MV-3", from: "@host", to: "sem-mv1", verdict: "blocked", cites: ["HC-3"] },
  { rule: "MV-3", from: "sem-mv1", to: "@host", verdict: "blocked" },
  { rule: "MV-3", from: "sem-u1", to: "sem-mv1", verdict: "blocked" },
  { rule: "MV-3", from: "sem-mv1", to: "sem-u1", verdict: "blocked" },
  {
    rule: "MV-3",
    from: "sem-mv1",
    to: "sem-p1",
    verdict: "blocked",
    check: (e) => expect(unusable(e)).toContain("0.0.0.0:18080 MV-3"),
  },
  {
    rule: "MV-4",
    from: "@host",
    to: "sem-mv1",
    verdict: "reachable",
    variant: { config: { macvlanShims: ["sem-mv"] } },
  },
  {
    rule: "MV-4",
    from: "sem-mv1",
    to: "@host",
    verdict: "reachable",
    variant: { config: { macvlanShims: ["sem-mv"] } },
  },
  {
    rule: "MV-4",
    from: "sem-u1",
    to: "sem-mv1",
    verdict: "reachable",
    variant: { config: { macvlanShims: ["sem-mv"] } },
  },
  {
    rule: "MV-4",
    from: "sem-mv1",
    to: "sem-p1",
    verdict: "reachable",
    variant: { config: { macvlanShims: ["sem-mv"] } },
  },
  { rule: "MV-6", from: "m1", to: "sem-mv1", verdict: "blocked" },
  {
    rule: "IV-1",
    from: "sem-u1",
    to: "sem-ipv1",
    verdict: "blocked",
    cites: ["§5 stopped"],
    check: (e) => expect(e.reasons[0].text).toContain("ipvlan port"),
  },
  {
    rule: "IV-2",
    from: "sem-mv1",
    to: "sem-mv2",
    verdict: "reachable",
    // sem-mv's Driver as ipvlan (l2, the default ipvlan_mode): ipvlan l2 behaves like macvlan.
    variant: {
      api: (s) =>
        Object.assign(network(s, "sem-mv"), {
          Driver: "ipvlan",
          Options: { parent: "sem-veth0", ipvlan_mode: "l2" },
        }),
    },
  },
  {
    rule: "IV-2",
    from: "@host",
    to: "sem-mv1",
    verdict: "blocked",
    cites: ["HC-3"],
    variant: {
      api: (s) =>
        Object.assign(network(s, "sem-mv"), {
          Driver: "ipvlan",
          Options: { parent: "sem-veth0", ipvlan_mode: "l2" },
        }),
    },
  },
  // §1.8 published ports
  {
    rule: "PP-1",
    from: "@host",
    to: "sem-p1",
    verdict: "reachable",
    cites: ["HC-1", "PP-1"],
    check: (e) => expect(routes(e)).toContain("published 127.0.0.1:18080"),
  },
  {
    rule: "PP-2",
    from: "sem-v1",
    to: "sem-p1",
    verdict: "reachable",
    check: (e) => expect(unusable(e)).toContain("127.0.0.1:18081 PP-2"),
  },
  {
    rule: "PP-3",
    from: "sem-v1",
    to: "sem-p1",
    verdict: "reachable",
    check: (e) => expect(routes(e)).toContain("published 192.0.2.2:18082"),
  },
  {
    rule: "PP-4",
    from: "sem-v1",
    to: "sem-p1",
    verdict: "reachable",
    cites: ["PP-4", "UB-8", "PP-5"],
    check: (e) => expect(paths(e)).toContain("published - 10.210.2.1 PP-4"),
  },
  {
    rule: "PP-4",
    from: "sem-u1",
    to: "sem-p2r",
    verdict: "reachable",
    check: (e) => expect(routes(e)).toEqual(["published 10.210.1.1:32768"]),
  },
  { rule: "PP-6", from: "sem-p1", to: "sem-p1", verdict: "reachable", cites: ["CN-1"] },
  {
    rule: "PP-7",
    from: "sem-v1",
    to: "sem-p1",
    verdict: "blocked",
    variant: { config: { userlandProxy: false } },
  },
  {
    rule: "PP-7",
    from: "@host",
    to: "sem-p1",
    verdict: "reachable",
    cites: ["HC-1"],
    variant: { config: { userlandProxy: false } },
  },
  {
    rule: "PP-9",
    from: "sem-v1",
    to: "sem-p1",
    verdict: "blocked",
    // sem-p1's ports as exposed-only, in the list shape PP-9 documents ({PrivatePort, Type}).
    variant: { api: (s) => void (container(s, "sem-p1").Ports = [{ PrivatePort: 80, Type: "tcp" }]) },
    cites: ["UB-8"],
    check: (e) =>
      expect(e.ports).toEqual([{ port: 80, protocol: "tcp", published: false, routes: [], unusable: [] }]),
  },
  // §1.9 host <-> container
  {
    rule: "HC-1",
    from: "@host",
    to: "sem-n1",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["direct sem-noicc 10.210.3.2 HC-1"]),
  },
  {
    rule: "HC-2",
    from: "@host",
    to: "sem-o1",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["direct docker_gwbridge 172.21.0.5 HC-2"]),
  },
  { rule: "HC-3", from: "@host", to: "m1", verdict: "blocked" },
  { rule: "HC-4", from: "sem-d1", to: "@host", verdict: "reachable" },
  { rule: "HC-4", from: "sem-o1", to: "@host", verdict: "reachable", cites: ["OV-2"] },
  // §1.10 overlay
  {
    rule: "OV-1",
    from: "sem-o1",
    to: "sem-o2",
    verdict: "reachable",
    cites: ["OV-1", "OV-3"],
    check: (e) => expect(paths(e)).toEqual(["direct sem-ovl 10.210.20.4 OV-1"]),
  },
  { rule: "OV-4", from: "sem-o1", to: "sem-u1", verdict: "blocked" },
  { rule: "OV-4", from: "sem-o1", to: "sem-p1", verdict: "reachable", cites: ["OV-8"] },
  { rule: "OV-5", from: "o1", to: "sem-o2", verdict: "blocked" },
  {
    rule: "OV-6",
    from: "sem-o1",
    to: "sem-svc.1.nymiaz154k1xrcn0r9bi33u5d",
    verdict: "reachable",
    check: (e) =>
      expect(e.names.filter((n) => n.rule === "OV-6").map((n) => n.name)).toEqual([
        "tasks.sem-svc",
        "sem-svc",
      ]),
  },
  {
    rule: "OV-7",
    from: "sem-svc.1.nymiaz154k1xrcn0r9bi33u5d",
    to: "sem-svc.2.kaby0eu9bjrl8pbkpv04rc7cn",
    verdict: "reachable",
    check: (e) => expect(paths(e)).toEqual(["direct sem-ovl 10.210.20.7 OV-1"]),
  },
  {
    rule: "OV-8",
    from: "sem-u1",
    to: "sem-svch.1.6hv6orsgf7yb9eo0b9idlteoe",
    verdict: "reachable",
    cites: ["PP-4"],
    check: (e) => expect(routes(e)).toContain("published 10.210.1.1:18091"),
  },
  // §1.11 IPv6
  {
    rule: "V6-1",
    from: "sem-6a2",
    to: "sem-6a1",
    verdict: "reachable",
    cites: ["UB-1"],
    check: (e) => expect(e.paths.map((p) => p.address)).toEqual(["10.210.30.2", "fd00:210:30::2"]),
  },
  {
    rule: "V6-2",
    from: "sem-6b1",
    to: "sem-6a1",
    verdict: "reachable",
    cites: ["V6-2", "UB-8"],
    check: (e) => expect(paths(e)).toEqual(["direct sem-v6a fd00:210:30::2 V6-2"]),
  },
  // Same recorded topology reported by a 27.0 engine: ip6tables is on by default there.
  {
    rule: "V6-3",
    from: "sem-6b1",
    to: "sem-6a1",
    verdict: "blocked",
    cites: ["V6-3", "UB-8"],
    variant: { topology: version("27.0.0") },
  },
  { rule: "V6-3", from: "sem-6b1", to: "sem-6a1", verdict: "unknown", variant: { topology: version("") } },
  {
    rule: "V6-2",
    from: "sem-6b1",
    to: "sem-6a1",
    verdict: "reachable",
    variant: { topology: version("27.0.0"), config: { ip6tables: false } },
  },
  // §5 edge cases
  { rule: "§5 stopped", from: "sem-u1", to: "sem-u2", verdict: "blocked" },
  { rule: "§5 stopped", from: "sem-u2", to: "sem-u1", verdict: "blocked" },
  { rule: "§5 stopped", from: "sem-u1", to: "sem-mvnop1", verdict: "blocked" },
  {
    rule: "§5 paused",
    from: "sem-r1",
    to: "sem-u1",
    verdict: "reachable",
    variant: { api: setState("sem-u1", "paused") },
    check: (e) => expect(e.responsive).toBe(false),
  },
  {
    rule: "§1.1",
    from: "sem-r1",
    to: "sem-u1",
    verdict: "reachable",
    variant: { api: setState("sem-u1", "restarting") },
  },
  {
    rule: "§5 stopped",
    from: "sem-r1",
    to: "sem-u2",
    verdict: "blocked",
    variant: { api: setState("sem-u2", "restarting") },
  },
  {
    rule: "§5 plugin driver",
    from: "sem-v1",
    to: "sem-mh",
    verdict: "unknown",
    // sem-ub2's Driver as a plugin's name (§5 "Unknown network driver").
    variant: { api: (s) => void (network(s, "sem-ub2").Driver = "weaveworks/net-plugin:2.8.1") },
  },
  {
    rule: "§5 plugin driver",
    from: "sem-u1",
    to: "sem-v1",
    verdict: "unknown",
    variant: { api: (s) => void (network(s, "sem-ub2").Driver = "weaveworks/net-plugin:2.8.1") },
  },
  {
    rule: "§5 plugin driver",
    from: "sem-u1",
    to: "sem-mh",
    verdict: "reachable",
    cites: ["UB-1"],
    variant: { api: (s) => void (network(s, "sem-ub2").Driver = "weaveworks/net-plugin:2.8.1") },
  },
];

describe("reachability rules (docs/docker-reachability.md)", () => {
  test.each(
    rows.map(
      (r) => [`${r.rule}: ${r.from} -> ${r.to} is ${r.verdict}${r.variant ? " (variant)" : ""}`, r] as const,
    ),
  )("%s", (_, row) => {
    const e = why(recorded(row.variant), row.from, row.to);
    expect(e.verdict).toBe(row.verdict);
    const cited = rulesOf(e);
    for (const rule of row.cites ?? [row.rule]) expect([...cited]).toContain(rule);
    row.check?.(e);
  });
});
