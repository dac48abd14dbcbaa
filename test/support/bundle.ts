import { execFileSync } from "node:child_process";

/** Vitest global setup: tests that spawn `bin/reachgraph` run the bundle, so build it from the sources first. */
export default function bundleServer(): void {
  execFileSync(process.execPath, ["scripts/bundle-server.mjs"], { stdio: "inherit" });
}
