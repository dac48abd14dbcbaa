import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import type { EngineConnection } from "../engine/connection.ts";
import { resolveEngine } from "../engine/connection.ts";
import { exampleTopology } from "../example/example.ts";
import type { TopologyFeed } from "../feed/feed.ts";
import { fallbackFeed, staticFeed } from "../feed/feed.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "./address.ts";
import { generateToken } from "./access-token.ts";
import { createApp } from "./app.ts";
import { allowedHosts, hostName, isLoopbackBind, isWildcardBind } from "./host-check.ts";
import type { HttpLimits } from "./limits.ts";

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Engine URL; else DOCKER_HOST, the docker context, the default socket. */
  engine?: string;
  /** Several engines on one map (`--engine`/`--context`, repeated); wins over `engine`. */
  engines?: EngineConnection[];
  /** Serve the bundled example topology, never touching an engine. */
  demo?: boolean;
  /** Allow `POST /api/probes`: helper containers joined to containers' namespaces. Off by default. */
  allowProbes?: boolean;
  /** The probe helper image; default busybox:latest. */
  probeImage?: string;
  /** Serve this feed instead (snapshots, compose predictions). */
  feed?: TopologyFeed;
  webRoot?: string;
  /** Names browsers elsewhere use to reach this server (`--public-host`): allowed as Host, need a token. */
  publicHosts?: string[];
  /**
   * The access token (`REACHGRAPH_TOKEN`, `--token-file`). Without one, a non-loopback bind (or a public
   * host) generates one; a loopback bind needs none.
   */
  token?: string;
  limits?: Partial<HttpLimits>;
}

export interface RunningServer {
  /** The base address on this machine, without a token (tests, local clients). */
  url: string;
  /**
   * The address to print: `http://<first public host, else the bind address>:<port>`, plus `/?token=` when
   * the token was generated here (a chosen token is never echoed).
   */
  openUrl: string;
  /** The token in force, or null (loopback, none chosen). */
  token: string | null;
  feed: TopologyFeed;
  close(): Promise<void>;
}

/** Starts the collector and the HTTP server; bound to 127.0.0.1 unless told otherwise. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const connections =
    options.demo || options.feed
      ? []
      : options.engines?.length
        ? options.engines
        : [resolveEngine({ engine: options.engine })];
  const feed = options.feed ?? (await openFeed(connections));
  const webRoot = options.webRoot ?? fileURLToPath(new URL("../../dist/web", import.meta.url));
  // A long-running server sweeps leftover helpers at start and every minute (SIGKILLed runs, crashes).
  const probes =
    options.allowProbes && connections.length ? await openProbes(connections, options) : undefined;
  const publicHosts = options.publicHosts ?? [];
  // A public name means browsers elsewhere reach this server, even through a proxy on loopback.
  const generated = options.token === undefined && (!isLoopbackBind(host) || publicHosts.length > 0);
  const token = options.token ?? (generated ? generateToken() : null);
  const app = createApp({
    feed,
    webRoot,
    allowedHosts: allowedHosts(host, publicHosts),
    token,
    probes,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? DEFAULT_PORT, host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  // A wildcard bind is reached here as loopback (and elsewhere by a --public-host name).
  const local = hostName(isWildcardBind(host) ? "127.0.0.1" : host);
  const shown = publicHosts.length ? hostName(publicHosts[0]) : isWildcardBind(host) ? "localhost" : local;
  return {
    url: `http://${local}:${port}`,
    openUrl: `http://${shown}:${port}${generated && token ? `/?token=${token}` : ""}`,
    token,
    feed,
    close: async () => {
      // Helpers first: every run in flight is aborted and its helpers removed before the server goes.
      await probes?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feed.close();
    },
  };
}

// The engine client (dockerode) and the probes load only when used: `serve --demo` never pays for them.
async function openFeed(connections: EngineConnection[]): Promise<TopologyFeed> {
  if (!connections.length) return staticFeed(exampleTopology());
  const [{ LiveFleet }, { createEngineClient }] = await Promise.all([
    import("../collector/fleet-live.ts"),
    import("../engine/client.ts"),
  ]);
  // One engine is a fleet of one: the same feed, status and health, with the swarm when it is a manager.
  const live = new LiveFleet(
    connections.map((c) => ({ ...(c.key ? { key: c.key } : {}), client: createEngineClient(c) })),
  );
  await live.start();
  return fallbackFeed(live, exampleTopology());
}

/** One probe engine per engine read: a source's helper starts on its own engine, and every engine is swept. */
async function openProbes(connections: EngineConnection[], options: ServeOptions) {
  const [{ createProbeEngine }, { createProbeService }, { SWEEP_INTERVAL_MS }] = await Promise.all([
    import("../engine/probe-client.ts"),
    import("../probe/probe-service.ts"),
    import("../probe/sweep.ts"),
  ]);
  return createProbeService(
    connections.map((c) => createProbeEngine(c)),
    {
      ...(options.probeImage ? { image: options.probeImage } : {}),
      sweepEveryMs: SWEEP_INTERVAL_MS,
      onSweepError: (error) =>
        console.error(`reachgraph: sweeping probe helpers failed: ${(error as Error).message}`),
    },
  );
}
