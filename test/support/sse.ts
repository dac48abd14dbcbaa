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
