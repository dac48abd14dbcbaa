import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../server/model/doctor.ts";
import type { Topology } from "../../server/model/topology.ts";
import { TEST_PREFIX } from "../support/cleanup.ts";
import { ENGINE_SOCKET, requireEngine } from "../support/engine.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUN = randomBytes(3).toString("hex");
const IMAGE = `${TEST_PREFIX}image-${RUN}`;
const CONTAINER = `${TEST_PREFIX}image-${RUN}`;
const PROJECT = `${TEST_PREFIX}compose-${RUN}`;
const TOKEN = randomBytes(16).toString("hex");
/** The base build (debootstrap, cached by tag) and the image build, each bounded. */
const BUILD_TIMEOUT_MS = 15 * 60_000;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
function sh(file: string, args: string[], env: NodeJS.ProcessEnv = {}, timeout = 120_000): Promise<Result> {
  return new Promise((resolve) =>
    execFile(
      file,
      args,
      { cwd: ROOT, timeout, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}
const docker = (...args: string[]) => sh("/usr/bin/docker", args);
async function ok(result: Promise<Result>, what: string): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** Waits for a condition, polling; fails with the last thing seen when `timeoutMs` passes. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms; last: ${String(last)}`);
}

const gid = () => String(statSync(ENGINE_SOCKET).gid);
/** How the README runs it: socket mounted, its group added, root file system read-only. */
const runFlags = () => [
  "--read-only",
  "--tmpfs",
  "/tmp",
  "-v",
  `${ENGINE_SOCKET}:/var/run/docker.sock`,
  "--group-add",
  gid(),
];

/**
 * The legacy builder leaves the build stage's image behind, untagged: the last step ID printed before the
 * second FROM. Removed after the run (without force, so a layer another build still uses stays).
 */
function lastStageImage(buildOutput: string): string | undefined {
  const lines = buildOutput.split("\n");
  const froms = lines.flatMap((l, i) => (/^Step \d+\/\d+ : FROM /.test(l) ? [i] : []));
  const ids = lines.slice(0, froms[1]).flatMap((l) => /^ ---> ([0-9a-f]{12})$/.exec(l)?.[1] ?? []);
  return ids.at(-1);
}

describe("the container image (real engine)", () => {
  let base: string;
  let buildStage: string | undefined;

  beforeAll(async () => {
    await requireEngine();
    if (!existsSync(`${ROOT}/dist/web/index.html`))
      throw new Error("dist/web is missing: the image is built from a built checkout; run npm run build");
    await ok(sh("bash", ["scripts/build-base-image.sh"], {}, BUILD_TIMEOUT_MS), "building the base image");
    // The Dockerfile exactly as committed: no build args, no edits.
    const build = await ok(
      sh("/usr/bin/docker", ["build", "--force-rm", "-t", IMAGE, "."], {}, BUILD_TIMEOUT_MS),
      "docker build",
    );
    buildStage = lastStageImage(build);
    base = `http://${await startContainer()}`;
  }, 20 * 60_000);

  async function startContainer(): Promise<string> {
    await ok(
      docker(
        "run",
        "-d",
        "--name",
        CONTAINER,
        ...runFlags(),
        "-e",
        `REACHGRAPH_TOKEN=${TOKEN}`,
        "-p",
        "127.0.0.1:0:7357",
        IMAGE,
      ),
      "docker run",
    );
    return (await ok(docker("port", CONTAINER, "7357/tcp"), "docker port")).trim().split("\n")[0];
  }

  afterAll(async () => {
    await sh("docker-compose", ["-p", PROJECT, "-f", "compose.yaml", "down", "--timeout", "1"], {
      DOCKER_GID: gid(),
      REACHGRAPH_IMAGE: IMAGE,
    });
    await docker("rm", "-f", CONTAINER);
    await docker("rmi", IMAGE);
    if (buildStage) await docker("rmi", buildStage);
  }, 120_000);

  it("runs as a non-root user; /api/health answers without the token, and says one is required", async () => {
    const health = await until("/api/health answering", async () => {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
      return res.ok ? ((await res.json()) as unknown) : undefined;
    });
    expect(health).toEqual({ ok: true, auth: "required" });
    expect(
      (await ok(docker("exec", CONTAINER, "node", "-e", "console.log(process.getuid())"), "exec")).trim(),
    ).toBe("10001");
  });

  it("serves the live topology with the token, including its own container, and nothing without it", async () => {
    const denied = await fetch(`${base}/api/topology`, { signal: AbortSignal.timeout(5_000) });
    expect(denied.status).toBe(401);
    const res = await fetch(`${base}/api/topology`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(5_000),
    });
    expect(res.status).toBe(200);
    const topology = (await res.json()) as Topology;
    expect(topology.source.kind).toBe("live");
    expect(topology.containers.map((c) => c.name)).toContain(CONTAINER);
  });

  it("its HEALTHCHECK turns healthy", async () => {
    const status = await until(
      "the health status turning healthy",
      async () => {
        const s = (
          await ok(docker("inspect", "--format", "{{.State.Health.Status}}", CONTAINER), "inspect")
        ).trim();
        return s === "healthy" ? s : undefined;
      },
      180_000,
    );
    expect(status).toBe("healthy");
  }, 240_000);

  it("docker run --rm <image> matrix prints the matrix", async () => {
    const matrix = await docker("run", "--rm", ...runFlags(), IMAGE, "matrix", "--json");
    expect(matrix.stderr).toBe("");
    expect(matrix.code).toBe(0);
    const pairs = (JSON.parse(matrix.stdout) as { pairs: { from: string }[] }).pairs;
    expect(pairs.map((p) => p.from)).toContain(CONTAINER);
  });

  it("doctor inside: ready with --group-add; without it, names the flag and the gid to pass", async () => {
    const ready = await docker("run", "--rm", ...runFlags(), IMAGE, "doctor", "--json");
    expect(ready.code).toBe(0);
    const withoutGroup = runFlags().slice(0, -2);
    const denied = await docker("run", "--rm", ...withoutGroup, IMAGE, "doctor", "--json");
    expect(denied.code).toBe(1);
    const socket = (JSON.parse(denied.stdout) as DoctorReport).checks.find((c) => c.id === "socket");
    expect(socket?.status).toBe("fail");
    expect(socket?.fix).toContain(`--group-add ${gid()}`);
  });

  it("compose.yaml runs it the same way, and its log has the URL with a generated token", async () => {
    const env = { DOCKER_GID: gid(), REACHGRAPH_IMAGE: IMAGE, REACHGRAPH_PUBLISH: "127.0.0.1:0" };
    const compose = (...args: string[]) =>
      sh("docker-compose", ["-p", PROJECT, "-f", "compose.yaml", ...args], env);
    await ok(compose("up", "-d"), "docker-compose up");
    const port = (await ok(compose("port", "reachgraph", "7357"), "docker-compose port")).trim();
    const url = await until("the URL with the token in docker-compose logs", async () => {
      const logs = await ok(compose("logs", "--no-color", "reachgraph"), "docker-compose logs");
      return /reachgraph: open (http:\/\/localhost:7357\/\?token=\S+)/.exec(logs)?.[1];
    });
    // The printed URL names the container's port; the host reaches it where compose published it.
    const open = await fetch(url.replace("localhost:7357", port), {
      redirect: "manual",
      signal: AbortSignal.timeout(5_000),
    });
    expect(open.status).toBe(303);
    const cookie = (open.headers.get("set-cookie") ?? "").split(";")[0];
    const topology = await fetch(`http://${port}/api/topology`, {
      headers: { Cookie: cookie },
      signal: AbortSignal.timeout(5_000),
    });
    expect(topology.status).toBe(200);
    expect(((await topology.json()) as Topology).source.kind).toBe("live");
  });
});
