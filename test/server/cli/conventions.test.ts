import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, formatError } from "../../../server/cli/exit.ts";
import { ENGINE_URL } from "../../support/engine.ts";

const exec = promisify(execFile);
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  exec("node", ["bin/reachgraph", ...args], { timeout: 60_000, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: Run) => e,
  );

const temp = mkdtempSync(join(tmpdir(), "rg-cli-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("CLI conventions", () => {
  it.each([["--version"], ["-V"]])("%s prints the package version and exits 0", async (flag) => {
    const run = await cli([flag]);
    expect(run).toEqual({ code: EXIT.ok, stdout: `${version}\n`, stderr: "" });
  });

  it("every command's --help ends with examples of that command", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(EXIT.ok);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) /gm)]
      .map((m) => m[1])
      .filter((c) => c !== "help");
    expect(commands).toEqual(
      expect.arrayContaining(["serve", "matrix", "why", "probe", "compose", "diff", "export", "snapshot"]),
    );
    for (const command of commands) {
      const help = await cli([command, "--help"]);
      expect(help.code, command).toBe(EXIT.ok);
      expect(help.stdout, command).toMatch(new RegExp(`\\nExamples:\\n {2}\\$ reachgraph ${command}\\b`));
    }
  });

  it.each([
    [["serve", "--bogus"], "unknown option '--bogus'"],
    [["why", "only-one"], "missing required argument 'to'"],
    [["serve", "--port", "http"], '--port: "http" is not a port'],
    [["nosuch"], "unknown command 'nosuch'"],
    [["export", "--demo", "--format", "gif"], '--format: "gif" is not an export format'],
  ])("%j is a usage error: exit 2, the reason on the first line", async (args, reason) => {
    const run = await cli(args);
    expect(run.code).toBe(EXIT.usage);
    const [first] = run.stderr.split("\n");
    expect(first).toMatch(/^reachgraph: /);
    expect(first).toContain(reason);
    expect(run.stdout).toBe("");
  });

  it("a failed write says why on one line: --out on a directory names EISDIR", async () => {
    const run = await cli(["export", "--demo", "--format", "dot", "--out", temp]);
    expect(run.code).toBe(EXIT.error);
    expect(run.stderr).toBe(
      `reachgraph: writing ${temp} failed: EISDIR: illegal operation on a directory, open '${temp}'\n`,
    );
  });

  it("drift between compose files and the engine exits 3", async () => {
    const project = `rgt-cli-${process.pid}-${Date.now()}`;
    const dir = join(temp, project);
    writeFileSync(`${dir}.yaml`, `name: ${project}\nservices:\n  web:\n    image: busybox:latest\n`);
    const run = await cli(["diff", "--compose", `${dir}.yaml`, "--engine", ENGINE_URL]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`${project}-web-1`);
    expect(run.code).toBe(EXIT.differs);
  });

  // reachgraph writes no colour anywhere; nothing to switch off for NO_COLOR, FORCE_COLOR or a non-TTY.
  it.each([[["--help"]], [["why", "--help"]], [["why", "--demo", "rgt-demo-api", "rgt-demo-db"]]])(
    "%j writes no terminal escapes, even with FORCE_COLOR",
    async (args) => {
      const run = await cli(args, { FORCE_COLOR: "3" });
      expect(run.code).toBe(EXIT.ok);
      expect(run.stdout + run.stderr).not.toContain("\u001b");
    },
  );
});

describe("formatError", () => {
  it("joins the causes a message does not already say, on one line", () => {
    const io = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: "EACCES" });
    expect(formatError(new Error("writing /x failed", { cause: io }))).toBe(
      "writing /x failed: EACCES: permission denied, open '/x'",
    );
    const said = new Error("reading /info failed: connect ECONNREFUSED", {
      cause: new Error("connect ECONNREFUSED"),
    });
    expect(formatError(said)).toBe("reading /info failed: connect ECONNREFUSED");
    expect(formatError(new Error("first line\n  second line"))).toBe("first line second line");
    expect(formatError("a thrown string")).toBe("a thrown string");
  });
});
