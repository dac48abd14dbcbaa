/**
 * Legacy links (DB-3, UB-7) to containers whose names collide across machines, on the fleet recorded on the real
 * swarm by `scripts/record-fleet.ts links`: twin and utwin run on vm and node2, so the merged map names them
 * `twin@vm`, `twin@node2`…; on node2, linker links to twin on docker0 and ulinker to utwin on a user network.
 * A link holds the engine's name and is resolved by the linker's own engine, so it names node2's container.
 */
import { describe, expect, test } from "vitest";
import { explainPair } from "../../../server/model/reachability/index.ts";
import { fleet } from "./fleet-fixture.ts";

const P = "rgt-fleetln-";

describe("legacy links to a qualified name", () => {
  const index = fleet("links");
  const names = (from: string, to: string, rule: string) =>
    explainPair(index, `${P}${from}`, `${P}${to}`)
      .names.filter((n) => n.rule === rule)
      .map((n) => n.name);

  test("the recording qualifies the colliding names", () => {
    expect(index.containers.map((c) => c.name)).toEqual(
      expect.arrayContaining([`${P}twin@vm`, `${P}twin@node2`, `${P}utwin@vm`, `${P}utwin@node2`]),
    );
  });

  test("DB-3: the link alias, the engine's name and the short ID resolve to the linker's machine's twin", () => {
    const twin = index.containers.find((c) => c.name === `${P}twin@node2`)!;
    expect(names("linker", "twin@node2", "DB-3")).toEqual(["twin-alias", `${P}twin`, twin.id.slice(0, 12)]);
    expect(names("linker", "twin@vm", "DB-3")).toEqual([]);
  });

  test("UB-7: the link alias on the user network names node2's utwin only", () => {
    expect(names("ulinker", "utwin@node2", "UB-7")).toEqual(["utwin-alias"]);
    expect(names("ulinker", "utwin@vm", "UB-7")).toEqual([]);
  });
});

describe("state fixes across machines", () => {
  test("two stopped ends on different machines are started each on its own engine, not by one command", () => {
    // The recorded twins stopped (a variant of one documented field: their state), one on vm, one on node2.
    const index = fleet("links", {
      topology: (t) => {
        for (const c of t.containers) if (c.bareName === `${P}twin`) c.state = "exited";
      },
    });
    const fix = explainPair(index, `${P}twin@vm`, `${P}twin@node2`).fix;
    // A recording knows no engine address: the text says which engine runs which command.
    expect(fix?.commands.slice(0, 2)).toEqual([`docker start ${P}twin`, `docker start ${P}twin`]);
    expect(fix?.text).toContain("run command 1 on vm's engine, 2 on node2's engine");
  });

  test("with the engines' addresses, each command names its engine and the container as that engine does", () => {
    // The recording with the URLs the live fleet was read at (one documented field: EngineEntry.url).
    const urls: Record<string, string> = {
      vm: "unix:///var/run/docker.sock",
      node2: "unix:///run/docker-node2.sock",
    };
    const index = fleet("links", {
      topology: (t) => {
        for (const e of t.engines) e.url = urls[e.key];
        for (const c of t.containers) if (c.bareName === `${P}twin`) c.state = "exited";
      },
    });
    const stopped = explainPair(index, `${P}twin@vm`, `${P}twin@node2`).fix;
    expect(stopped?.commands.slice(0, 2)).toEqual([
      `docker --host unix:///var/run/docker.sock start ${P}twin`,
      `docker --host unix:///run/docker-node2.sock start ${P}twin`,
    ]);
    expect(stopped?.text).not.toContain("run command");
    // utwin@node2 on node2's user network, linker on node2's docker0: connect utwin to bridge, on node2.
    expect(explainPair(index, `${P}utwin@node2`, `${P}linker`).fix?.commands).toEqual([
      `docker --host unix:///run/docker-node2.sock network connect bridge ${P}utwin`,
    ]);
  });
});
