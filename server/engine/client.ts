import Docker from "dockerode";
import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiEvent,
  ApiInfo,
  ApiNetwork,
  ApiNode,
  ApiService,
  ApiTask,
  ApiVersion,
} from "../model/engine-api.ts";
import type { EngineConnection } from "./connection.ts";
import { describeCause, EngineError } from "./engine-error.ts";

/** The narrow, read-only view of a Docker Engine that the collector needs. */
export interface EngineClient {
  readonly url: string;
  info(): Promise<ApiInfo>;
  version(): Promise<ApiVersion>;
  /** `GET /containers/json?all=1`, optionally only the containers with the given IDs. */
  listContainers(filter?: { ids: string[] }): Promise<ApiContainerSummary[]>;
  /** `GET /networks`. */
  listNetworks(): Promise<ApiNetwork[]>;
  /** `GET /containers/{id}/json`; null when the container is gone (404). */
  inspectContainer(id: string): Promise<ApiContainerInspect | null>;
  /** `GET /networks/{id}` (`?verbose=true`: the overlay's peers and services); null when gone (404). */
  inspectNetwork(id: string, options?: { verbose?: boolean }): Promise<ApiNetwork | null>;
  /** A swarm manager's `GET /nodes`, `GET /services` and `GET /tasks`. */
  listNodes(): Promise<ApiNode[]>;
  listServices(): Promise<ApiService[]>;
  listTasks(): Promise<ApiTask[]>;
  /**
   * Subscribes to `GET /events` for containers and networks (and the given extra types, such as a manager's
   * `service` and `node`); resolves once subscribed. Ends when `signal` aborts.
   */
  events(signal: AbortSignal, extraTypes?: string[]): Promise<AsyncIterable<ApiEvent>>;
}

/** Creates the dockerode-backed client; the one place reachgraph talks to dockerode. */
export function createEngineClient(connection: EngineConnection, timeoutMs = 10_000): EngineClient {
  const docker = new Docker({ ...connection.options, timeout: timeoutMs });
  // The events stream is idle for as long as nothing happens: an idle timeout would cut it every few seconds.
  const streaming = new Docker({ ...connection.options });
  const url = connection.url;
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new EngineError(`${what} from ${url} failed: ${describeCause(cause)}`, cause);
    }
  };
  const orNull = async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await call(what, run);
    } catch (error) {
      if (error instanceof EngineError && error.statusCode === 404) return null;
      throw error;
    }
  };
  return {
    url,
    info: () => call("reading /info", () => docker.info() as Promise<ApiInfo>),
    version: () => call("reading /version", () => docker.version() as Promise<ApiVersion>),
    listContainers: (filter) =>
      call(
        "listing containers",
        () =>
          docker.listContainers({
            all: true,
            ...(filter ? { filters: { id: filter.ids } } : {}),
          }) as Promise<ApiContainerSummary[]>,
      ),
    listNetworks: () => call("listing networks", () => docker.listNetworks() as Promise<ApiNetwork[]>),
    inspectContainer: (id) =>
      orNull(
        `inspecting container ${id}`,
        () => docker.getContainer(id).inspect() as Promise<ApiContainerInspect>,
      ),
    inspectNetwork: (id, options) =>
      orNull(`inspecting network ${id}`, () => {
        const network = docker.getNetwork(id);
        // dockerode sends the options as the query; its typings omit them.
        const inspect = network.inspect.bind(network) as (opts?: object) => Promise<ApiNetwork>;
        return options?.verbose ? inspect({ verbose: true }) : inspect();
      }),
    listNodes: () => call("listing swarm nodes", () => docker.listNodes() as Promise<ApiNode[]>),
    listServices: () => call("listing swarm services", () => docker.listServices() as Promise<ApiService[]>),
    listTasks: () => call("listing swarm tasks", () => docker.listTasks() as Promise<ApiTask[]>),
    events: (signal, extraTypes = []) => streamEvents(streaming, url, signal, extraTypes),
  };
}

async function streamEvents(
  docker: Docker,
  url: string,
  signal: AbortSignal,
  extraTypes: string[],
): Promise<AsyncIterable<ApiEvent>> {
  let stream: NodeJS.ReadableStream;
  try {
    // §2.4: never filter by label or container; that silently drops network events.
    stream = (await docker.getEvents({
      filters: { type: ["container", "network", ...extraTypes] },
      abortSignal: signal,
    } as Parameters<Docker["getEvents"]>[0])) as NodeJS.ReadableStream;
  } catch (cause) {
    throw new EngineError(`subscribing to events from ${url} failed: ${describeCause(cause)}`, cause);
  }
  return parseEvents(stream, url, signal);
}

async function* parseEvents(
  stream: NodeJS.ReadableStream,
  url: string,
  signal: AbortSignal,
): AsyncIterable<ApiEvent> {
  let buffered = "";
  try {
    for await (const chunk of stream) {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield JSON.parse(line) as ApiEvent;
      }
    }
  } catch (cause) {
    if (signal.aborted) return;
    throw new EngineError(`events stream from ${url} broke: ${describeCause(cause)}`, cause);
  }
  if (!signal.aborted) throw new EngineError(`events stream from ${url} ended`, undefined);
}
