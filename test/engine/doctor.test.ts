import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DoctorCheck, DoctorReport } from "../../server/model/doctor.ts";
import { MIN_API_VERSION } from "../../server/model/api-version.ts";
import { dockerJson } from "../support/docker-cli.ts";
import { ENGINE_SOCKET, requireEngine } from "../support/engine.ts";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `reachgraph doctor --json`, optionally as another user (through setpriv) and with extra environment. */
function doctor(args: string[], options: { env?: NodeJS.ProcessEnv; asNobody?: boolean } = {}) {
  const command = ["bin/reachgraph", "doctor", "--json", "--port", "0", ...args];
  const [file, argv] = options.asNobody
    ? ["setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", process.execPath, ...command]]
    : [process.execPath, command];
  return new Promise<Result & { report: DoctorReport }>((resolve, reject) => {
    execFile(
      file,
      argv,
      { timeout: 120_000, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        try {
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr,
            report: JSON.parse(stdout) as DoctorReport,
          });
        } catch (cause) {
          reject(new Error(`doctor printed no report: ${stderr || stdout}`, { cause }));
        }
      },
    );
  });
}

const check = (report: DoctorReport, id: DoctorCheck["id"]) => report.checks.find((c) => c.id === id);

describe("reachgraph doctor (real engine)", () => {
  let dir: string;

  beforeAll(async () => {
    await requireEngine();
    dir = mkdtempSync(join(tmpdir(), "rgt-doctor-"));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("with the engine: everything the main job needs is ok, and it exits 0", async () => {
    const version = await dockerJson<{ Server: { ApiVersion: string; Version: string } }>(
      "version",
      "--format",
      "{{json .}}",
    );
    const info = await dockerJson<{ Swarm: { LocalNodeState: string } }>("info", "--format", "{{json .}}");
    const { code, report } = await doctor(["--engine", `unix://${ENGINE_SOCKET}`]);
    expect(code).toBe(0);
    expect(report.ready).toBe(true);
    expect(check(report, "engine")).toMatchObject({
      status: "ok",
      summary: `unix://${ENGINE_SOCKET} (from --engine)`,
    });
    expect(check(report, "socket")?.status).toBe("ok");
    expect(check(report, "api")).toMatchObject({
      status: "ok",
      summary: `Docker ${version.Server.Version}, API ${version.Server.ApiVersion}; reachgraph needs API ${MIN_API_VERSION} or later`,
    });
    expect(check(report, "swarm")?.summary).toMatch(new RegExp(`^${info.Swarm.LocalNodeState}`));
    // The probe image is provisioned on this machine; writes reach the engine (and create nothing).
    expect(check(report, "probes")?.status).toBe("ok");
  });

  it("says where the engine came from: DOCKER_HOST", async () => {
    const { report } = await doctor([], { env: { DOCKER_HOST: `unix://${ENGINE_SOCKET}` } });
    expect(check(report, "engine")?.summary).toBe(`unix://${ENGINE_SOCKET} (from DOCKER_HOST)`);
  });

  it("without an engine (DOCKER_HOST names a missing socket): says so, what to do, and exits 1", async () => {
    const missing = join(dir, "missing.sock");
    const { code, report, stderr } = await doctor([], { env: { DOCKER_HOST: `unix://${missing}` } });
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(report.ready).toBe(false);
    expect(check(report, "socket")).toMatchObject({ status: "fail", summary: `no socket at ${missing}` });
    expect(check(report, "socket")?.fix).toContain("start the Docker engine");
    expect(check(report, "api")?.status).toBe("skip");
  });

  it("with a socket this user cannot read: names its group and how to get in, and exits 1", async () => {
    const { gid, mode } = statSync(ENGINE_SOCKET);
    // The socket must be closed to `nobody` for this test to mean anything.
    expect(mode & 0o007).toBe(0);
    const { code, report } = await doctor(["--engine", `unix://${ENGINE_SOCKET}`], { asNobody: true });
    expect(code).toBe(1);
    const socket = check(report, "socket");
    expect(socket?.status).toBe("fail");
    expect(socket?.summary).toContain(`${ENGINE_SOCKET} is not readable by this user`);
    expect(socket?.fix).toMatch(/^join the group \S+ \(then log in again\), run with sudo/);
    expect(socket?.fix).toContain(`--group-add ${gid}`);
  });

  it("a taken port is a warning, not a failure", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const { code, report } = await doctor(["--port", String(port)]);
      expect(code).toBe(0);
      expect(check(report, "port")).toMatchObject({ status: "warn", summary: `127.0.0.1:${port} is taken` });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("prints a few readable lines without --json", async () => {
    const out = await new Promise<string>((resolve) =>
      execFile(process.execPath, ["bin/reachgraph", "doctor", "--port", "0"], (_e, stdout) =>
        resolve(stdout),
      ),
    );
    const lines = out.trim().split("\n");
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines[0]).toMatch(/^ok {4}engine {2}unix:\/\//);
    expect(lines.at(-1)).toBe("reachgraph can read the topology here");
  });
});
