import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawn } from "node:child_process";

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** The address `serve` printed (`reachgraph: open http://…`). */
  url: string;
  /** Stops the process group (npx runs a shell and node under itself) and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `file args…` (a `reachgraph serve` command line) in its own process group and waits for its URL. */
export async function startServe(file: string, args: string[], cwd = process.cwd()): Promise<ServeProcess> {
  const child = spawn(file, args, { cwd, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-(child.pid as number), "SIGTERM");
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const found = /open (http:\/\/\S+)/.exec(out);
        if (found) resolve(found[1]);
      });
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.once("exit", (code) =>
        reject(new Error(`${[file, ...args].join(" ")} exited with ${code}: ${err}`)),
      );
    });
    return { child, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
