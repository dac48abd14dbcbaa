import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../server/example/example.ts";
import { buildSnapshot, parseSnapshot } from "../../server/model/snapshot.ts";

const topology = exampleTopology();
const saved = buildSnapshot(topology, [], "2026-11-28T06:00:00.000Z");
const text = (value: unknown) => JSON.stringify(value);

describe("snapshots", () => {
  it("round-trip the topology, labelled as a snapshot (not live), with the model's verdicts", () => {
    const { topology: back } = parseSnapshot(text(saved), "saved.json");
    expect(back.source).toEqual({
      kind: "snapshot",
      label: `saved.json (example: ${topology.source.label})`,
      capturedAt: "2026-11-28T06:00:00.000Z",
    });
    expect({ ...back, source: topology.source }).toEqual(topology);
    expect(saved.reachability.nodes).toHaveLength(topology.containers.length);
    expect(saved.reachability.rows.some((r) => r.reachable.length > 0)).toBe(true);
  });

  it("open a schemaVersion 1 snapshot (one engine, before fleets), its engine becoming engines[0]", () => {
    const v1 = { ...saved, topology: { ...topology, engines: undefined, schemaVersion: 1 } };
    const { topology: back } = parseSnapshot(text(v1), "old.json");
    expect(back.schemaVersion).toBe(2);
    expect(back.engines).toEqual([{ key: topology.engine.name, url: null, info: topology.engine }]);
    expect(back.containers).toEqual(topology.containers);
    expect(() =>
      parseSnapshot(text({ ...v1, topology: { ...v1.topology, schemaVersion: 0 } }), "old.json"),
    ).toThrow(
      /^old\.json: topology schemaVersion 0 is older than this reachgraph reads \(1\); save it again/,
    );
  });

  it("also open a bare topology (GET /api/topology)", () => {
    expect(parseSnapshot(text(topology), "topology.json").topology.containers).toHaveLength(
      topology.containers.length,
    );
  });

  it.each([
    ["{", /^broken\.json: not valid JSON \(.*\); expected a reachgraph snapshot$/],
    ["[]", /^broken\.json: expected a JSON object \(a reachgraph snapshot or topology\), got an array$/],
    [text({ hello: 1 }), /^broken\.json: topology schemaVersion is undefined; expected 2$/],
    [
      text({ ...saved, schemaVersion: 2 }),
      /snapshot schemaVersion 2 is newer than this reachgraph reads \(1\); upgrade reachgraph/,
    ],
    [
      text({ ...saved, schemaVersion: 0 }),
      /snapshot schemaVersion 0 is older than this reachgraph reads \(1\); save it again/,
    ],
    [
      text({
        ...saved,
        topology: { ...topology, containers: [{ ...topology.containers[0], state: "sleeping" }] },
      }),
      /^broken\.json: topology\.containers\[0\]\.state: Invalid option: expected one of "created"\|"running"/,
    ],
    [
      text({ ...saved, topology: { ...topology, networks: "many" } }),
      /^broken\.json: topology\.networks: Invalid input: expected array, received string/,
    ],
  ])("reject %s with a message naming the file and what was expected", (input, message) => {
    expect(() => parseSnapshot(input, "broken.json")).toThrow(message);
  });
});
