import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { startReplayEngine, togglePaused } from "../test/support/replay-engine.ts";
import type { ReplayEngine } from "../test/support/replay-engine.ts";
import type { SyntheticFleetOptions } from "../test/support/synthetic-fleet.ts";
import { syntheticFleet } from "../test/support/synthetic-fleet.ts";

/** One engine of a synthetic fleet served by its own process, as a real engine is: it has its own thread. */
export interface ReplayProcess {
  url: string;
  /** Its containers' IDs, in the recording's order. */
  containerIds: string[];
  /** Pauses or unpauses its `index`-th container (test/support/replay-engine.ts togglePaused); resolves once sent. */
  toggle(index: number): Promise<void>;
  close(): Promise<void>;
}

type Ready = { url: string; containerIds: string[] };

/** Starts engine `index` of `syntheticFleet(shape)` in a child process (this file, run as its own script). */
export function startReplayProcess(shape: SyntheticFleetOptions, index: number): Promise<ReplayProcess> {
  const child = fork(new URL(import.meta.url).pathname, [JSON.stringify({ ...shape, index })], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`replay engine ${index} exited (${code}) before it served`)),
    );
    child.once("message", (ready: Ready) => {
      child.removeAllListeners("exit");
      resolve({ ...ready, toggle: (i) => request(child, i), close: () => stop(child) });
    });
  });
}

function request(child: ChildProcess, index: number): Promise<void> {
  return new Promise((resolve) => {
    child.once("message", () => resolve());
    child.send(index);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.send("close");
  });
}

async function serve(): Promise<void> {
  const { index, ...shape } = JSON.parse(process.argv[2]) as SyntheticFleetOptions & { index: number };
  const engine: ReplayEngine = await startReplayEngine(syntheticFleet(shape).engines[index].recording);
  process.on("message", (message: number | "close") => {
    if (message === "close") {
      void engine.close().then(() => process.exit(0));
      return;
    }
    togglePaused(engine, engine.data.containers[message]);
    process.send?.("toggled");
  });
  // The parent gone (a crashed bench) takes its engines with it.
  process.on("disconnect", () => void engine.close().then(() => process.exit(0)));
  process.send?.({ url: engine.url, containerIds: engine.data.containers.map((c) => c.Id) } satisfies Ready);
}

if (process.argv[1] === new URL(import.meta.url).pathname) await serve();
