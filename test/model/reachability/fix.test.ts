/** The smallest fix for blocked pairs: a real command, or the honest reason there is none. */
import { expect, test } from "vitest";
import type { Fix } from "../../../server/model/reachability/index.ts";
import type { Variant } from "./fixture.ts";
import { container, recorded, why } from "./fixture.ts";

const rows: [string, string, string, Partial<Fix>, Variant?][] = [
  [
    "UB-8: join the target's network",
    "sem-v1",
    "sem-u1",
    { command: "docker network connect sem-ub1 sem-v1", rule: "UB-1" },
  ],
  [
    "INT-1: an internal network admits new members",
    "sem-u1",
    "sem-i1",
    { command: "docker network connect sem-int sem-u1", rule: "INT-1" },
  ],
  [
    "OV-1: attachable overlay",
    "sem-u1",
    "sem-o1",
    { command: "docker network connect sem-ovl sem-u1", rule: "OV-1" },
  ],
  [
    "MV-1: join the macvlan network",
    "sem-u1",
    "sem-mv1",
    { command: "docker network connect sem-mv sem-u1", rule: "MV-1" },
  ],
  [
    "DB-7: docker0 last resort has no DNS but works",
    "sem-u1",
    "sem-d1",
    { command: "docker network connect bridge sem-u1", rule: "DB-1" },
  ],
  [
    "CN-1: a joiner is fixed through its provider",
    "sem-shared",
    "sem-v1",
    { command: "docker network connect sem-ub2 sem-u1", rule: "UB-1" },
  ],
  ["NO-1: none mode cannot be connected", "sem-none", "sem-u1", { command: null, rule: "NO-1" }],
  ["NO-1: nor as a target", "sem-u1", "sem-none", { command: null, rule: "NO-1" }],
  ["MV-3: host and children need a shim", "@host", "sem-mv1", { command: null, rule: "MV-4" }],
  [
    "HC-4: a macvlan child reaches the host through a bridge",
    "sem-mv1",
    "@host",
    { command: "docker network connect bridge sem-mv1", rule: "HC-4" },
  ],
  [
    "H-3: same for host-mode services",
    "sem-mv1",
    "sem-h",
    { command: "docker network connect bridge sem-mv1", rule: "HC-4" },
  ],
  ["§5: start a stopped target", "sem-u1", "sem-u2", { command: "docker start sem-u2" }],
  [
    "ICC-1: icc=false leaves a new network (or publishing)",
    "sem-n2",
    "sem-n1",
    {
      command:
        "docker network create sem-n2-sem-n1 && docker network connect sem-n2-sem-n1 sem-n2 && docker network connect sem-n2-sem-n1 sem-n1",
      rule: "ICC-1",
    },
    { config: { userlandProxy: false } },
  ],
  [
    "CN-3: restart the joiner after its provider",
    "sem-shared",
    "sem-mh",
    { command: "docker start sem-u1 && docker restart sem-shared", rule: "CN-3" },
    { api: (s) => void (container(s, "sem-u1").State = "exited") },
  ],
];

test.each(rows)("%s", (_, from, to, fix, variant) => {
  const e = why(recorded(variant), from, to);
  expect(e.verdict).toBe("blocked");
  expect(e.fix).toMatchObject(fix);
  expect(e.fix?.text.length).toBeGreaterThan(10);
});

test("reachable and unknown pairs get no fix", () => {
  const index = recorded();
  expect(why(index, "sem-u1", "sem-mh").fix).toBeUndefined();
  const plugin = recorded({ topology: (t) => void (t.engine.serverVersion = "") });
  expect(why(plugin, "sem-6b1", "sem-6a1")).toMatchObject({ verdict: "unknown" });
  expect(why(plugin, "sem-6b1", "sem-6a1").fix).toBeUndefined();
});
