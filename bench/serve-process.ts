import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ServeProcess {
  /** The address `reachgraph serve` printed. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `reachgraph serve ARGS` as its own process (its RSS is then the server's alone), with Node's `nodeFlags`. */
export async function spawnServe(args: string[], nodeFlags: string[] = []): Promise<ServeProcess> {
  const server = spawn(process.execPath, [...nodeFlags, "bin/reachgraph", "serve", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    server.kill("SIGTERM");
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on("data", (chunk: Buffer) => {
        const found = /open (http:\/\/\S+)/.exec(chunk.toString());
        if (found) resolve(found[1]);
      });
      server.once("exit", (code) => reject(new Error(`reachgraph serve exited with ${code}`)));
    });
    return { url, pid: server.pid as number, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
