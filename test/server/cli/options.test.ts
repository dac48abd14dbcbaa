import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseHost, parsePort, parsePublicHost, readChosenToken } from "../../../server/cli/options.ts";
import { send } from "../../support/http.ts";

const exec = promisify(execFile);
const cli = (...args: string[]) =>
  exec("node", ["bin/reachgraph", ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("CLI input", () => {
  it.each([["0"], ["7357"], ["65535"]])("accepts port %s", (value) => {
    expect(parsePort(value)).toBe(Number(value));
  });

  it.each([["65536"], ["-1"], ["80.5"], ["http"], [""]])("rejects port %j, naming it", (value) => {
    expect(() => parsePort(value)).toThrow(
      `--port: "${value}" is not a port; expected a whole number from 0 to 65535`,
    );
  });

  it("accepts IP addresses and localhost as --host, and nothing else", () => {
    expect(parseHost("0.0.0.0")).toBe("0.0.0.0");
    expect(parseHost("::1")).toBe("::1");
    expect(parseHost("localhost")).toBe("localhost");
    expect(() => parseHost("example.com")).toThrow(/--host: "example.com" is not an address to bind/);
  });

  it("answers bad flags and dead engines with one clear line and a non-zero exit", async () => {
    const port = await cli("serve", "--port", "99999");
    expect(port.code).not.toBe(0);
    expect(port.stderr).toContain('--port: "99999" is not a port');
    const dead = await cli("snapshot", "--engine", "tcp://127.0.0.1:1");
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(
      /^reachgraph: reading \/info from tcp:\/\/127\.0\.0\.1:1 failed: .*ECONNREFUSED/m,
    );
    expect(dead.stderr).not.toMatch(/\n\s+at /);
    const missing = await cli("serve", "--snapshot", "/nonexistent/saved.json", "--port", "0");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("reachgraph: /nonexistent/saved.json: cannot be read (ENOENT)");
  });
});

/** Starts `reachgraph serve` with `args`, resolves with its first stdout line, and stops it afterwards. */
async function serveOnce(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ line: string; stderr: string; stop(): Promise<string> }> {
  const child = spawn("node", ["bin/reachgraph", "serve", "--demo", "--port", "0", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0]);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    line,
    stderr,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      return stdout;
    },
  };
}

describe("serve beyond loopback", () => {
  it("accepts DNS names and IP addresses as --public-host, lowercased", () => {
    expect(parsePublicHost("MyHost")).toBe("myhost");
    expect(parsePublicHost("reach.example.org")).toBe("reach.example.org");
    expect(parsePublicHost("192.0.2.7")).toBe("192.0.2.7");
    expect(parsePublicHost("::1")).toBe("::1");
    for (const bad of ["*", "", "evil.example/path", "host:8080", "-lead.example", "a..b"])
      expect(() => parsePublicHost(bad), bad).toThrow(`--public-host: "${bad}" is not a host name`);
  });

  it("reads a chosen token from REACHGRAPH_TOKEN or the first line of --token-file, and refuses both", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rgt-token-"));
    try {
      const file = join(dir, "token");
      await writeFile(file, "from-a-file-0123456789\nignored\n");
      expect(await readChosenToken(undefined, file)).toBe("from-a-file-0123456789");
      expect(await readChosenToken("from-the-env-0123456789", undefined)).toBe("from-the-env-0123456789");
      expect(await readChosenToken(undefined, undefined)).toBeUndefined();
      await expect(readChosenToken("from-the-env-0123456789", file)).rejects.toThrow(
        "REACHGRAPH_TOKEN and --token-file both give an access token; use one of them",
      );
      await expect(readChosenToken("short", undefined)).rejects.toThrow(
        "REACHGRAPH_TOKEN: not a usable access token; expected 16 to 512 characters",
      );
      await expect(readChosenToken(undefined, join(dir, "missing"))).rejects.toThrow(
        `--token-file: ${join(dir, "missing")} cannot be read (ENOENT)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("prints a generated token once, in the address to open, and it lets that browser in", async () => {
    const server = await serveOnce(["--host", "127.0.0.2"]);
    try {
      const found = /^reachgraph: open http:\/\/127\.0\.0\.2:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/.exec(
        server.line,
      );
      expect(found, server.line).not.toBeNull();
      const [, port, token] = found as RegExpExecArray;
      const base = `http://127.0.0.2:${port}`;
      expect((await send(`${base}/api/topology`)).status).toBe(401);
      const exchange = await send(`${base}/?token=${token}`);
      expect(exchange.status).toBe(303);
      const cookie = String(exchange.headers["set-cookie"]).split(";")[0];
      expect((await send(`${base}/api/topology`, { headers: { Cookie: cookie } })).status).toBe(200);
    } finally {
      const stdout = await server.stop();
      const token = /token=(\S+)/.exec(server.line)?.[1] ?? "?";
      expect(stdout.split(token).length - 1).toBe(1);
    }
  });

  it("never prints a chosen token", async () => {
    const token = "chosen-token-0123456789";
    const server = await serveOnce(["--host", "127.0.0.2"], { REACHGRAPH_TOKEN: token });
    const stdout = await server.stop();
    expect(server.line).toMatch(/^reachgraph: open http:\/\/127\.0\.0\.2:\d+$/);
    expect(stdout + server.stderr).not.toContain(token);
  });

  it("refuses two token sources and a bad --public-host with one line and exit 2", async () => {
    const both = await exec("node", ["bin/reachgraph", "serve", "--demo", "--token-file", "/dev/null"], {
      env: { ...process.env, REACHGRAPH_TOKEN: "chosen-token-0123456789" },
      timeout: 60_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(both).toMatchObject({ code: 2 });
    expect((both as { stderr: string }).stderr).toBe(
      "reachgraph: REACHGRAPH_TOKEN and --token-file both give an access token; use one of them\n",
    );
    const host = await cli("serve", "--demo", "--public-host", "evil.example/x");
    expect(host.code).not.toBe(0);
    expect(host.stderr).toContain('--public-host: "evil.example/x" is not a host name');
  });
});
