import { spawnSync } from "node:child_process";
import { rssMb, spawnServe } from "./serve-process.ts";
import { median, ms, printTable, target } from "./stats.ts";
import type { Row } from "./stats.ts";

const RUNS = 15;
const CLI = ["bin/reachgraph"];

/**
 * What a user waits for and what `serve` holds: `reachgraph --version` and `why --demo` against a bare
 * `node -e 0`, run interleaved so load on the machine hits all three alike; then the RSS of `serve --demo`.
 */
export async function benchStartup(): Promise<void> {
  const commands: Record<string, string[]> = {
    "node -e 0": ["-e", "0"],
    "reachgraph --version": [...CLI, "--version"],
    "reachgraph why --demo": [...CLI, "why", "--demo", "rgt-demo-api", "rgt-demo-db"],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const start = performance.now();
      const run = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
      times[name].push(performance.now() - start);
      if (run.status !== 0) throw new Error(`${name} exited with ${run.status}: ${run.stderr}`);
    }
  }
  const bare = median(times["node -e 0"]);
  const rows: Row[] = Object.keys(commands).map((name) => ({
    command: name,
    "median wall": ms(median(times[name])),
    "× node -e 0": (median(times[name]) / bare).toFixed(2),
  }));
  const rss = await serveDemoRss();
  rows.push({
    command: "reachgraph serve --demo (RSS)",
    "median wall": "-",
    "× node -e 0": `${rss.toFixed(0)} MB`,
  });
  printTable(`Start-up (${RUNS} interleaved runs each) and serve --demo memory`, rows);
  const ratio = (name: string) => median(times[name]) / bare;
  target(
    "reachgraph --version cold start",
    `${ratio("reachgraph --version").toFixed(2)}× node -e 0`,
    "≤ 3×",
    ratio("reachgraph --version") <= 3,
  );
  target(
    "reachgraph why --demo",
    `${ratio("reachgraph why --demo").toFixed(2)}× node -e 0`,
    "≤ 4×",
    ratio("reachgraph why --demo") <= 4,
  );
  target("serve --demo RSS", `${rss.toFixed(0)} MB`, "< 80 MB", rss < 80);
}

/** RSS of `serve --demo` once it has served the API and the page. */
async function serveDemoRss(): Promise<number> {
  const server = await spawnServe(["--demo", "--port", "0"]);
  try {
    for (const path of ["/api/health", "/api/topology", "/api/reachability", "/"])
      await (await fetch(`${server.url}${path}`)).text();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return rssMb(server.pid);
  } finally {
    await server.stop();
  }
}
