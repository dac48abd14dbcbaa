/** Fixes for blocked pairs: every step, in an order that works, or the honest reason there is none. */
import { expect, test } from "vitest";
import type { Fix } from "../../../server/model/reachability/index.ts";
import type { Topology } from "../../../server/model/topology.ts";
import type { Variant } from "./fixture.ts";
import { container, recorded, why } from "./fixture.ts";

const stop = (name: string): Variant => ({ api: (s) => void (container(s, name).State = "exited") });
const pause = (name: string): Variant => ({ api: (s) => void (container(s, name).State = "paused") });

/** A network renamed everywhere the topology names it (Docker accepts any string as a network name). */
function renameNetwork(t: Topology, from: string, to: string): void {
  for (const n of t.networks) if (n.name === from) n.name = to;
  for (const c of t.containers) for (const i of c.interfaces) if (i.network === from) i.network = to;
}

const rows: [string, string, string, Partial<Fix>, Variant?][] = [
  [
    "UB-8: join the target's network",
    "sem-v1",
    "sem-u1",
    { commands: ["docker network connect sem-ub1 sem-v1"], rule: "UB-1" },
  ],
  [
    "INT-1: an internal network admits new members",
    "sem-u1",
    "sem-i1",
    { commands: ["docker network connect sem-int sem-u1"], rule: "INT-1" },
  ],
  [
    "OV-1: attachable overlay",
    "sem-u1",
    "sem-o1",
    { commands: ["docker network connect sem-ovl sem-u1"], rule: "OV-1" },
  ],
  [
    "MV-1: join the macvlan network",
    "sem-u1",
    "sem-mv1",
    { commands: ["docker network connect sem-mv sem-u1"], rule: "MV-1" },
  ],
  [
    "DB-7: docker0 last resort has no DNS but works",
    "sem-u1",
    "sem-d1",
    { commands: ["docker network connect bridge sem-u1"], rule: "DB-1" },
  ],
  [
    "CN-1: a joiner is fixed through its provider",
    "sem-shared",
    "sem-v1",
    { commands: ["docker network connect sem-ub2 sem-u1"], rule: "UB-1" },
  ],
  [
    "NO-1: a none-mode source leaves none, then joins the target's network",
    "sem-none",
    "sem-u1",
    {
      commands: ["docker network disconnect none sem-none", "docker network connect sem-ub1 sem-none"],
      rule: "NO-1",
    },
  ],
  [
    "NO-1: a none-mode target joins the source's network",
    "sem-u1",
    "sem-none",
    {
      commands: ["docker network disconnect none sem-none", "docker network connect sem-ub1 sem-none"],
      rule: "NO-1",
    },
  ],
  [
    "NO-1: a none-mode source reaches the host through bridge",
    "sem-none",
    "@host",
    {
      commands: ["docker network disconnect none sem-none", "docker network connect bridge sem-none"],
      rule: "NO-1",
    },
  ],
  ["MV-3: host and children need a shim", "@host", "sem-mv1", { commands: [], rule: "MV-4" }],
  [
    "HC-4: a macvlan child reaches the host through a bridge",
    "sem-mv1",
    "@host",
    { commands: ["docker network connect bridge sem-mv1"], rule: "HC-4" },
  ],
  [
    "H-3: same for host-mode services",
    "sem-mv1",
    "sem-h",
    { commands: ["docker network connect bridge sem-mv1"], rule: "HC-4" },
  ],
  ["§5: start a stopped target", "sem-u1", "sem-u2", { commands: ["docker start sem-u2"] }],
  [
    "§5 + UB-8: a stopped target on an isolated network starts, then the source joins",
    "sem-v1",
    "sem-u2",
    {
      commands: ["docker start sem-u2", "docker network connect sem-ub1 sem-v1"],
      rule: "§5 stopped",
    },
  ],
  [
    "§5: both ends stopped start, source first",
    "sem-u2",
    "sem-u1",
    { commands: ["docker start sem-u2 sem-u1"], rule: "§5 stopped" },
    stop("sem-u1"),
  ],
  [
    "§5 paused: a paused target is unpaused",
    "sem-r1",
    "sem-u1",
    { commands: ["docker unpause sem-u1"], rule: "§5 paused" },
    pause("sem-u1"),
  ],
  [
    "§5 paused + UB-8: unpause, then join",
    "sem-v1",
    "sem-u1",
    { commands: ["docker unpause sem-u1", "docker network connect sem-ub1 sem-v1"], rule: "§5 paused" },
    pause("sem-u1"),
  ],
  [
    "ICC-1: icc=false leaves a new network (or publishing)",
    "sem-n2",
    "sem-n1",
    {
      commands: [
        "docker network create sem-n2-sem-n1",
        "docker network connect sem-n2-sem-n1 sem-n2",
        "docker network connect sem-n2-sem-n1 sem-n1",
      ],
      rule: "ICC-1",
    },
    { config: { userlandProxy: false } },
  ],
  [
    "CN-3: restart the joiner after its provider",
    "sem-shared",
    "sem-mh",
    { commands: ["docker start sem-u1", "docker restart sem-shared"], rule: "CN-3" },
    stop("sem-u1"),
  ],
  [
    "a hostile network name is one quoted word",
    "sem-v1",
    "sem-u1",
    { commands: ["docker network connect 'x-$(touch /tmp/owned)' sem-v1"] },
    { topology: (t) => renameNetwork(t, "sem-ub1", "x-$(touch /tmp/owned)") },
  ],
];

test.each(rows)("%s", (_, from, to, fix, variant) => {
  const e = why(recorded(variant), from, to);
  expect(e.verdict === "blocked" || !e.responsive).toBe(true);
  expect(e.fix).toMatchObject(fix);
  expect(e.fix?.text.length).toBeGreaterThan(10);
});

test("IV-1: a container whose start failed gets no start command, and the reason", () => {
  const e = why(recorded(), "sem-u1", "sem-ipv1");
  expect(e.fix).toMatchObject({ commands: [], rule: "IV-1" });
  expect(e.fix?.text).toContain("sem-ipv1 failed to start (failed to create the ipvlan port");
});

test("reachable and unknown pairs get no fix", () => {
  const index = recorded();
  expect(why(index, "sem-u1", "sem-mh").fix).toBeUndefined();
  const plugin = recorded({ topology: (t) => void (t.engine.serverVersion = "") });
  expect(why(plugin, "sem-6b1", "sem-6a1")).toMatchObject({ verdict: "unknown" });
  expect(why(plugin, "sem-6b1", "sem-6a1").fix).toBeUndefined();
});

test("NO-1: a none-mode container connected to a network after leaving none is on that network", () => {
  const moved = recorded({
    topology: (t) => {
      const none = t.containers.find((c) => c.name === "sem-none")!;
      const u1 = t.containers.find((c) => c.name === "sem-u1")!;
      // What the engine reports after the NO-1 fix: NetworkMode stays "none", the endpoint is on sem-ub1.
      none.interfaces = [{ ...u1.interfaces[0], ipv4: "10.210.1.99", endpointId: "e".repeat(64) }];
    },
  });
  expect(why(moved, "sem-none", "sem-u1").verdict).toBe("reachable");
});
