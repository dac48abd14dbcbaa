import { describe, expect, it } from "vitest";
import { exampleTopologyOf, listExamples } from "../../server/example/examples.ts";
import { explainPair, HOST, indexTopology } from "../../server/model/reachability/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import type { WhatIf } from "../../server/model/what-if/index.ts";
import { applyWhatIf, applyWhatIfs, WHAT_IF_MARK, WhatIfError } from "../../server/model/what-if/index.ts";

/** Examples recorded from a real engine (scripts/record-examples.ts). */
function example(slug: string): Topology {
  const t = exampleTopologyOf(slug);
  if (!t) throw new Error(`no example ${slug}`);
  return t;
}

const verdict = (t: Topology, from: string, to: string) => explainPair(indexTopology(t), from, to);

describe("what-if changes on recorded topologies", () => {
  it("every listed example loads, and the index cites rules", () => {
    for (const e of listExamples()) {
      expect(example(e.slug).containers.length, e.slug).toBeGreaterThan(0);
      expect(e.rules.length).toBeGreaterThan(0);
    }
  });

  it.each([
    {
      slug: "bridges",
      whatIf: { kind: "connect", container: "reports", network: "app", aliases: ["rep"] },
      pair: ["worker", "reports"],
      before: "blocked",
      after: "reachable",
      rule: "UB-1",
    },
    {
      slug: "bridges",
      whatIf: { kind: "disconnect", container: "worker", network: "app" },
      pair: ["api", "worker"],
      before: "reachable",
      after: "blocked",
      // The model cites no network rule for a namespace without endpoints; no path is the point.
      rule: null,
    },
    {
      slug: "icc-internal",
      whatIf: { kind: "icc", network: "quiet", enabled: true },
      pair: ["quiet-a", "quiet-b"],
      before: "blocked",
      after: "reachable",
      rule: "UB-1",
    },
    {
      slug: "icc-internal",
      whatIf: { kind: "internal", network: "front", enabled: true },
      pair: ["web", "quiet-a"],
      before: "reachable",
      after: "blocked",
      rule: "INT-2",
    },
    {
      slug: "bridges",
      whatIf: { kind: "publish", container: "reports", containerPort: 80, hostPort: 18080 },
      pair: ["api", "reports"],
      before: "blocked",
      after: "reachable",
      rule: "PP-4",
    },
  ] satisfies {
    slug: string;
    whatIf: WhatIf;
    pair: string[];
    before: string;
    after: string;
    rule: string | null;
  }[])(
    "$slug: $whatIf.kind turns $pair.0 -> $pair.1 from $before to $after ($rule)",
    ({ slug, whatIf, pair: [from, to], before, after, rule }) => {
      const t = example(slug);
      expect(verdict(t, from, to).verdict).toBe(before);
      const { topology, changes } = applyWhatIfs(t, [whatIf]);
      const e = verdict(topology, from, to);
      expect(e.verdict).toBe(after);
      if (rule) expect([...e.reasons.map((r) => r.rule), ...e.paths.map((p) => p.rule)]).toContain(rule);
      else expect(e.paths).toEqual([]);
      expect(changes).toHaveLength(1);
      expect(changes[0].command).toMatch(/^docker /);
      // The input is never changed, and the result says it is a what-if.
      expect(verdict(t, from, to).verdict).toBe(before);
      expect(topology.source.kind).toBe(t.source.kind);
      expect(topology.source.label).toContain(WHAT_IF_MARK);
    },
  );

  it("a connected endpoint has no address yet, answers to UB-2's names, and is live", () => {
    const t = example("bridges");
    const { topology } = applyWhatIf(t, {
      kind: "connect",
      container: "api",
      network: "other",
      aliases: ["x"],
    });
    const api = topology.containers.find((c) => c.name === "api");
    const iface = api?.interfaces.find((i) => i.network === "other");
    expect(iface?.ipv4).toBeNull();
    expect(iface?.dnsNames?.sort()).toEqual(["api", "api-host", api?.id.slice(0, 12), "x"].sort());
    expect(verdict(topology, "reports", "api").names.map((n) => n.name)).toContain("x");
  });

  it("INT-5: a port published on an internal-only container is listed but not usable", () => {
    const t = example("icc-internal");
    const { topology, changes } = applyWhatIf(t, {
      kind: "publish",
      container: "vault-app",
      containerPort: 80,
      hostPort: 18081,
    });
    expect(changes[0]).toMatchObject({ effective: false, rules: ["INT-5", "PP-11"] });
    const e = verdict(topology, HOST, "vault-app");
    expect(e.reasons.map((r) => r.rule)).toContain("INT-5");
    expect(verdict(topology, "web", "vault-app").verdict).toBe("blocked");
  });

  it.each([
    [{ kind: "connect", container: "sidecar", network: "app-net" }, /CN-1/],
    [{ kind: "connect", container: "host-svc", network: "app-net" }, /host mode/],
    [{ kind: "connect", container: "app", network: "app-net" }, /already connected/],
    [{ kind: "disconnect", container: "peer", network: "none" }, /not connected/],
    [{ kind: "icc", network: "host", enabled: false }, /belongs to the engine/],
    [{ kind: "internal", network: "nope", enabled: true }, /unknown network "nope"/],
    [{ kind: "publish", container: "app", containerPort: 80, hostPort: 70000 }, /host port 70000/],
  ] satisfies [WhatIf, RegExp][])("refuses what the engine refuses: %o", (whatIf, message) => {
    const t = example("namespaces");
    expect(() => applyWhatIf(t, whatIf)).toThrow(WhatIfError);
    expect(() => applyWhatIf(t, whatIf)).toThrow(message);
  });

  it("H-1: publishing in host mode has no effect", () => {
    const t = example("namespaces");
    const { topology, changes } = applyWhatIf(t, {
      kind: "publish",
      container: "host-svc",
      containerPort: 80,
      hostPort: 18082,
    });
    expect(changes[0]).toMatchObject({ effective: false, rules: ["H-1"] });
    expect(topology).toBe(t);
  });
});
