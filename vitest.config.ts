import { defineConfig } from "vitest/config";

/**
 * Test files that compare probes with the model must own the engine: Docker re-inserts its isolation rules
 * whenever a network is created or removed, and a probe sent meanwhile can cross (UB-8). They run after every
 * other file has finished, alone; everything else runs in parallel as before.
 */
const OWN_THE_ENGINE = ["test/engine/ground-truth.test.ts", "test/fleet/ground-truth-fleet.test.ts"];
/**
 * Fleet tests run on the real three-node swarm (scripts/provision-swarm.sh): `npx vitest --project fleet`.
 * They run beside the others; a fleet file that compares probes with the model belongs in OWN_THE_ENGINE too.
 */
const FLEET = ["test/fleet/**/*.test.ts"];

export default defineConfig({
  test: {
    environment: "node",
    globalSetup: ["test/support/bundle.ts"],
    // Engine and browser tests start containers and Chromium; each cleans up after itself.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
    projects: [
      {
        extends: true,
        test: {
          name: "parallel",
          include: ["test/**/*.test.ts"],
          exclude: [...OWN_THE_ENGINE, ...FLEET],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "fleet", include: FLEET, exclude: OWN_THE_ENGINE, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "owns-the-engine", include: OWN_THE_ENGINE, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
