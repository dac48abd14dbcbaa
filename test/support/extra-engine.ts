import { randomBytes } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { run } from "./docker-cli.ts";
import { requireEngine } from "./engine.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/extra-engine.sh", import.meta.url));
const STATE = "/run/reachgraph-nodes";
/** Nodes that tests start are named `rgt…`, so that a sweeper can find the leftovers of crashed runs. */
const NODE_PREFIX = "rgt";

/** A second real dockerd (scripts/extra-engine.sh): its own namespaces, socket and data; disposable. */
export interface ExtraEngine extends AsyncDisposable {
  name: string;
  socket: string;
  url: string;
  /** Its address on the node bridge (10.232.0.K), which a swarm node advertises. */
  address: string;
  /** The docker CLI against this engine. */
  docker(...args: string[]): Promise<string>;
  /** SIGKILLs its dockerd, as a crash would; resolves with when the signal went out (`Date.now()` time). */
  kill(): Promise<number>;
  /** Starts its dockerd again on the same data, after {@link kill}; resolves once it answers. */
  restart(): Promise<void>;
  /** Removes the node and everything it made; idempotent. */
  stop(): Promise<void>;
}

const script = (...args: string[]) => run("/bin/bash", [SCRIPT, ...args], 180_000);

/**
 * Starts a fresh extra engine named `rgt<random>` (or `rgt<name>`: its hostname, at most 8 characters) and
 * stops it again if starting fails half-way. Stop it with `await using` or {@link ExtraEngine.stop} in
 * `afterAll`.
 */
export async function startExtraEngine(options: { name?: string } = {}): Promise<ExtraEngine> {
  await sweepStaleEngines();
  const name = `${NODE_PREFIX}${options.name ?? randomBytes(3).toString("hex")}`;
  const stop = async () => void (await script("stop", name));
  let url: string;
  try {
    url = (await script("start", name)).trim();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const socket = url.replace(/^unix:\/\//, "");
  let address: string;
  try {
    await requireEngine(socket);
    address = `10.232.0.${(await readFile(`${STATE}/${name}`, "utf8")).trim()}`;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    name,
    socket,
    url,
    address,
    docker: (...args) => run("/usr/bin/docker", ["--host", url, ...args]),
    kill: async () => {
      const at = Number((await script("kill", name)).trim());
      if (!Number.isFinite(at) || at <= 0) throw new Error(`extra engine ${name} was not running`);
      return at;
    },
    restart: async () => {
      await script("start", name);
      await requireEngine(socket);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Stops test nodes left by crashed runs: `rgt…` nodes whose state file is older than `maxAgeMs`. */
export async function sweepStaleEngines(maxAgeMs = 60 * 60 * 1000): Promise<void> {
  const names = await readdir(STATE).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(NODE_PREFIX))) {
    const { mtimeMs } = await stat(`${STATE}/${name}`);
    if (mtimeMs < Date.now() - maxAgeMs) await script("stop", name).catch(() => undefined);
  }
}
