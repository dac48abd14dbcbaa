import { createForceLayout } from "./force.ts";
import type { FromWorker, ToWorker } from "./layout-protocol.ts";
import { PRESETTLE_LIMIT, REHEAT_ALPHA } from "./layout-protocol.ts";

/**
 * The graph's physics, off the main thread: ticks at ~60 per second of wall time (more per batch when a tick
 * is cheap and the worker fell behind), and posts each batch's positions as a transferred Float32Array.
 */
/** The worker's global scope; typed by hand because the project compiles against the DOM lib. */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const force = createForceLayout();
const TICK_MS = 1000 / 60;
const BATCH_BUDGET_MS = 40;
let epoch = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastBatchAt = 0;

function post(): void {
  const xy = force.positions();
  const message: FromWorker = { type: "positions", epoch, xy, settled: force.settled() };
  scope.postMessage(message, [xy.buffer]);
}

function loop(): void {
  timer = null;
  const now = performance.now();
  const wanted = Math.max(1, Math.round((now - lastBatchAt) / TICK_MS));
  lastBatchAt = now;
  for (let i = 0; i < wanted && !force.settled() && performance.now() - now < BATCH_BUDGET_MS; i++)
    force.tick();
  post();
  if (!force.settled()) timer = setTimeout(loop, Math.max(0, TICK_MS - (performance.now() - now)));
}

function run(): void {
  if (timer !== null) return;
  lastBatchAt = performance.now() - TICK_MS;
  timer = setTimeout(loop, 0);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "update") {
    epoch = message.epoch;
    const { fresh } = force.update(message.nodes, message.links, message.xy);
    if (fresh && message.nodes.length <= PRESETTLE_LIMIT) {
      force.reheat(1);
      force.tick(force.ticksToSettle());
      post();
      return;
    }
    force.reheat(fresh ? 1 : REHEAT_ALPHA);
    // The new order is posted at once, so the page never draws positions of an older order for long.
    post();
    run();
  } else if (message.type === "pin") {
    force.pin(message.key, { x: message.x, y: message.y });
    run();
  } else if (message.type === "unpin") {
    force.pin(message.key, null);
  } else if (message.type === "reheat") {
    force.reheat(message.alpha);
    run();
  }
};
