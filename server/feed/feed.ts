import type { EngineStatus, ServerEvent, Topology } from "../model/topology.ts";

/** A source of topology for the HTTP layer: the current state, then events as it changes. */
export interface TopologyFeed {
  current(): { seq: number; topology: Topology; status: EngineStatus };
  subscribe(listener: (event: ServerEvent) => void): () => void;
  close(): Promise<void>;
}

/** A feed that never changes: the bundled example, a snapshot file or a compose prediction. */
export function staticFeed(topology: Topology, status: Partial<EngineStatus> = {}): TopologyFeed {
  const fixed: EngineStatus = {
    reachable: false,
    stale: false,
    source: topology.source,
    engineUrl: null,
    apiVersion: topology.engine.apiVersion || null,
    serverVersion: topology.engine.serverVersion || null,
    error: null,
    lastSyncAt: topology.source.capturedAt,
    ...status,
  };
  return {
    current: () => ({ seq: 0, topology, status: fixed }),
    subscribe: () => () => undefined,
    close: async () => undefined,
  };
}

/**
 * Serves `fallback` (the example topology) while the live feed has never synced, and switches to live,
 * with a fresh snapshot, as soon as the engine answers.
 */
export function fallbackFeed(
  live: TopologyFeed & { hasTopology(): boolean; currentStatus(): EngineStatus },
  fallback: Topology,
): TopologyFeed {
  const whileDown = (): EngineStatus => ({
    ...live.currentStatus(),
    reachable: false,
    stale: false,
    source: fallback.source,
  });
  return {
    current: () =>
      live.hasTopology() ? live.current() : { seq: 0, topology: fallback, status: whileDown() },
    subscribe: (listener) =>
      live.subscribe((event) => {
        if (event.type === "status" && !live.hasTopology()) listener({ type: "status", status: whileDown() });
        else listener(event);
      }),
    close: () => live.close(),
  };
}
