import { describe, expect, it } from "vitest";
import { compareWithPrediction, formatDisagreements } from "../../server/model/probe-compare.ts";
import type { PairObservation } from "../../server/model/probe-types.ts";
import type { PairExplanation } from "../../server/model/reachability/types.ts";
import { parseOutput, renderScript } from "../../server/probe/script.ts";

describe("helper script output", () => {
  it("parses every RG line and ignores the rest", () => {
    // Lines as busybox 1.35 printed them in a helper on Engine 20.10.
    const parsed = parseOutput(
      [
        "RG 0 icmp ok ",
        "RG 1 tcp timeout nc: timed out",
        "RG 2 tcp refused nc: can't connect to remote host (10.213.250.1): Connection refused",
        "RG 3 name ok dns 10.213.117.2 10.213.117.3 ",
        "RG 4 name ok hosts 172.17.0.2 ",
        "RG 5 name timeout ;; connection timed out; no servers could be reached",
        "RG 6 name nxdomain not in /etc/hosts; no embedded DNS to ask",
        "RG 7 icmp bogus",
        "Non-authoritative answer:",
        "RG end",
      ].join("\n"),
    );
    expect(parsed.ended).toBe(true);
    expect(Object.fromEntries(parsed.checks)).toEqual({
      0: { kind: "icmp", status: "ok", detail: "" },
      1: { kind: "tcp", status: "timeout", detail: "nc: timed out" },
      2: {
        kind: "tcp",
        status: "refused",
        detail: "nc: can't connect to remote host (10.213.250.1): Connection refused",
      },
      3: {
        kind: "name",
        status: "ok",
        detail: "",
        resolvedBy: "dns",
        resolved: ["10.213.117.2", "10.213.117.3"],
      },
      4: { kind: "name", status: "ok", detail: "", resolvedBy: "hosts", resolved: ["172.17.0.2"] },
      5: { kind: "name", status: "timeout", detail: ";; connection timed out; no servers could be reached" },
      6: { kind: "name", status: "nxdomain", detail: "not in /etc/hosts; no embedded DNS to ask" },
    });
  });

  it("reports tools the image lacks and a script that did not finish", () => {
    const parsed = parseOutput("RG tools-missing nc nslookup\n");
    expect(parsed).toMatchObject({ ended: false, missingTools: ["nc", "nslookup"] });
  });

  it("quotes names for sh and refuses anything but IPs and ports", () => {
    const script = renderScript([{ id: 0, kind: "name", address: null, port: null, name: "a'b" }]);
    expect(script).toContain(`rg_name 0 'a'\\''b' &`);
    expect(() =>
      renderScript([{ id: 0, kind: "icmp", address: "1.2.3.4;reboot", port: null, name: null }]),
    ).toThrow('probe address "1.2.3.4;reboot" is not an IP');
    expect(() =>
      renderScript([{ id: 0, kind: "tcp", address: "10.0.0.1", port: 70000, name: null }]),
    ).toThrow("probe port 70000 is not in 1-65535");
  });

  it("runs checks in batches of background jobs", () => {
    const checks = [0, 1, 2].map((id) => ({
      id,
      kind: "icmp" as const,
      address: `10.0.0.${id}`,
      port: null,
      name: null,
    }));
    const body = renderScript(checks, 2).split("\n").slice(-6);
    expect(body).toEqual([
      "rg_icmp 0 10.0.0.0 &",
      "rg_icmp 1 10.0.0.1 &",
      "wait",
      "rg_icmp 2 10.0.0.2 &",
      "wait",
      'echo "RG end"',
    ]);
  });
});

describe("compareWithPrediction", () => {
  const a = { id: "a".repeat(64), name: "a" };
  const b = { id: "b".repeat(64), name: "b" };
  const predicted: PairExplanation = {
    from: a,
    to: b,
    verdict: "reachable",
    responsive: true,
    paths: [{ kind: "direct", verdict: "reachable", network: "n", address: "10.0.0.2", rule: "UB-1" }],
    names: [
      { name: "b", network: "n", address: "10.0.0.2", rule: "UB-2" },
      { name: "b-alias", network: "n", address: "10.0.0.2", rule: "UB-2" },
      { name: "b.n", network: "n", address: "10.0.0.2", rule: "UB-2" },
    ],
    namesKnown: true,
    ports: [],
    reasons: [],
  };
  const observed: PairObservation = {
    from: a,
    to: b,
    verdict: "blocked",
    evidence: "1 checks failed, e.g. tcp 10.0.0.2:80 timeout",
    targetAddresses: ["10.0.0.2"],
    names: [
      { name: "B", status: "ok", resolvesToTarget: true, addresses: ["10.0.0.2"], resolvedBy: "dns" },
      { name: "b-alias", status: "timeout", resolvesToTarget: false, addresses: [] },
      {
        name: "bbbbbbbbbbbb.n",
        status: "ok",
        resolvesToTarget: true,
        addresses: ["10.0.0.2"],
        resolvedBy: "dns",
      },
    ],
    results: [
      {
        kind: "tcp",
        role: "direct",
        address: "10.0.0.2",
        port: 80,
        name: null,
        network: "n",
        status: "timeout",
      },
    ],
    skipped: [],
  };

  it("lists every disagreement: verdict, names both ways, and predicted names never probed", () => {
    expect(formatDisagreements(compareWithPrediction([predicted], [observed])).split("\n")).toEqual([
      "a -> b: verdict: predicted reachable, observed blocked [UB-1] — 1 checks failed, e.g. tcp 10.0.0.2:80 timeout",
      "a -> b: name b-alias: predicted resolves, observed does not resolve (timeout) [UB-2]",
      "a -> b: name bbbbbbbbbbbb.n: predicted does not resolve, observed resolves to 10.0.0.2 (dns)",
      "a -> b: coverage b.n: predicted resolves, observed not probed [UB-2]",
    ]);
  });

  it("lists pairs only one side has", () => {
    const other = { ...observed, from: b, to: a };
    const list = compareWithPrediction([predicted], [other]);
    expect(list.map((d) => [d.from.name, d.to.name, d.aspect, d.observed])).toEqual([
      ["b", "a", "coverage", "blocked"],
      ["a", "b", "coverage", "not probed"],
    ]);
  });
});
