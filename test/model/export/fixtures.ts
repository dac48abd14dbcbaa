/**
 * Fixed inputs for the export tests: the bundled example (recorded from a real engine), the api-samples
 * topology (recorded on Engine 20.10) and the fleets recorded on the real three-node swarm, plus a golden-file
 * check.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { exampleTopology } from "../../../server/example/example.ts";
import type { Topology } from "../../../server/model/topology.ts";
import { recordedFleet } from "../../support/fleet-topologies.ts";
import { recordedState, topologyOf } from "../reachability/fixture.ts";

export const GOLDEN_DIR = fileURLToPath(new URL("../../fixtures/exports/", import.meta.url));

/** The fixed inputs every golden file is written from: two single engines, and fleets recorded on the real swarm. */
export const INPUTS: Record<string, () => Topology> = {
  example: exampleTopology,
  "api-samples": () => topologyOf(recordedState()),
  "fleet-swarm": () => recordedFleet("swarm"),
  "fleet-down": () => recordedFleet("down"),
};

/** Compares `actual` with `test/fixtures/exports/<name>`; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    if (process.env.CI && process.env.UPDATE_GOLDEN !== "1")
      throw new Error(`golden file ${name} is missing`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  // Compared as text so a failure shows the changed lines; rewrite with UPDATE_GOLDEN=1 after reviewing them.
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(
    readFileSync(file, "utf8"),
  );
}

/** Every IPv4 address in the input that redaction must hide (wildcard and loopback stay: they carry meaning). */
export function inputIpv4s(topology: Topology): string[] {
  const found = new Set(JSON.stringify(topology).match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []);
  for (const keep of ["0.0.0.0", "127.0.0.1"]) found.delete(keep);
  return [...found].filter((ip) => ip.split(".").every((o) => Number(o) <= 255));
}

/** A topology whose names and labels carry every character the output syntaxes treat specially. */
export function hostileTopology(): Topology {
  const t = exampleTopology();
  const nasty = `x<y>&"q'#|[a]{b}\\n;end%%\`tick\`\n--> `;
  const net = t.networks.find((n) => n.name === "rgt-demo-app");
  const c = t.containers.find((x) => x.name === "rgt-demo-api");
  if (!net || !c) throw new Error("the example lacks rgt-demo-app or rgt-demo-api");
  const rename = net.name;
  net.name = `app ${nasty}`;
  for (const x of t.containers) for (const i of x.interfaces) if (i.network === rename) i.network = net.name;
  c.name = `api ${nasty}`;
  c.image = `img ${nasty}`;
  c.compose = { project: `proj ${nasty}`, service: "api", number: 1, oneoff: false };
  t.source = { ...t.source, label: `label ${nasty}` };
  return t;
}
