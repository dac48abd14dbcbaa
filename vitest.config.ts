import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/support/bundle.ts"],
    // Engine and browser tests start containers and Chromium; each cleans up after itself.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
  },
});
