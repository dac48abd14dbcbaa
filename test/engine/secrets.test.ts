/**
 * No secret leaves reachgraph, on the real engine: a network created with `-o` secret options and containers
 * with secret-looking labels and values (a DSN, a traefik basic-auth hash, a JWT, a bearer token). Their
 * secret parts must appear in no output: the HTTP API, the SSE snapshot and a delta, the snapshot download,
 * `reachgraph snapshot`, every text export, `matrix --json`. PNG is left out: it is the SVG rasterised, and
 * no text can be searched in its pixels.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/http/server.ts";
import { startServer } from "../../server/http/server.ts";
import type { ServerEvent } from "../../server/model/topology.ts";
import { reachgraph } from "../support/cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import type { ScenarioContainer, ScenarioNetwork } from "../support/scenario.ts";
import { Scenario, SLEEP } from "../support/scenario.ts";
import { SseClient } from "../support/sse.ts";

const exec = promisify(execFile);
const cli = (...args: string[]) => reachgraph(...args, "--engine", ENGINE_URL);

/** Secret parts, unique to this run so no other object can carry them by chance. */
const mark = randomBytes(5).toString("hex");
const SECRETS = {
  optionPassword: `optpw${mark}`,
  optionDsn: `optdsn${mark}`,
  dsnPassword: `dsnpw${mark}`,
  basicauth: `apr1hash${mark}`,
  jwtSignature: `jwtsig${mark}`,
  bearer: `bearer${mark}`,
  deltaPassword: `deltapw${mark}`,
};
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.${SECRETS.jwtSignature}`;

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([what]) => what);
}

describe("secrets are redacted in every output", () => {
  let scenario: Scenario;
  let server: RunningServer;
  let sse: SseClient;
  let net: ScenarioNetwork;
  let web: ScenarioContainer;

  beforeAll(async () => {
    scenario = await Scenario.create();
    net = await scenario.network("secrets", {
      options: {
        "com.example.password": SECRETS.optionPassword,
        "com.example.url": `postgres://app:${SECRETS.optionDsn}@db:5432/shop`,
      },
    });
    web = await scenario.container("web", {
      network: net.name,
      command: SLEEP,
      labels: {
        DATABASE_URL: `postgres://app:${SECRETS.dsnPassword}@db:5432/shop`,
        "traefik.http.middlewares.auth.basicauth.users": `admin:$apr1$salt$${SECRETS.basicauth}`,
        "com.example.session": JWT,
        "com.example.note": `Authorization: Bearer ${SECRETS.bearer}`,
      },
    });
    server = await startServer({ port: 0, engine: ENGINE_URL });
    sse = await SseClient.open(`${server.url}/api/events`);
  });

  afterAll(async () => {
    await sse?.close();
    await server?.close();
    await scenario?.cleanup();
  });

  it("the engine itself holds the secrets (the test is real)", async () => {
    const raw = await exec("docker", ["--host", ENGINE_URL, "inspect", web.id, net.id]).then((r) => r.stdout);
    expect(leaks(raw).sort()).toEqual(
      Object.keys(SECRETS)
        .filter((k) => k !== "deltaPassword")
        .sort(),
    );
  });

  it("the SSE snapshot and a delta carry none, yet show the keys", async () => {
    const first = await sse.next(
      (e) => e.type === "snapshot" && e.topology.containers.some((c) => c.id === web.id),
      60_000,
    );
    expect(leaks(JSON.stringify(first))).toEqual([]);
    if (first.type !== "snapshot") return;
    const shown = first.topology.networks.find((n) => n.id === net.id);
    expect(shown?.options["com.example.password"]).toBe("[redacted]");
    expect(shown?.options["com.example.url"]).toBe("postgres://app:[redacted]@db:5432/shop");
    const late = await scenario.container("late", {
      network: net.name,
      command: SLEEP,
      labels: { "com.example.dsn": `mysql://u:${SECRETS.deltaPassword}@h/d` },
    });
    const delta = await sse.next(
      (e: ServerEvent) => e.type === "delta" && e.delta.upsertContainers.some((c) => c.id === late.id),
      60_000,
    );
    expect(leaks(JSON.stringify(delta))).toEqual([]);
  });

  it.each(["/api/topology", "/api/snapshot", "/api/reachability"])("GET %s carries none", async (path) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(web.name);
    expect(leaks(body)).toEqual([]);
  });

  it("a pair's explanation carries none", async () => {
    const res = await fetch(
      `${server.url}/api/reachability/${encodeURIComponent(web.name)}/${encodeURIComponent("@host")}`,
    );
    expect(res.status).toBe(200);
    expect(leaks(await res.text())).toEqual([]);
  });

  it("reachgraph snapshot and matrix --json carry none", async () => {
    const snapshot = await cli("snapshot");
    expect(snapshot).toContain(web.name);
    expect(leaks(snapshot)).toEqual([]);
    const matrix = await cli("matrix", "--json", "--blocked");
    expect(matrix).toContain(web.name);
    expect(leaks(matrix)).toEqual([]);
  });

  it.each(["svg", "mermaid", "dot", "md", "json"])(
    "reachgraph export --format %s carries none",
    async (format) => {
      const out = await cli("export", "--format", format);
      expect(out).toContain("secrets");
      expect(leaks(out)).toEqual([]);
    },
  );
});
