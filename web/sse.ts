import type { EngineStatus, ServerEvent, Topology, TopologyDelta } from "../server/model/topology.ts";
import type { Store } from "./store.ts";

/** Connects the store to `GET /api/events`; returns a function that closes the stream. */
export function connectEvents(store: Store, url = "/api/events"): () => void {
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = 1000;
  let closed = false;

  function dispatch(event: ServerEvent): void {
    if (event.type === "snapshot") store.applySnapshot(event.seq, event.topology, event.status);
    else if (event.type === "delta") store.applyDelta(event.delta);
    else if (event.type === "status") store.setStatus(event.status);
  }

  function open(): void {
    source = new EventSource(url);
    source.onopen = () => {
      retryMs = 1000;
      store.setConnection("open");
    };
    source.onerror = () => {
      store.setConnection("reconnecting");
      // The browser retries on its own while CONNECTING; a CLOSED stream (bad response) needs us.
      if (source?.readyState === EventSource.CLOSED) scheduleReopen();
    };
    for (const type of ["snapshot", "delta", "status"] as const) {
      source.addEventListener(type, (e) => handle(type, (e as MessageEvent<string>).data));
    }
    // Unnamed messages carry the type inside the payload.
    source.onmessage = (e: MessageEvent<string>) => handle(null, e.data);
  }

  function handle(type: ServerEvent["type"] | null, data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      console.warn(`reachgraph: ignoring a ${type ?? "message"} event that is not JSON`);
      return;
    }
    const event = toServerEvent(type, parsed);
    if (event) dispatch(event);
  }

  function scheduleReopen(): void {
    source?.close();
    source = null;
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!closed) open();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 15_000);
  }

  open();
  return () => {
    closed = true;
    clearTimeout(retryTimer);
    source?.close();
  };
}

/** Accepts both the tagged `ServerEvent` and a bare payload under a named SSE event. */
function toServerEvent(type: ServerEvent["type"] | null, raw: unknown): ServerEvent | null {
  if (!raw || typeof raw !== "object") return null;
  const obj = raw as Record<string, unknown>;
  const kind = (typeof obj.type === "string" ? obj.type : type) as ServerEvent["type"] | null;
  if (kind === "snapshot") {
    const topology = (obj.topology ?? obj) as Topology;
    const status = obj.status as EngineStatus;
    return { type: "snapshot", seq: typeof obj.seq === "number" ? obj.seq : 0, topology, status };
  }
  if (kind === "delta") return { type: "delta", delta: (obj.delta ?? obj) as TopologyDelta };
  if (kind === "status") return { type: "status", status: (obj.status ?? obj) as EngineStatus };
  return null;
}
