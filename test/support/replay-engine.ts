import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  ApiContainerSummary,
  ApiEvent,
  ApiNetwork,
  ApiNode,
  ApiService,
  ApiTask,
  FleetRecording,
} from "../../server/model/engine-api.ts";
import type { EngineRecording } from "./recording.ts";
import { notAManager } from "./recording.ts";

/** A local HTTP server speaking the read-only part of the Engine API from an {@link EngineRecording}. */
export interface ReplayEngine {
  /** `unix://<socket>`, for `resolveEngine({ engine })`. */
  readonly url: string;
  readonly socketPath: string;
  /** `tcp://127.0.0.1:<port>` when started with `tcp: true`. */
  readonly tcpUrl: string | null;
  /** The data served; replace or mutate it between requests to simulate a changing engine. */
  data: EngineRecording;
  /** `METHOD /path?query` of every request, in order. */
  readonly requests: string[];
  /** Appends an event to `data.events` and writes it to every open `/events` stream. */
  emit(event: ApiEvent): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type Filters = Record<string, string[]>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts a replay engine on a unix socket in a fresh temp dir (and on 127.0.0.1:0 with `tcp: true`). */
export async function startReplayEngine(
  data: EngineRecording,
  options: { tcp?: boolean } = {},
): Promise<ReplayEngine> {
  const dir = mkdtempSync(join(tmpdir(), "rgt-replay-"));
  const socketPath = join(dir, "engine.sock");
  const streams = new Set<{ res: ServerResponse; filters: Filters }>();
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const engine = {
    data,
    requests,
    emit(event: ApiEvent) {
      engine.data.events.push(event);
      for (const s of streams) if (eventMatches(event, s.filters)) s.res.write(`${JSON.stringify(event)}\n`);
    },
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    try {
      route(req, res, engine.data, streams);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      sendJson(res, engine.data, { message: (error as Error).message }, status);
    }
  };
  const servers: Server[] = [createServer(handler)];
  await listen(servers[0], socketPath);
  let tcpUrl: string | null = null;
  if (options.tcp) {
    servers.push(createServer(handler));
    await listen(servers[1], { host: "127.0.0.1", port: 0 });
    tcpUrl = `tcp://127.0.0.1:${(servers[1].address() as AddressInfo).port}`;
  }
  for (const server of servers)
    server.on("connection", (s: Socket) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const s of streams) s.res.end();
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    rmSync(dir, { recursive: true, force: true });
  };
  return Object.assign(engine, {
    url: `unix://${socketPath}`,
    socketPath,
    tcpUrl,
    close,
    [Symbol.asyncDispose]: close,
  });
}

function listen(server: Server, where: string | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    if (typeof where === "string") server.listen(where, () => resolve());
    else server.listen(where.port, where.host, () => resolve());
  });
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  data: EngineRecording,
  streams: Set<{ res: ServerResponse; filters: Filters }>,
): void {
  const url = new URL(req.url ?? "/", "http://engine");
  // Clients may pin a version (`/v1.41/...`); the recording answers for every version.
  const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, "");
  if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(404, "page not found");
  const filters = parseFilters(url.searchParams.get("filters"));
  let match: RegExpExecArray | null;
  if (path === "/_ping") {
    res.writeHead(200, { ...engineHeaders(data), "content-type": "text/plain; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : "OK");
  } else if (path === "/version") {
    sendJson(res, data, data.version);
  } else if (path === "/info") {
    sendJson(res, data, data.info);
  } else if (path === "/containers/json") {
    const all = ["1", "true", "True"].includes(url.searchParams.get("all") ?? "");
    sendJson(res, data, listContainers(data.containers, all, filters));
  } else if ((match = /^\/containers\/([^/]+)\/json$/.exec(path))) {
    const ref = decodeURIComponent(match[1]);
    const found = lookup(data.containerInspects, ref, (c) => [c.Name]);
    if (!found) throw new HttpError(404, `No such container: ${ref}`);
    sendJson(res, data, found);
  } else if (path === "/networks") {
    sendJson(res, data, listNetworks(data.networks, filters));
  } else if ((match = /^\/networks\/([^/]+)$/.exec(path))) {
    const ref = decodeURIComponent(match[1]);
    // `?verbose=true` adds Peers and Services for a swarm-scope network; for any other the engine answers the
    // plain inspect, and so does this replay when the recording holds no verbose one.
    const verbose = ["1", "true", "True"].includes(url.searchParams.get("verbose") ?? "");
    // A scaled topology may carry no inspects; the list entry has the same shape, minus `Containers`.
    const found =
      (verbose ? lookup(data.verboseNetworkInspects ?? {}, ref, (n) => [n.Name]) : undefined) ??
      lookup(data.networkInspects, ref, (n) => [n.Name]) ??
      lookup(Object.fromEntries(data.networks.map((n) => [n.Id, n])), ref, (n) => [n.Name]);
    if (!found) throw new HttpError(404, `network ${ref} not found`);
    sendJson(res, data, found);
  } else if (path === "/nodes") {
    sendJson(res, data, listNodes(swarmList(data.nodes), filters));
  } else if (path === "/services") {
    sendJson(res, data, listServices(swarmList(data.services), filters));
  } else if (path === "/tasks") {
    sendJson(res, data, listTasks(swarmList(data.tasks), data, filters));
  } else if (path === "/events") {
    checkFilters(filters, ["type", "event", "container", "network"]);
    res.writeHead(200, { ...engineHeaders(data), "content-type": "application/json" });
    // The engine answers at once, before any event: a subscriber knows it is subscribed.
    res.flushHeaders();
    for (const event of data.events)
      if (eventMatches(event, filters)) res.write(`${JSON.stringify(event)}\n`);
    // Like the engine: with `until` the stream ends after the replay; otherwise it stays open for live events.
    if (url.searchParams.has("until")) {
      res.end();
      return;
    }
    const entry = { res, filters };
    streams.add(entry);
    res.on("close", () => streams.delete(entry));
  } else {
    throw new HttpError(404, "page not found");
  }
}

/** A recording without a swarm list is of an engine that is no manager: it answers as node2 did (recorded). */
function swarmList<T>(list: T[] | undefined): T[] {
  if (!list) {
    const answer = notAManager();
    throw new HttpError(answer.status, answer.message);
  }
  return list;
}

// The swarm filters this replay implements, matched as swarmkit does: IDs and names by prefix; a task's
// service and node by ID or by name. Any other filter is refused loudly rather than ignored.
const hostname = (n: ApiNode) => n.Description?.Hostname ?? "";

function listNodes(nodes: ApiNode[], filters: Filters): ApiNode[] {
  checkFilters(filters, ["id", "name", "role"]);
  return nodes.filter(
    (n) =>
      (!filters.id || filters.id.some((f) => n.ID.startsWith(f))) &&
      (!filters.name || filters.name.some((f) => (n.Spec?.Name || hostname(n)).startsWith(f))) &&
      (!filters.role || filters.role.includes(n.Spec?.Role ?? "")),
  );
}

function listServices(services: ApiService[], filters: Filters): ApiService[] {
  checkFilters(filters, ["id", "name", "label"]);
  return services.filter(
    (s) =>
      (!filters.id || filters.id.some((f) => s.ID.startsWith(f))) &&
      (!filters.name || filters.name.some((f) => (s.Spec?.Name ?? "").startsWith(f))) &&
      labelMatches(filters.label, s.Spec?.Labels),
  );
}

function listTasks(tasks: ApiTask[], data: EngineRecording, filters: Filters): ApiTask[] {
  checkFilters(filters, ["id", "service", "node", "desired-state"]);
  const serviceName = (id: string) => data.services?.find((s) => s.ID === id)?.Spec?.Name;
  const nodeOf = (id: string) => data.nodes?.find((n) => n.ID === id);
  return tasks.filter(
    (t) =>
      (!filters.id || filters.id.some((f) => t.ID.startsWith(f))) &&
      (!filters.service ||
        filters.service.some((f) => f === t.ServiceID || f === serviceName(t.ServiceID))) &&
      (!filters.node ||
        filters.node.some((f) => {
          const node = nodeOf(t.NodeID ?? "");
          return f === t.NodeID || (node !== undefined && f === hostname(node));
        })) &&
      (!filters["desired-state"] || filters["desired-state"].includes(t.DesiredState ?? "")),
  );
}

function engineHeaders(data: EngineRecording): Record<string, string> {
  return {
    "api-version": data.version.ApiVersion ?? "1.41",
    "docker-experimental": "false",
    ostype: "linux",
    server: `Docker/${data.version.Version ?? "replay"} (linux)`,
  };
}

function sendJson(res: ServerResponse, data: EngineRecording, body: unknown, status = 200): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    ...engineHeaders(data),
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(res.req.method === "HEAD" ? undefined : text);
}

/** Accepts both filter encodings the engine accepts: `{"k":["v"]}` and the legacy `{"k":{"v":true}}`. */
function parseFilters(raw: string | null): Filters {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, `invalid filter: ${raw}`);
  }
  const out: Filters = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    out[key] = Array.isArray(value) ? value.map(String) : Object.keys(value as object);
  }
  return out;
}

function checkFilters(filters: Filters, accepted: string[]): void {
  for (const key of Object.keys(filters))
    if (!accepted.includes(key)) throw new HttpError(400, `Invalid filter '${key}'`);
}

/** The engine matches filter values as unanchored regular expressions. */
function matches(pattern: string, source: string): boolean {
  if (pattern === source) return true;
  try {
    return new RegExp(pattern).test(source);
  } catch {
    return source.includes(pattern);
  }
}

function labelMatches(
  wanted: string[] | undefined,
  labels: Record<string, string> | null | undefined,
): boolean {
  if (!wanted) return true;
  return wanted.every((w) => {
    const [key, ...rest] = w.split("=");
    const value = labels?.[key];
    return rest.length === 0 ? value !== undefined : value === rest.join("=");
  });
}

function listContainers(
  containers: ApiContainerSummary[],
  all: boolean,
  filters: Filters,
): ApiContainerSummary[] {
  checkFilters(filters, ["id", "name", "label", "status"]);
  return containers.filter(
    (c) =>
      // Without all=1 the engine lists running containers; paused and restarting ones count as running.
      (all || ["running", "paused", "restarting"].includes(c.State)) &&
      (!filters.id || filters.id.some((f) => matches(f, c.Id))) &&
      (!filters.name ||
        filters.name.some((f) => c.Names.some((n) => matches(f, n) || matches(f, n.slice(1))))) &&
      (!filters.status || filters.status.includes(c.State)) &&
      labelMatches(filters.label, c.Labels),
  );
}

function listNetworks(networks: ApiNetwork[], filters: Filters): ApiNetwork[] {
  checkFilters(filters, ["id", "name", "driver", "label", "scope", "type"]);
  const builtIn = (n: ApiNetwork) => ["bridge", "host", "none"].includes(n.Name);
  return networks.filter(
    (n) =>
      (!filters.id || filters.id.some((f) => matches(f, n.Id))) &&
      (!filters.name || filters.name.some((f) => matches(f, n.Name))) &&
      (!filters.driver || filters.driver.includes(n.Driver)) &&
      (!filters.scope || filters.scope.includes(n.Scope)) &&
      (!filters.type || filters.type.includes(builtIn(n) ? "builtin" : "custom")) &&
      labelMatches(filters.label, n.Labels),
  );
}

/** Full ID, then a unique ID prefix, then a name (with or without the leading slash), as the engine resolves. */
function lookup<T>(byId: Record<string, T>, ref: string, names: (v: T) => string[]): T | undefined {
  if (Object.hasOwn(byId, ref)) return byId[ref];
  const values = Object.entries(byId);
  const byName = values.find(([, v]) => names(v).some((n) => n === ref || n === `/${ref}`));
  if (byName) return byName[1];
  const prefixed = values.filter(([id]) => id.startsWith(ref));
  return prefixed.length === 1 ? prefixed[0][1] : undefined;
}

function eventMatches(event: ApiEvent, filters: Filters): boolean {
  const attrs = event.Actor.Attributes ?? {};
  return (
    (!filters.type || filters.type.includes(event.Type)) &&
    (!filters.event || filters.event.some((e) => event.Action === e || event.Action.startsWith(`${e}:`))) &&
    (!filters.container ||
      (event.Type === "container" &&
        filters.container.some((c) => event.Actor.ID.startsWith(c) || attrs.name === c))) &&
    (!filters.network ||
      (event.Type === "network" &&
        filters.network.some((n) => event.Actor.ID.startsWith(n) || attrs.name === n)))
  );
}

/** Pauses a running container of the recording, or unpauses a paused one, and emits the engine's event. */
export function togglePaused(engine: ReplayEngine, container: ApiContainerSummary): void {
  container.State = container.State === "running" ? "paused" : "running";
  container.Status = container.State === "paused" ? "Up (Paused)" : "Up";
  engine.emit({
    Type: "container",
    Action: container.State === "paused" ? "pause" : "unpause",
    Actor: { ID: container.Id, Attributes: {} },
  });
}

/** One replay engine per engine of a {@link FleetRecording}, in its order, under its key. */
export interface FleetReplay extends AsyncDisposable {
  engines: { key: string; engine: ReplayEngine }[];
  /** The replay engine recorded under `key`; throws for a key the recording does not hold. */
  engine(key: string): ReplayEngine;
  close(): Promise<void>;
}

/** Starts a replay engine for every engine of a fleet recording; closes those started if one fails. */
export async function startFleetReplay(recording: FleetRecording): Promise<FleetReplay> {
  const engines: { key: string; engine: ReplayEngine }[] = [];
  const close = async () => void (await Promise.all(engines.map((e) => e.engine.close())));
  try {
    for (const { key, recording: data } of recording.engines)
      engines.push({ key, engine: await startReplayEngine(structuredClone(data)) });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    engines,
    engine(key) {
      const found = engines.find((e) => e.key === key);
      if (!found) throw new Error(`the fleet recording holds no engine "${key}"`);
      return found.engine;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
