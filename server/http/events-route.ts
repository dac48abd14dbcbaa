import type { RequestHandler } from "express";
import type { TopologyFeed } from "../feed/feed.ts";
import type { ServerEvent } from "../model/topology.ts";
import { HttpError } from "./errors.ts";
import type { HttpLimits } from "./limits.ts";

/** How many event streams are open, and how many were dropped for falling behind. */
export interface EventStreamStats {
  open: number;
  dropped: number;
}

type Limits = Pick<HttpLimits, "eventStreams" | "eventStreamsPerClient" | "eventBacklogBytes">;

/** One `event:`/`data:` frame per event, shared by every stream that sends it. */
const frames = new WeakMap<ServerEvent, string>();
const frameOf = (event: ServerEvent): string => {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    frames.set(event, frame);
  }
  return frame;
};

/**
 * `GET /api/events`: the snapshot, then every event. At most `eventStreams` streams, `eventStreamsPerClient`
 * per remote address (503 beyond). A client that does not read is dropped once it has fallen more than
 * `eventBacklogBytes` behind beyond its snapshot, so memory stays bounded whoever connects.
 */
export function eventsRoute(
  feed: TopologyFeed,
  limits: Limits,
  heartbeatMs: number,
): { handler: RequestHandler; stats(): EventStreamStats } {
  const perClient = new Map<string, number>();
  let open = 0;
  let dropped = 0;
  const handler: RequestHandler = (req, res) => {
    const client = (req.socket.remoteAddress ?? "?").replace(/^::ffff:/, "");
    const mine = perClient.get(client) ?? 0;
    if (open >= limits.eventStreams || mine >= limits.eventStreamsPerClient)
      res.setHeader("Retry-After", "30");
    if (open >= limits.eventStreams)
      throw busy(`the server holds its limit of ${limits.eventStreams} event streams; try again later`);
    if (mine >= limits.eventStreamsPerClient)
      throw busy(
        `${client} holds its limit of ${limits.eventStreamsPerClient} event streams; close other reachgraph tabs`,
      );
    open++;
    perClient.set(client, mine + 1);
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    const { seq, topology, status } = feed.current();
    const first = `event: snapshot\ndata: ${JSON.stringify({ type: "snapshot", seq, topology, status })}\n\n`;
    const allowed = Buffer.byteLength(first) + limits.eventBacklogBytes;
    let gone = false;
    const write = (text: string) => {
      if (gone) return;
      if (res.writableLength > allowed) {
        dropped++;
        gone = true;
        res.destroy();
        return;
      }
      res.write(text);
    };
    const unsubscribe = feed.subscribe((event) => write(frameOf(event)));
    write(first);
    const heartbeat = setInterval(() => write(": keep-alive\n\n"), heartbeatMs);
    res.on("close", () => {
      gone = true;
      clearInterval(heartbeat);
      unsubscribe();
      open--;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    });
  };
  return { handler, stats: () => ({ open, dropped }) };
}

function busy(message: string): HttpError {
  return new HttpError(503, message);
}
