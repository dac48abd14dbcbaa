import { describe, it } from "vitest";
import { exportDot, exportMermaid, exportSvg } from "../../../server/model/export/index.ts";
import { expectGolden, INPUTS } from "./fixtures.ts";

// SVG, Mermaid and DOT are compared as files (Plot's snapshot tests): a change to a drawing shows as a diff.
describe("export golden files", () => {
  for (const [name, load] of Object.entries(INPUTS)) {
    it(`${name}.svg`, () => expectGolden(`${name}.svg`, exportSvg(load())));
    it(`${name}.mmd`, () => expectGolden(`${name}.mmd`, exportMermaid(load())));
    it(`${name}.dot`, () => expectGolden(`${name}.dot`, exportDot(load())));
  }
  it("example, system networks hidden and addresses redacted", () => {
    const options = { hideSystem: true, redact: true };
    expectGolden("example-hide-redact.svg", exportSvg(INPUTS.example(), options));
    expectGolden("example-hide-redact.mmd", exportMermaid(INPUTS.example(), options));
    expectGolden("example-hide-redact.dot", exportDot(INPUTS.example(), options));
  });
  it("the recorded swarm, every service collapsed", () => {
    const options = { collapse: true };
    expectGolden("fleet-swarm-collapsed.svg", exportSvg(INPUTS["fleet-swarm"](), options));
    expectGolden("fleet-swarm-collapsed.mmd", exportMermaid(INPUTS["fleet-swarm"](), options));
    expectGolden("fleet-swarm-collapsed.dot", exportDot(INPUTS["fleet-swarm"](), options));
  });
  it("example, one compose project", () => {
    expectGolden("example-project.svg", exportSvg(INPUTS.example(), { project: "rgt-demo-shop" }));
  });
});
