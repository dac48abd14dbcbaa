import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../server/http/server.ts";
import { startServer } from "../../../server/http/server.ts";
import { jsonError, send } from "../../support/http.ts";

let server: RunningServer;
let webRoot: string;
beforeAll(async () => {
  // A stand-in page: these tests are about the answers around it, not the page.
  webRoot = await mkdtemp(join(tmpdir(), "rgt-web-"));
  await writeFile(join(webRoot, "index.html"), "<!doctype html><title>reachgraph</title>");
  server = await startServer({ port: 0, demo: true, webRoot });
});
afterAll(async () => {
  await server?.close();
  await rm(webRoot, { recursive: true, force: true });
});

/** A same-origin POST, as the page sends it, with the body and headers under test. */
const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  send(`${server.url}/api/probes`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/json", ...headers },
    body,
  });

describe("HTTP errors are JSON with a message, never an HTML page or a stack", () => {
  it("400 for malformed JSON", async () => {
    const answer = await post('{"from": [');
    expect(answer.status).toBe(400);
    expect(jsonError(answer)).toBe("request body: not valid JSON");
  });

  it("413 for a body over the limit, also when it only grows on decompression", async () => {
    const big = JSON.stringify({ from: "x".repeat(100 * 1024) });
    const plain = await post(big);
    expect(plain.status).toBe(413);
    expect(jsonError(plain)).toBe("request body: over the limit of 65536 bytes; send a smaller request");
    const bomb = await post(gzipSync(big), { "Content-Encoding": "gzip" });
    expect(bomb.status).toBe(413);
    expect(jsonError(bomb)).toMatch(/^request body: over the limit/);
  });

  it("415 for a body that is not JSON, or in an unknown encoding", async () => {
    const form = await post("from=a", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect(jsonError(form)).toBe(
      'POST needs Content-Type: application/json; got "application/x-www-form-urlencoded"',
    );
    const zip = await post("{}", { "Content-Encoding": "zip" });
    expect(zip.status).toBe(415);
    expect(jsonError(zip)).toBe(
      'request body: unsupported Content-Encoding "zip"; expected gzip, deflate, br or none',
    );
    const charset = await post("{}", { "Content-Type": "application/json; charset=ebcdic" });
    expect(charset.status).toBe(415);
    expect(jsonError(charset)).toBe('request body: unsupported charset "ebcdic"; expected utf-8');
  });

  it("400 for a body that is not the gzip it claims", async () => {
    const answer = await post("not gzip at all", { "Content-Encoding": "gzip" });
    expect(answer.status).toBe(400);
    expect(jsonError(answer)).toBe("request body: not valid for its Content-Encoding");
  });

  it("404 for an unknown endpoint, page or container", async () => {
    const endpoint = await send(`${server.url}/api/nope`);
    expect(endpoint.status).toBe(404);
    expect(jsonError(endpoint)).toBe("no such endpoint: GET /api/nope");
    const page = await send(`${server.url}/nope.js`);
    expect(page.status).toBe(404);
    expect(jsonError(page)).toBe("no such page: /nope.js");
    const pair = await send(`${server.url}/api/reachability/ghost/@host`);
    expect(pair.status).toBe(404);
    expect(jsonError(pair)).toMatch(/^unknown container "ghost": expected a container name, .*, or @host/);
    const rows = await send(`${server.url}/api/reachability?from=ghost`);
    expect(rows.status).toBe(404);
    expect(jsonError(rows)).toContain('unknown container "ghost"');
  });

  it.each([["/api/reachability/%ff/x"], ["/%ff"], ["/web/%ff.js"], ["/api/%e0%a4%a"]])(
    "400 for %s, a path that does not percent-decode",
    async (path) => {
      const answer = await send(`${server.url}${path}`);
      expect(answer.status).toBe(400);
      expect(jsonError(answer)).toBe(`malformed request: GET ${path} is not a valid percent-encoded path`);
    },
  );

  it("answers a bad query as 400 JSON", async () => {
    const answer = await send(`${server.url}/api/reachability?sort=name`);
    expect(answer.status).toBe(400);
    expect(jsonError(answer)).toMatch(/^query: unknown parameter "sort"/);
  });
});
