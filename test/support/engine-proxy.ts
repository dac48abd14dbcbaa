import type { Socket } from "node:net";
import { connect, createServer } from "node:net";

/**
 * A loopback TCP proxy in front of an engine's unix socket that can cut the events stream alone: each
 * connection that carries a `GET …/events` request is an events connection; {@link cutEvents} destroys those
 * and refuses new ones until {@link resumeEvents}, while every other request passes.
 */
export interface EventsCuttingProxy extends AsyncDisposable {
  /** `tcp://127.0.0.1:PORT`, to give reachgraph as its engine. */
  url: string;
  /** Events connections opened so far, cut or not. */
  eventsConnections(): number;
  /** Calls `listener` with the request line (`GET /v1.41/… HTTP/1.1`) of every request that passes. */
  onRequest(listener: (line: string) => void): void;
  cutEvents(): void;
  resumeEvents(): void;
  close(): Promise<void>;
}

export async function startEventsCuttingProxy(socketPath: string): Promise<EventsCuttingProxy> {
  const live = new Set<Socket>();
  const events = new Set<Socket>();
  let opened = 0;
  let refusing = false;
  const listeners: ((line: string) => void)[] = [];
  const server = createServer((client) => {
    live.add(client);
    const upstream = connect({ path: socketPath });
    live.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
      events.delete(client);
    };
    // Keep-alive reuses connections, so every request on a connection is looked at, not only the first.
    client.on("data", (chunk: Buffer) => {
      const line = /^[A-Z]+ [^ ]+ HTTP\/1\.[01]/.exec(chunk.toString("latin1", 0, 2048));
      if (line) for (const listener of listeners) listener(line[0]);
      if (/^GET [^ ]*\/events[? ]/.test(chunk.toString("latin1", 0, 512))) {
        opened++;
        if (refusing) return drop();
        events.add(client);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const close = async () => {
    for (const socket of live) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `tcp://127.0.0.1:${port}`,
    eventsConnections: () => opened,
    onRequest: (listener) => void listeners.push(listener),
    cutEvents: () => {
      refusing = true;
      for (const socket of events) socket.destroy();
    },
    resumeEvents: () => {
      refusing = false;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
