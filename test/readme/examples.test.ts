import { spawn } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { requireEngine } from "../support/engine.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHELL_BLOCK = /^```(?:sh|shell|console|bash)\n([\s\S]*?)^```$/gm;
/** A README line may end with `# exits 3` when 3 is what it demonstrates (a disagreement or drift). */
const EXIT_NOTE = /\s+#\s*exits?\s+(\d+)\s*$/;

interface Example {
  line: string;
  command: string;
  exit: number;
}

/** Every `reachgraph …` command in the README's shell blocks, in order (later ones may read earlier files). */
function readmeExamples(): Example[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const out: Example[] = [];
  for (const [, body] of readme.matchAll(SHELL_BLOCK))
    for (const raw of body.split("\n")) {
      const line = raw.replace(/^\$\s+/, "").trim();
      const command = line.replace(EXIT_NOTE, "").replace(/^npx reachgraph\b/, "reachgraph");
      if (!command.startsWith("reachgraph ") && command !== "reachgraph") continue;
      out.push({ line, command, exit: Number(EXIT_NOTE.exec(line)?.[1] ?? 0) });
    }
  return out;
}

/** A scratch directory holding the repository's examples, and a `reachgraph` on PATH that runs this checkout. */
function workspace(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), "reachgraph-readme-"));
  cpSync(join(ROOT, "examples"), join(dir, "examples"), { recursive: true });
  const bin = join(dir, ".bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "reachgraph"),
    `#!/bin/sh\nexec node ${JSON.stringify(join(ROOT, "bin/reachgraph"))} "$@"\n`,
  );
  chmodSync(join(bin, "reachgraph"), 0o755);
  return { dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, NO_COLOR: "1" } };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command line with sh; a `serve` is stopped once the address it prints answers `/api/health`. */
function runLine(command: string, dir: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const serve = /^reachgraph serve\b/.test(command);
  const full = serve && !/--port\b/.test(command) ? `${command} --port 0` : command;
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", serve ? `exec ${full}` : full], { cwd: dir, env });
    let stdout = "";
    let stderr = "";
    let served: Promise<number> | undefined;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`"${command}" did not finish within 120 s; stderr: ${stderr}`));
    }, 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /open (http\S+)/.exec(stdout)?.[1];
      if (serve && url && !served)
        served = fetch(new URL("/api/health", url)).then(
          (res) => res.status,
          () => 0,
        );
      void served?.then(() => child.kill("SIGTERM"));
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      // A server is judged by whether it answered, not by how it ended when it was told to stop.
      if (served)
        void served.then((status) => resolve({ code: status === 200 ? 0 : status, stdout, stderr }));
      else resolve({ code, stdout, stderr });
    });
  });
}

describe("every reachgraph example in the README runs as written", () => {
  const examples = readmeExamples();
  const { dir, env } = workspace();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the README's examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  it.each(examples.map((e) => [e.line, e] as const))("%s", async (_line, example) => {
    if (
      !/--(demo|compose|snapshot)\b/.test(example.command) ||
      /^reachgraph (probe|diff)\b/.test(example.command)
    )
      await requireEngine();
    const r = await runLine(example.command, dir, env);
    expect(r.stderr, `stderr of "${example.command}"`).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(r.code, `exit code of "${example.command}"; stderr: ${r.stderr}`).toBe(example.exit);
  });
});
