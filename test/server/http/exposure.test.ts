import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../server/http/server.ts";
import { startServer } from "../../../server/http/server.ts";
import { jsonError, send } from "../../support/http.ts";
import type { ReplayEngine } from "../../support/replay-engine.ts";
import { startReplayEngine } from "../../support/replay-engine.ts";
import { loadRecording } from "../../support/recording.ts";

// 127.0.0.2 is this machine, but not one of the loopback names: a bind "beyond loopback" that no one
// else can reach, so these tests expose nothing.
const BEYOND = "127.0.0.2";
const TOKEN = "test-token-0123456789abcdef";

let servers: RunningServer[] = [];
let webRoot: string;
beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), "rgt-web-"));
  await mkdir(join(webRoot, "assets"));
  await writeFile(join(webRoot, "index.html"), "<!doctype html><title>reachgraph page</title>");
  await writeFile(join(webRoot, "assets", "main.js"), "console.log('reachgraph script')");
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(() => rm(webRoot, { recursive: true, force: true }));

async function serve(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer({ port: 0, demo: true, webRoot, ...options });
  servers.push(server);
  return server;
}
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("beyond loopback, an access token guards every route", () => {
  it("generates a 256-bit token and prints it once in the address to open", async () => {
    const server = await serve({ host: BEYOND });
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.openUrl).toBe(`${server.url}/?token=${server.token}`);
    const other = await serve({ host: BEYOND });
    expect(other.token).not.toBe(server.token);
  });

  it("refuses the page, its assets, the API and the event stream without it", async () => {
    const server = await serve({ host: BEYOND });
    const page = await send(`${server.url}/`);
    expect(page.status).toBe(401);
    expect(page.headers["content-type"]).toMatch(/^text\/plain/);
    expect(page.body).toContain("Open the address reachgraph printed when it started");
    expect(page.body).not.toContain("reachgraph page");
    const script = await send(`${server.url}/assets/main.js`);
    expect(script.status).toBe(401);
    expect(script.body).not.toContain("reachgraph script");
    for (const path of ["/api/topology", "/api/events", "/api/snapshot", "/api/reachability", "/api/nope"]) {
      const api = await send(`${server.url}${path}`);
      expect(api.status, path).toBe(401);
      expect(jsonError(api)).toMatch(/^an access token is required/);
    }
    const wrong = await send(`${server.url}/api/topology`, { headers: bearer(`${server.token}x`) });
    expect(wrong.status).toBe(401);
    // The API never takes the token from its address (it would land in logs and history).
    const inQuery = await send(`${server.url}/api/topology?token=${server.token}`);
    expect(inQuery.status).toBe(401);
  });

  it("answers /api/health without the token with liveness only, and in full with it", async () => {
    const server = await serve({ host: BEYOND });
    const bare = await send(`${server.url}/api/health`);
    expect(bare.status).toBe(200);
    expect(JSON.parse(bare.body)).toEqual({ ok: true, auth: "required" });
    expect((await send(`${server.url}/api/health`, { method: "HEAD" })).status).toBe(200);
    const full = await send(`${server.url}/api/health`, { headers: bearer(server.token as string) });
    expect(JSON.parse(full.body)).toMatchObject({ ok: true, engine: { reachable: false }, probes: {} });
  });

  it("accepts Authorization: Bearer on the API", async () => {
    const server = await serve({ host: BEYOND });
    const answer = await send(`${server.url}/api/topology`, { headers: bearer(server.token as string) });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).schemaVersion).toBe(2);
  });

  it("exchanges ?token= for an HttpOnly SameSite=Strict cookie and redirects without it", async () => {
    const server = await serve({ host: BEYOND });
    const token = server.token as string;
    const exchange = await send(`${server.url}/?view=matrix&token=${token}`);
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe("/?view=matrix");
    expect(exchange.headers["set-cookie"]).toEqual([
      `reachgraph_token=${token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);
    const cookie = { Cookie: `other=1; reachgraph_token=${token}` };
    const page = await send(`${server.url}/?view=matrix`, { headers: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("reachgraph page");
    expect((await send(`${server.url}/assets/main.js`, { headers: cookie })).status).toBe(200);
    expect((await send(`${server.url}/api/topology`, { headers: cookie })).status).toBe(200);
    // A wrong token sets nothing; `//elsewhere` never becomes an open redirect.
    const wrong = await send(`${server.url}/?token=${token.slice(1)}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    for (const path of ["/.//evil.example/", "//evil.example/", "/\\evil.example/"]) {
      const sneaky = await send(`${server.url}${path}?token=${token}`);
      expect(sneaky.headers.location, path).toMatch(/^\/(?![/\\])/);
    }
  });

  it("needs no token on a loopback bind, unless one was chosen", async () => {
    const open = await serve({ host: "127.0.0.1" });
    expect(open.token).toBeNull();
    expect(open.openUrl).toBe(open.url);
    expect((await send(`${open.url}/api/topology`)).status).toBe(200);
    const chosen = await serve({ host: "127.0.0.1", token: TOKEN });
    expect(chosen.openUrl).toBe(chosen.url);
    expect((await send(`${chosen.url}/api/topology`)).status).toBe(401);
    expect((await send(`${chosen.url}/api/topology`, { headers: bearer(TOKEN) })).status).toBe(200);
  });
});

describe("the Host allow-list (DNS rebinding)", () => {
  const withHost = (server: RunningServer, host: string) =>
    send(`${server.url}/api/topology`, { headers: { Host: host, ...bearer(server.token ?? TOKEN) } });

  it("beyond loopback, answers only loopback names, the bind address and each --public-host", async () => {
    const server = await serve({ host: BEYOND, publicHosts: ["MyHost", "reach.example.org"] });
    const port = new URL(server.url).port;
    for (const host of ["localhost", `127.0.0.1:${port}`, `[::1]:${port}`, `${BEYOND}:${port}`, "myhost"]) {
      expect((await withHost(server, host)).status, host).toBe(200);
    }
    expect((await withHost(server, `reach.example.org:${port}`)).status).toBe(200);
    expect(server.openUrl).toBe(`http://myhost:${port}/?token=${server.token}`);
    for (const host of ["attacker.example", "myhost.attacker.example", "127.0.0.3", "myhost@evil", "[::2]"]) {
      const refused = await withHost(server, host);
      expect(refused.status, host).toBe(403);
      expect(jsonError(refused)).toMatch(/is not served here/);
    }
  });

  it("a public host requires a token even on a loopback bind (a proxy would expose it)", async () => {
    const server = await serve({ host: "127.0.0.1", publicHosts: ["myhost"] });
    expect(server.token).not.toBeNull();
    expect((await send(`${server.url}/api/topology`)).status).toBe(401);
  });
});

describe("state-changing requests come from the page only, with a JSON body", () => {
  let engine: ReplayEngine;
  let server: RunningServer;
  beforeAll(async () => {
    engine = await startReplayEngine(loadRecording("full").recording);
    server = await startServer({ port: 0, engine: engine.url, allowProbes: true });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
  });
  const probe = (headers: Record<string, string>, body = '{"from":"rgt-demo-api","to":"rgt-demo-db"}') =>
    send(`${server.url}/api/probes`, { method: "POST", headers, body });
  const probesStarted = () => engine.requests.filter((r) => r.includes("/images/")).length;

  it("refuses a cross-origin form-like POST before any probe starts", async () => {
    const before = probesStarted();
    const attack = await probe({ Origin: "http://attacker.example", "Content-Type": "text/plain" }, "");
    expect(attack.status).toBe(403);
    expect(jsonError(attack)).toMatch(/^cross-origin POST refused \(Origin "http:\/\/attacker\.example"\)/);
    const json = await probe({ Origin: "http://attacker.example", "Content-Type": "application/json" });
    expect(json.status).toBe(403);
    const nullOrigin = await probe({ Origin: "null", "Content-Type": "application/json" });
    expect(nullOrigin.status).toBe(403);
    const bare = await probe({ "Content-Type": "application/json" });
    expect(bare.status).toBe(403);
    const crossSite = await probe({ "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json" });
    expect(crossSite.status).toBe(403);
    expect(probesStarted()).toBe(before);
  });

  it("refuses a same-origin POST that is not JSON (415) or names no source (400)", async () => {
    const before = probesStarted();
    const text = await probe({ Origin: server.url, "Content-Type": "text/plain" });
    expect(text.status).toBe(415);
    const empty = await probe({ Origin: server.url, "Content-Type": "application/json" }, "");
    expect(empty.status).toBe(400);
    expect(jsonError(empty)).toMatch(/^request body: from: .*expected \{"from": name or \[names\]/);
    const everything = await probe({ Origin: server.url, "Content-Type": "application/json" }, "{}");
    expect(everything.status).toBe(400);
    const many = JSON.stringify({ from: Array.from({ length: 17 }, (_, i) => `c${i}`) });
    const tooMany = await probe({ Origin: server.url, "Content-Type": "application/json" }, many);
    expect(tooMany.status).toBe(400);
    expect(jsonError(tooMany)).toContain("from: at most 16 sources per request");
    const targets = JSON.stringify({
      from: "rgt-demo-api",
      to: Array.from({ length: 257 }, (_, i) => `c${i}`),
    });
    const tooManyTargets = await probe({ Origin: server.url, "Content-Type": "application/json" }, targets);
    expect(jsonError(tooManyTargets)).toContain("to: at most 256 targets per request");
    expect(probesStarted()).toBe(before);
  });

  it("lets the page's own request through (Origin, or Sec-Fetch-Site: same-origin)", async () => {
    const before = probesStarted();
    // The replay engine has no probe image: reaching that check proves the request was accepted.
    const page = await probe({ Origin: server.url, "Content-Type": "application/json" });
    expect(jsonError(page)).toMatch(/^probe image busybox:latest not found/);
    const fetchMeta = await probe({ "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json" });
    expect(fetchMeta.status).toBe(400);
    expect(probesStarted()).toBe(before + 2);
  });

  it("never sends CORS headers, not even to a preflight", async () => {
    const answers = [
      await send(`${server.url}/api/probes`, {
        method: "OPTIONS",
        headers: {
          Origin: "http://attacker.example",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type",
        },
      }),
      await send(`${server.url}/api/topology`, { headers: { Origin: "http://attacker.example" } }),
      await probe({ Origin: "http://attacker.example", "Content-Type": "application/json" }),
    ];
    for (const answer of answers)
      expect(Object.keys(answer.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });
});

describe("the page's Content-Security-Policy", () => {
  it("allows no inline script or style and nothing from elsewhere", async () => {
    const server = await serve({});
    const csp = String((await send(`${server.url}/`)).headers["content-security-policy"]);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  });
});
