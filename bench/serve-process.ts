import { readFileSync } from "node:fs";
import { startServe } from "../test/support/serve-process.ts";

export interface ServeProcess {
  /** The address `reachgraph serve` printed. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `reachgraph serve ARGS` as its own process (its RSS is then the server's alone), with Node's `nodeFlags`. */
export async function spawnServe(args: string[], nodeFlags: string[] = []): Promise<ServeProcess> {
  const { child, url, stop } = await startServe(process.execPath, [
    ...nodeFlags,
    "bin/reachgraph",
    "serve",
    ...args,
  ]);
  return { url, pid: child.pid as number, stop };
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
