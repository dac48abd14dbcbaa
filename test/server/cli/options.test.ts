import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseHost, parsePort } from "../../../server/cli/options.ts";

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
