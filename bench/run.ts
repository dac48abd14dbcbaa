import { benchFleet } from "./fleet.ts";
import { benchReachability } from "./reachability.ts";
import { benchRealEngine } from "./real-engine.ts";
import { benchRender, benchRenderFleet } from "./render.ts";
import { benchServerScale, SERVER_NODE_FLAGS } from "./server-scale.ts";
import { benchStartup } from "./startup.ts";
import { printTargets } from "./stats.ts";

/** `npm run bench`: every benchmark, one table each, then one `target` line per goal. */
const sizes = (process.env.BENCH_SIZES ?? "50,200,400")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

await benchReachability([
  { containers: 1_000, networks: 100 },
  { containers: 10_000, networks: 1_000 },
]);
await benchStartup();
await benchServerScale([1_000, 5_000, 10_000]);
await benchServerScale([5_000, 10_000], SERVER_NODE_FLAGS);
await benchRender([1_000, 5_000, 10_000]);
await benchRenderFleet([
  { machines: 3, containers: 3_000 },
  { machines: 10, containers: 5_000 },
  { machines: 30, containers: 9_000 },
]);
await benchRealEngine(sizes);
await benchFleet();
printTargets();
