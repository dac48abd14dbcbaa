import { request } from "node:http";
import type { ApiEvent } from "../../server/model/engine-api.ts";
import { ENGINE_SOCKET } from "./engine.ts";

/** Actions that change what a network connects (§3): a probe must not run while they are happening. */
const NETWORK_CHANGES = new Set(["create", "destroy", "connect", "disconnect"]);

/**
 * The engine's own `GET /events` stream for containers and networks, read raw over the socket (no reachgraph
 * code in between), so that a test can count what the engine announced and see when it went quiet.
 */
export class EngineEvents {
  readonly events: ApiEvent[] = [];
  private lastNetworkChange = Date.now();
  private constructor(private readonly close: () => void) {}

  static open(socketPath = ENGINE_SOCKET): Promise<EngineEvents> {
    return new Promise((resolve, reject) => {
      const filters = encodeURIComponent(JSON.stringify({ type: ["container", "network"] }));
      const req = request({ socketPath, path: `/events?filters=${filters}` }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`GET /events answered ${res.statusCode}`));
        const watcher = new EngineEvents(() => req.destroy());
        let buffered = "";
        res.on("data", (chunk: Buffer) => {
          buffered += chunk.toString("utf8");
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line) watcher.receive(JSON.parse(line) as ApiEvent);
          }
        });
        res.on("error", () => undefined);
        resolve(watcher);
      });
      req.on("error", reject);
      req.end();
    });
  }

  /** Events since index `from` whose type and action match. */
  count(match: (e: ApiEvent) => boolean, from = 0): number {
    return this.events.slice(from).filter(match).length;
  }

  /**
   * Resolves once no network has been created, destroyed, connected or disconnected for `quietMs` — the
   * engine has finished re-inserting its isolation rules (§3) — or rejects after `timeoutMs`.
   */
  async networkSettled(quietMs = 3_000, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const quietUntil = this.lastNetworkChange + quietMs;
      if (Date.now() >= quietUntil) return;
      if (Date.now() > deadline)
        throw new Error(`the engine's networks did not settle for ${quietMs} ms within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(quietUntil - Date.now(), 500)));
    }
  }

  stop(): void {
    this.close();
  }

  private receive(event: ApiEvent): void {
    this.events.push(event);
    if (event.Type === "network" && NETWORK_CHANGES.has(event.Action)) this.lastNetworkChange = Date.now();
  }
}
