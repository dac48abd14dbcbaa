import { describe, expect, it } from "vitest";
import { exampleTopology } from "../../../server/example/example.ts";
import { fleetTopology } from "../../../server/example/fleet.ts";
import { exportMarkdown } from "../../../server/model/export/index.ts";
import { loadFleetRecording } from "../../support/recording.ts";

const recorded = (scenario: string) => {
  const { recording, manifest } = loadFleetRecording(scenario);
  return fleetTopology(recording, { kind: "snapshot", label: scenario, capturedAt: manifest.recordedAt });
};

describe("the Markdown report's consistency findings", () => {
  it("lists each finding (CS-1, CS-3, CS-4) with its evidence and fix", () => {
    const md = exportMarkdown(recorded("consistency-control"));
    const section = md.slice(md.indexOf("## Consistency across nodes"));
    expect(section).toMatch(/^- \*\*CS-1\*\* stale peer 10\.232\.0\.\d+ in vm's view of rgt-fleetcs-mesh$/m);
    expect(section).toMatch(
      /^ {2}- evidence \(vm\): the manager reports rgtcons1 \(10\.232\.0\.\d+\) down$/m,
    );
    expect(section).toMatch(/^ {2}- fix: .*docker node rm --force rgtcons1$/m);
    expect(section.match(/^- \*\*CS-\d\*\*/gm)).toHaveLength(4);
  });

  it("says there are none on a healthy swarm, and leaves itself out without a swarm", () => {
    expect(exportMarkdown(recorded("swarm"))).toContain(
      "## Consistency across nodes\n\nNo findings: every node's view of each overlay agrees with what the swarm runs.",
    );
    expect(exportMarkdown(exampleTopology())).not.toContain("## Consistency across nodes");
  });

  it("keeps to the networks the report shows", () => {
    const topology = recorded("consistency-clash");
    const spare = topology.networks.find((n) => n.name === "rgt-fleetcs-spare");
    expect(exportMarkdown(topology)).toContain("- **CS-7** rgt-fleetcs-clash on rgtcons1");
    const others = topology.networks.filter((n) => n !== spare).map((n) => n.name);
    const only = { containers: topology.containers.map((c) => c.name), networks: others };
    expect(exportMarkdown(topology, { only })).not.toContain("**CS-7**");
  });
});
