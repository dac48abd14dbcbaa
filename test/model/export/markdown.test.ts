import { describe, expect, it } from "vitest";
import { recordingState } from "../../../server/example/example.ts";
import { exportMarkdown, exportView, MATRIX_LIMIT } from "../../../server/model/export/index.ts";
import { quoteShell } from "../../../server/model/escape/shell.ts";
import { blockedCauses, fillTemplate, namesOf } from "../../../server/model/export/markdown-blocked.ts";
import { countVerdicts } from "../../../server/model/export/view.ts";
import { normalizeTopology } from "../../../server/model/normalize.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { fleetWith } from "../../support/hostile.ts";
import { syntheticRecording } from "../../support/synthetic.ts";
import { INPUTS } from "./fixtures.ts";

function synthetic(containers: number): Topology {
  const state = recordingState(syntheticRecording({ containers, networks: Math.round(containers / 5) }));
  return normalizeTopology(state, {
    kind: "snapshot",
    label: "synthetic",
    capturedAt: "2026-01-01T00:00:00Z",
  });
}

describe("exportMarkdown", () => {
  const md = exportMarkdown(INPUTS.example());

  it("lists networks with drivers, subnets and flags", () => {
    expect(md).toMatch(/\| `rgt-demo-internal` \| bridge \| local \| 10\.213\.13\.0\/24 \| internal \(INT-2/);
    expect(md).toMatch(/\| `rgt-demo-noicc` \| bridge \| local \| 10\.213\.237\.0\/24 \| icc off \(ICC-1/);
  });

  it("lists ports with their bind address, and exposed-only ports", () => {
    const row = md.split("\n").find((l) => l.includes("`rgt-demo-published`"));
    expect(row).toContain("`127.0.0.1:32771→8080/tcp`");
    expect(row).toContain("`0.0.0.0:32772→80/tcp`");
    expect(row).toContain("`9999/tcp (exposed only)`");
  });

  it(`draws the matrix as a table up to ${MATRIX_LIMIT} containers`, () => {
    const header = md.split("\n").find((l) => l.startsWith("| From \\ to"));
    expect(header?.split("|").length).toBe(INPUTS.example().containers.length + 4);
    expect(md).toMatch(/\| 16 `rgt-demo-quiet-a` \|.*/);
  });

  it("accounts for every blocked pair exactly once, with a reason and a fix", () => {
    const view = exportView(INPUTS.example());
    const causes = blockedCauses(view);
    const pairs = causes.reduce(
      (n, c) => n + c.sources.length * (c.targets?.length ?? view.containers.length),
      0,
    );
    expect(pairs).toBe(countVerdicts(view).blocked);
    for (const c of causes) {
      expect(c.reasons.length).toBeGreaterThan(0);
      expect(c.fix?.text).toBeTruthy();
    }
    expect(md).toContain("[ICC-1] rgt-demo-noicc has icc=false: peers' IPs are dropped");
  });

  it("lists every step of a fix, numbered in the order they run", () => {
    expect(md).toContain(
      [
        "  - **Fix:** rgt-demo-none-mode runs with --network none (NO-1): disconnect it from none and connect it to bridge",
        "    1. `docker network disconnect none rgt-demo-none-mode`",
        "    2. `docker network connect bridge rgt-demo-none-mode`",
      ].join("\n"),
    );
    expect(md).toContain("rgt-demo-dupc failed to start (");
  });

  it("switches to per-source lists and a grouped summary for large topologies", () => {
    const big = exportMarkdown(synthetic(120));
    expect(big).not.toContain("| From \\ to");
    expect(big).toMatch(/^### From `[^`]+`\n\n- ✓ reaches: /m);
    expect(big).toContain("Too many blocked pairs to list one by one");
    expect(big).toMatch(/- \*\*UB-8\*\*: \d+ pairs, to /);
    expect(big.length).toBeLessThan(400_000);
  });

  it("sources whose names need shell quoting group as others do, their commands quoted once filled", () => {
    // The recorded swarm, and again with one service's tasks named with a space (quoted) and with a quote.
    const profile = (topology: Topology) => {
      const view = exportView(topology);
      const causes = blockedCauses(view);
      return {
        view,
        causes,
        shape: causes.map((c) => `${c.sources.length}×${c.targets?.length ?? "all"}`).sort(),
      };
    };
    const bare = profile(INPUTS["fleet-swarm"]());
    expect(bare.shape.some((s) => s.startsWith("3×"))).toBe(true);
    expect(profile(fleetWith("two")).shape).toEqual(bare.shape);
    const quoted = profile(fleetWith("it's"));
    expect(quoted.shape).toEqual(bare.shape);
    // Commands name a container as its engine does (a fleet's `name@node` is the map's alone).
    const name = (i: number) => namesOf(quoted.view, i).engine;
    const fixed = quoted.causes.find(
      (c) =>
        c.sources.length === 1 &&
        c.sources[0] >= 0 &&
        name(c.sources[0]).includes("it's") &&
        c.fix?.commands.some((x) => x.includes("\u0000source")),
    );
    expect(fixed).toBeDefined();
    const command = fillTemplate(
      fixed?.fix?.commands.find((x) => x.includes("\u0000source")) ?? "",
      namesOf(quoted.view, fixed?.sources[0] ?? 0),
      undefined,
    );
    expect(command).toContain(quoteShell(name(fixed?.sources[0] ?? 0)));
  });
});
