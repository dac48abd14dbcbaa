/** The compact matrix agrees with `explainPair` on every ordered pair, for the recorded topology and variants. */
import { describe, expect, test } from "vitest";
import {
  computeReachability,
  matrixJson,
  pairs,
  REACHABILITY_SCHEMA_VERSION,
} from "../../../server/model/reachability/index.ts";
import type { Variant } from "./fixture.ts";
import { container, matrixMismatches, network, recorded } from "./fixture.ts";

const plugin = (s: Parameters<NonNullable<Variant["api"]>>[0]) =>
  void (network(s, "sem-ub2").Driver = "weaveworks/net-plugin:2.8.1");

// Each variant changes one documented field of the recorded data (see rules.test.ts for the why of each).
const variants: [string, Variant][] = [
  ["recorded", {}],
  [
    "icc=false on docker0 with a link",
    {
      api: (s) => {
        network(s, "bridge").Options!["com.docker.network.bridge.enable_icc"] = "false";
        container(s, "sem-p2r").Names.push("/sem-d3/p2alias");
      },
    },
  ],
  ["macvlan shim", { config: { macvlanShims: ["sem-mv"] } }],
  ["userland-proxy off", { config: { userlandProxy: false } }],
  ["engine 27", { topology: (t) => void (t.engine.serverVersion = "27.0.0") }],
  ["unknown engine version", { topology: (t) => void (t.engine.serverVersion = "") }],
  ["plugin driver", { api: plugin }],
  ["provider stopped", { api: (s) => void (container(s, "sem-u1").State = "exited") }],
  ["paused", { api: (s) => void (container(s, "sem-mh").State = "paused") }],
  [
    "ipvlan",
    {
      api: (s) => Object.assign(network(s, "sem-mv"), { Driver: "ipvlan", Options: { parent: "sem-veth0" } }),
    },
  ],
  [
    "gwbridge not inspected",
    {
      api: (s) =>
        s.networkDetails instanceof Map && s.networkDetails.delete(network(s, "docker_gwbridge").Id),
    },
  ],
];

describe("computeReachability", () => {
  test.each(variants)("agrees with explainPair on every pair: %s", (_, variant) => {
    const index = recorded(variant);
    const n = index.containers.length;
    const { mismatches, count } = matrixMismatches(index);
    expect(count).toBe(n * (n - 1) + 2 * n);
    expect(mismatches).toEqual([]);
  });

  test("groups per network instead of listing targets per source", () => {
    const r = computeReachability(recorded());
    const u1 = r.index.byRef.get("sem-u1")!;
    const keys = r.sources[u1].reachable.map((g) => r.groups[g].key);
    expect(keys).toContain(`net:${r.index.topology.networks.find((n) => n.name === "sem-ub1")!.id}`);
    const size = r.groups.reduce((sum, g) => sum + g.members.length, 0);
    expect(size).toBeLessThan(4 * r.index.containers.length);
  });

  test("streams pairs with container IDs and never names pseudo-endpoints (OV-9)", () => {
    const index = recorded();
    const ids = new Set([...index.containers.map((c) => c.id), "@host"]);
    const all = [...pairs(computeReachability(index))];
    expect(all.length).toBeGreaterThan(100);
    for (const p of all) {
      expect(ids.has(p.from) && ids.has(p.to)).toBe(true);
      expect(p.verdict).not.toBe("blocked");
    }
  });
});

describe("matrixJson", () => {
  test("has the CLI shape, names as from/to, a fix on blocked pairs", () => {
    const doc = matrixJson(recorded(), { includeBlocked: true });
    expect(doc.schemaVersion).toBe(REACHABILITY_SCHEMA_VERSION);
    const pair = doc.pairs.find((p) => p.from === "sem-v1" && p.to === "sem-u1")!;
    expect(pair).toMatchObject({ verdict: "blocked", paths: [], names: [] });
    expect(pair.fix?.commands).toEqual(["docker network connect sem-ub1 sem-v1"]);
    expect(pair.reasons.map((r) => r.rule)).toContain("UB-8");
    expect(Object.keys(pair).sort()).toEqual([
      "fix",
      "from",
      "names",
      "paths",
      "ports",
      "reasons",
      "to",
      "verdict",
    ]);
    const host = doc.pairs.find((p) => p.from === "@host" && p.to === "sem-p1")!;
    expect(host.verdict).toBe("reachable");
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  test("filters sources and targets, and leaves blocked pairs out by default", () => {
    const index = recorded();
    const u1 = index.byRef.get("sem-u1")!;
    const doc = matrixJson(index, { from: (i) => i === u1 });
    expect(new Set(doc.pairs.map((p) => p.from))).toEqual(new Set(["sem-u1"]));
    expect(doc.pairs.every((p) => p.verdict !== "blocked")).toBe(true);
    expect(doc.pairs.map((p) => p.to)).toEqual(
      expect.arrayContaining(["sem-shared", "sem-mh", "@host", "sem-p1"]),
    );
  });
});
