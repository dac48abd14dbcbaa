import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../server/http/server.ts";
import { startServer } from "../../../server/http/server.ts";
import type { EngineStatus, Topology } from "../../../server/model/topology.ts";
import { staticFeed } from "../../../server/feed/feed.ts";
import { parseSnapshot } from "../../../server/model/snapshot.ts";
import { send } from "../../support/http.ts";
import { SseClient } from "../../support/sse.ts";

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function serve(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

describe("HTTP server", () => {
  it("serves the rules reference built from docs/rules.md, with an anchor per rule", async () => {
    const server = await serve({ demo: true });
    const res = await fetch(`${server.url}/rules`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h3 id="rule-ub-8">UB-8</h3>');
    expect(html).toContain('<h3 id="rule-s5-paused">§5 paused</h3>');
  });

  it("binds 127.0.0.1 by default and serves the example topology with --demo", async () => {
    const server = await serve({ demo: true });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const topology = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
    expect(topology.schemaVersion).toBe(2);
    expect(topology.source.kind).toBe("example");
    const drivers = new Set(topology.networks.map((n) => n.driver));
    for (const driver of ["bridge", "host", "null", "overlay", "macvlan"]) expect(drivers).toContain(driver);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      ok: boolean;
      engine: EngineStatus;
    };
    expect(health.ok).toBe(true);
    expect(health.engine.source.kind).toBe("example");
  });

  it("falls back to the example, saying why, when no engine answers", async () => {
    const server = await serve({ engine: "unix:///nonexistent/docker.sock" });
    const sse = await SseClient.open(`${server.url}/api/events`);
    const first = await sse.next(() => true);
    await sse.close();
    expect(first.type).toBe("snapshot");
    if (first.type !== "snapshot") return;
    expect(first.topology.source.kind).toBe("example");
    expect(first.status).toMatchObject({ reachable: false, engineUrl: "unix:///nonexistent/docker.sock" });
    expect(first.status.error).toMatch(/nonexistent\/docker\.sock.*ENOENT/);
  });

  it("refuses other Host names (DNS rebinding) and unknown API paths, with JSON errors", async () => {
    const server = await serve({ demo: true });
    const rebound = await send(`${server.url}/api/topology`, { headers: { Host: "attacker.example" } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error).toContain('host "attacker.example" is not served here');
    const missing = await send(`${server.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toBe("no such endpoint: GET /api/nope");
  });

  it("sends no container environment and no secret label values", async () => {
    const server = await serve({ demo: true });
    const body = await (await fetch(`${server.url}/api/topology`)).text();
    expect(body).not.toMatch(/"Env"|PATH=/);
    const topology = JSON.parse(body) as Topology;
    for (const c of topology.containers) {
      for (const [key, value] of Object.entries(c.labels)) {
        if (/password|secret|token|key/i.test(key)) expect(value).toBe("[redacted]");
      }
    }
  });

  it("serves a saved snapshot read-only, labelled as not live, and saves one at /api/snapshot", async () => {
    const live = await serve({ demo: true });
    const saved = await (await fetch(`${live.url}/api/snapshot`)).text();
    expect(JSON.parse(saved)).toMatchObject({ reachgraph: "snapshot", schemaVersion: 1 });
    const { topology } = parseSnapshot(saved, "saved.json");
    const reopened = await serve({ feed: staticFeed(topology) });
    const health = (await (await fetch(`${reopened.url}/api/health`)).json()) as { engine: EngineStatus };
    expect(health.engine.source.kind).toBe("snapshot");
    expect(health.engine.source.label).toMatch(/^saved\.json \(example: /);
    const probe = await fetch(`${reopened.url}/api/probes`, {
      method: "POST",
      headers: { Origin: reopened.url, "Content-Type": "application/json" },
      body: JSON.stringify({ from: "any" }),
    });
    expect(probe.status).toBe(403);
    expect((await probe.json()).error).toContain("--allow-probes");
  });
});
