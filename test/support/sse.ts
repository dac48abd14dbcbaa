import { request as httpRequest } from "node:http";
import type { ClientRequest } from "node:http";
import { connect } from "node:net";
import type { Socket } from "node:net";
import type { ServerEvent } from "../../server/model/topology.ts";

/** A Server-Sent Events reader over fetch, for tests: collects every event and waits for matching ones. */
export class SseClient {
  readonly events: ServerEvent[] = [];
  private readonly abort = new AbortController();
  private waiters: { match: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];
  private done: Promise<void> = Promise.resolve();

  static async open(url: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { signal: client.abort.signal, headers: { Accept: "text/event-stream" } });
    if (!res.ok || !res.body) throw new Error(`GET ${url} answered ${res.status}`);
    client.done = client.read(res.body);
    return client;
  }

  /** Resolves with the first event (already received or future) that matches, or rejects after `timeoutMs`. */
  next(match: (e: ServerEvent) => boolean, timeoutMs = 15_000, from = 0): Promise<ServerEvent> {
    const seen = this.events.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`no matching server event within ${timeoutMs} ms; got ${this.events.length} events`),
        );
      }, timeoutMs);
      const done = (e: ServerEvent) => (clearTimeout(timer), resolve(e));
      this.waiters.push({ match, resolve: done });
    });
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of body) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = block
          .split("\n")
          .filter((line) => line.startsWith("data: "))
          .map((line) => line.slice(6))
          .join("\n");
        if (data) this.receive(JSON.parse(data) as ServerEvent);
      }
    }
  }

  private receive(event: ServerEvent): void {
    this.events.push(event);
    const matched = this.waiters.filter((w) => w.match(event));
    this.waiters = this.waiters.filter((w) => !w.match(event));
    for (const w of matched) w.resolve(event);
  }
}

/**
 * A light event-stream reader over node:http, for many clients at once: it records each event's `seq` and
 * arrival time without keeping the events, and can connect from another loopback address (`127.0.0.N`), so
 * the server counts it as another client.
 */
export class SseTally {
  /** `seq` of every snapshot and delta, in arrival order, and when each arrived (performance.now()). */
  readonly seqs: number[] = [];
  readonly arrivals: number[] = [];
  bytes = 0;
  closed = false;
  private request: ClientRequest | undefined;
  private waiters: { seq: number; resolve: () => void }[] = [];

  static open(url: string, localAddress?: string, headers: Record<string, string> = {}): Promise<SseTally> {
    const tally = new SseTally();
    return new Promise((resolve, reject) => {
      tally.request = httpRequest(
        url,
        { headers: { Accept: "text/event-stream", ...headers }, ...(localAddress ? { localAddress } : {}) },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`GET ${url} from ${localAddress ?? "127.0.0.1"} answered ${res.statusCode}`));
            return;
          }
          res.setEncoding("utf8");
          let buffered = "";
          res.on("data", (chunk: string) => {
            tally.bytes += Buffer.byteLength(chunk);
            buffered += chunk;
            let end: number;
            while ((end = buffered.indexOf("\n\n")) >= 0) {
              tally.receive(buffered.slice(0, end));
              buffered = buffered.slice(end + 2);
            }
          });
          res.on("close", () => (tally.closed = true));
          resolve(tally);
        },
      );
      tally.request.on("error", (error) => (tally.closed ? undefined : reject(error)));
      tally.request.end();
    });
  }

  get last(): number {
    return this.seqs.at(-1) ?? -1;
  }

  /** Resolves once an event with `seq` at least `seq` has arrived; rejects after `timeoutMs`. */
  reach(seq: number, timeoutMs = 30_000): Promise<void> {
    if (this.last >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no event with seq ${seq} within ${timeoutMs} ms; last ${this.last}`)),
        timeoutMs,
      );
      this.waiters.push({ seq, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  close(): void {
    this.closed = true;
    this.request?.destroy();
  }

  private receive(block: string): void {
    // The first "seq" of a snapshot or delta frame is its own: the wire puts it before the topology.
    const seq = /^data: \{"type":"(?:snapshot|delta)",(?:"delta":\{"schemaVersion":\d+,)?"seq":(\d+)/m.exec(
      block,
    );
    if (!seq) return;
    this.seqs.push(Number(seq[1]));
    this.arrivals.push(performance.now());
    const ready = this.waiters.filter((w) => this.last >= w.seq);
    this.waiters = this.waiters.filter((w) => this.last < w.seq);
    for (const w of ready) w.resolve();
  }
}

/**
 * An event stream from `localAddress` whose client never reads a byte (a stalled tab, a hostile client): the
 * request is sent and the socket paused, so everything the server sends piles up in its buffers.
 */
export function openStalledStream(url: string, localAddress: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () => {
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`,
      );
      socket.pause();
      resolve(socket);
    });
    socket.once("error", reject);
  });
}
