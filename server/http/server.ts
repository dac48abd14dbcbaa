import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { LiveTopology } from "../collector/live.ts";
import { createEngineClient } from "../engine/client.ts";
import type { EngineConnection } from "../engine/connection.ts";
import { resolveEngine } from "../engine/connection.ts";
import { createProbeEngine } from "../engine/probe-client.ts";
import { createProbeService } from "../probe/probe-service.ts";
import { exampleTopology } from "../example/example.ts";
import type { TopologyFeed } from "../feed/feed.ts";
import { fallbackFeed, staticFeed } from "../feed/feed.ts";
import { createApp } from "./app.ts";

export const DEFAULT_PORT = 7357;
export const DEFAULT_HOST = "127.0.0.1";
const LOOPBACK = ["127.0.0.1", "localhost", "::1"];

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Engine URL; else DOCKER_HOST, the docker context, the default socket. */
  engine?: string;
  /** Serve the bundled example topology, never touching an engine. */
  demo?: boolean;
  /** Allow `POST /api/probes`: helper containers joined to containers' namespaces. Off by default. */
  allowProbes?: boolean;
  /** The probe helper image; default busybox:latest. */
  probeImage?: string;
  /** Serve this feed instead (snapshots, compose predictions). */
  feed?: TopologyFeed;
  webRoot?: string;
}

export interface RunningServer {
  url: string;
  feed: TopologyFeed;
  close(): Promise<void>;
}

/** Starts the collector and the HTTP server; bound to 127.0.0.1 unless told otherwise. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const connection = options.demo || options.feed ? undefined : resolveEngine({ engine: options.engine });
  const feed = options.feed ?? (await openFeed(connection));
  const webRoot = options.webRoot ?? fileURLToPath(new URL("../../dist/web", import.meta.url));
  const probes =
    options.allowProbes && connection
      ? createProbeService(createProbeEngine(connection), options.probeImage)
      : undefined;
  const app = createApp({ feed, webRoot, allowedHosts: LOOPBACK.includes(host) ? LOOPBACK : [], probes });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? DEFAULT_PORT, host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    feed,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feed.close();
    },
  };
}

async function openFeed(connection: EngineConnection | undefined): Promise<TopologyFeed> {
  if (!connection) return staticFeed(exampleTopology());
  const live = new LiveTopology(createEngineClient(connection));
  await live.start();
  return fallbackFeed(live, exampleTopology());
}
