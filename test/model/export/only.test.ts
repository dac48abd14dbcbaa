import { describe, expect, it } from "vitest";
import { exportText } from "../../../server/model/export/index.ts";
import type { ExportDocument } from "../../../server/model/export/index.ts";
import { exampleTopology } from "../../../server/example/example.ts";

describe("exports of a filtered view (the page's Export)", () => {
  const topology = exampleTopology();
  const net = topology.networks.find((n) => n.name === "rgt-demo-app");
  if (!net) throw new Error("the bundled example has no rgt-demo-app network");
  const members = topology.containers.filter((c) => c.interfaces.some((i) => i.networkId === net.id));
  const only = { containers: members.map((c) => c.id), networks: [net.id] };

  it("shows only the listed containers and networks", () => {
    const doc = JSON.parse(exportText("json", topology, { only })) as ExportDocument;
    expect(doc.topology.containers.map((c) => c.id).sort()).toEqual([...only.containers].sort());
    expect(doc.topology.networks.map((n) => n.id)).toEqual([net.id]);
    for (const c of doc.topology.containers)
      expect(c.interfaces.every((i) => i.networkId === net.id)).toBe(true);
    const mermaid = exportText("mermaid", topology, { only });
    for (const c of topology.containers)
      if (!only.containers.includes(c.id)) expect(mermaid).not.toContain(c.name);
  });

  it("keeps the verdicts of the whole topology between the shown containers", () => {
    const whole = JSON.parse(exportText("json", topology)) as ExportDocument;
    const part = JSON.parse(exportText("json", topology, { only })) as ExportDocument;
    // Pairs name their ends (container name or @host).
    const shown = new Set(["@host", ...members.map((c) => c.name)]);
    const key = (p: ExportDocument["reachability"]["pairs"][number]) => JSON.stringify(p);
    const expected = whole.reachability.pairs.filter((p) => shown.has(p.from) && shown.has(p.to));
    expect(expected.length).toBeGreaterThan(4);
    expect(part.reachability.pairs.map(key).sort()).toEqual(expected.map(key).sort());
  });
});
