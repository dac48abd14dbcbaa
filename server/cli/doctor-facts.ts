import { constants } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
// Aliased: the bundle's banner declares its own createRequire in every chunk (scripts/bundle-server.mjs).
import { createRequire as requireFrom } from "node:module";
import { createServer } from "node:net";
import { createEngineClient } from "../engine/client.ts";
import type { EngineConnection } from "../engine/connection.ts";
import { resolveEngine } from "../engine/connection.ts";
import { createProbeEngine, EngineWriteRefusedError } from "../engine/probe-client.ts";
import { CHROMIUM_PATH } from "../export/chromium-path.ts";
import type { DoctorFacts, SocketFacts, WriteFacts } from "../model/doctor.ts";

/** How long doctor waits for any one answer: it should say "no answer" quickly, not hang. */
const ANSWER_TIMEOUT_MS = 5_000;

export interface DoctorFlags {
  engine?: string;
  probeImage: string;
  host: string;
  port: number;
  json?: boolean;
}

/** What doctor finds out here: the engine, its socket, its answers, probe access, Chromium, the port. */
export async function gatherFacts(opts: DoctorFlags): Promise<DoctorFacts> {
  const common = {
    chromium: {
      path: CHROMIUM_PATH,
      present: await isExecutable(CHROMIUM_PATH),
      driver: resolves("playwright-core"),
    },
    port: { host: opts.host, port: opts.port, free: await portFree(opts.host, opts.port) },
  };
  let connection: EngineConnection;
  try {
    connection = resolveEngine({ engine: opts.engine });
  } catch (error) {
    return { ...common, engine: { error: (error as Error).message } };
  }
  const engine = { url: connection.url, origin: connection.origin };
  const socketPath = connection.options.socketPath;
  const socket = typeof socketPath === "string" ? await inspectSocket(socketPath) : undefined;
  if (socket && socket.state !== "ok") return { ...common, engine, socket };
  const client = createEngineClient(connection, ANSWER_TIMEOUT_MS);
  let answer: DoctorFacts["answer"];
  try {
    const [version, info] = await Promise.all([client.version(), client.info()]);
    answer = {
      apiVersion: version.ApiVersion ?? "",
      serverVersion: version.Version ?? "",
      swarm: info.Swarm?.LocalNodeState ?? "",
    };
  } catch (error) {
    return { ...common, engine, ...(socket ? { socket } : {}), answer: { error: (error as Error).message } };
  }
  const probeEngine = createProbeEngine(connection, ANSWER_TIMEOUT_MS);
  const [writes, present] = await Promise.all([
    writeAccess(() => probeEngine.checkWriteAccess()),
    probeEngine.imageExists(opts.probeImage).catch((error: Error) => ({ error: error.message })),
  ]);
  return {
    ...common,
    engine,
    ...(socket ? { socket } : {}),
    answer,
    probes: { image: opts.probeImage, present, writes },
  };
}

async function writeAccess(check: () => Promise<void>): Promise<WriteFacts> {
  try {
    await check();
    return { kind: "accepted" };
  } catch (error) {
    if (error instanceof EngineWriteRefusedError)
      return { kind: "refused", status: error.statusCode ?? 0, message: error.message };
    return { kind: "error", message: (error as Error).message };
  }
}

async function inspectSocket(path: string): Promise<SocketFacts> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EACCES here means a directory on the way is closed to this user: the socket is as good as unreadable.
    return { path, state: code === "EACCES" ? "denied" : "missing" };
  }
  const facts: SocketFacts = {
    path,
    state: "ok",
    group: { gid: info.gid, name: await groupName(info.gid) },
    mode: (info.mode & 0o777).toString(8),
  };
  if (!info.isSocket()) return { ...facts, state: "not-a-socket" };
  try {
    await access(path, constants.R_OK | constants.W_OK);
  } catch {
    return { ...facts, state: "denied" };
  }
  return facts;
}

/** The name /etc/group gives a gid, or null (inside a container the host's groups are usually unknown). */
async function groupName(gid: number): Promise<string | null> {
  const groups = await readFile("/etc/group", "utf8").catch(() => "");
  const row = groups.split("\n").find((line) => line.split(":")[2] === String(gid));
  return row ? row.split(":")[0] : null;
}

/** Whether an optional dependency is installed (playwright-core is one: PNG export loads it when used). */
function resolves(name: string): boolean {
  try {
    requireFrom(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Binds and releases `host:port`, as serve would bind it. */
function portFree(host: string, port: number): Promise<boolean | { error: string }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "EADDRINUSE" ? false : { error: error.code ?? error.message }),
    );
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
