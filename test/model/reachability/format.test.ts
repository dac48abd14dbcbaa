/** `reachgraph why` text: layer by layer, then verdict and fix. */
import { expect, test } from "vitest";
import { explainPair, formatExplanation } from "../../../server/model/reachability/index.ts";
import { container, recorded } from "./fixture.ts";

test("a blocked pair walks names, network, ports, then verdict and fix", () => {
  const text = formatExplanation(explainPair(recorded(), "sem-v1", "sem-u1"));
  expect(text).toBe(`sem-v1 -> sem-u1

Names:
  no name resolves to the target from here
  [UB-3] names on sem-ub1 are network-scoped: NXDOMAIN from here

Network (shared network, icc, internal, isolation):
  [UB-8] sem-ub2 -> sem-ub1: user-defined bridges are isolated from each other
  [MN-3] sem-mh is on both sides but is no router (MN-2); only NET_ADMIN routes on both peers would pass through it

Ports and bindings:
  [PP-9] no exposed or published ports are known

Paths:
  none

Verdict: blocked
Fix: connect sem-v1 to sem-ub1, where all ports of members of sem-ub1 are reachable [UB-1]
  $ docker network connect sem-ub1 sem-v1
`);
});

test("a published-only pair shows bindings, usable or not, with their rules", () => {
  const text = formatExplanation(explainPair(recorded(), "sem-v1", "sem-p1"));
  expect(text).toContain("80/tcp published: 10.210.2.1:18080 (published, PP-4)");
  expect(text).toContain("127.0.0.1:18081 not usable (PP-2)");
  expect(text).toContain("published: 10.210.2.1:18080 -> 80/tcp [PP-4]");
  expect(text).toContain("Verdict: reachable\n");
});

test("a paused target is reachable but unresponsive", () => {
  const index = recorded({ api: (s) => void (container(s, "sem-u1").State = "paused") });
  const text = formatExplanation(explainPair(index, "sem-r1", "sem-u1"));
  expect(text).toContain("State:\n  [§5 paused]");
  expect(text).toContain("on sem-ub1: sem-u1, u1alias, shared, b5daed96e6b5");
  expect(text).toContain("Verdict: reachable (but unresponsive: paused)");
});

test("unknown containers are reported by name", () => {
  expect(() => explainPair(recorded(), "nope", "sem-u1")).toThrow('unknown container "nope"');
});
