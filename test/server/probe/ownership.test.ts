/** The key that proves a helper is reachgraph's: private to the user, stable across runs, unforgeable labels. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { loadSigner, ownerIsGone, stateDir } from "../../../server/probe/ownership.ts";

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "rgt-state-"));
  dirs.push(dir);
  return join(dir, "reachgraph");
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const claim = {
  name: "reachgraph-probe-ab12-0",
  runId: "ab12",
  source: "c".repeat(64),
  deadline: 1,
  owner: "h:1",
};

test("creates a 0600 key once and signs the same way in every later run", () => {
  const dir = freshDir();
  const mac = loadSigner(dir).sign(claim);
  expect(statSync(join(dir, "probe-key")).mode & 0o777).toBe(0o600);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(loadSigner(dir).verify(claim, mac)).toBe(true);
});

test("a MAC holds for exactly its claim, and another user's key makes another MAC", () => {
  const dir = freshDir();
  const signer = loadSigner(dir);
  const mac = signer.sign(claim);
  for (const change of [
    { name: "other" },
    { runId: "x" },
    { source: "s" },
    { deadline: 2 },
    { owner: "h:2" },
  ])
    expect(signer.verify({ ...claim, ...change }, mac), JSON.stringify(change)).toBe(false);
  expect(signer.verify(claim, "0".repeat(64))).toBe(false);
  expect(signer.verify(claim, "not hex")).toBe(false);
  expect(loadSigner(freshDir()).verify(claim, mac)).toBe(false);
});

test("tightens a key file others could read", () => {
  const dir = freshDir();
  loadSigner(dir);
  const path = join(dir, "probe-key");
  writeFileSync(path, "a".repeat(64), { mode: 0o644 });
  loadSigner(dir);
  expect(statSync(path).mode & 0o777).toBe(0o600);
});

test("refuses a corrupt key with a message naming the file and the way out", () => {
  const dir = freshDir();
  loadSigner(dir);
  writeFileSync(join(dir, "probe-key"), "garbage");
  expect(() => loadSigner(dir)).toThrow(
    /probe-key is unusable \(expected 64 hex digits\); set REACHGRAPH_STATE_DIR/,
  );
});

test("the state directory follows REACHGRAPH_STATE_DIR, then XDG_STATE_HOME", () => {
  expect(stateDir({ REACHGRAPH_STATE_DIR: "/x" })).toBe("/x");
  expect(stateDir({ XDG_STATE_HOME: "/s" })).toBe("/s/reachgraph");
});

test("an owner is gone only when it is on this host and no such process exists", async () => {
  const child = spawn("sleep", ["30"]);
  const self = `${hostname()}:${process.pid}`;
  expect(ownerIsGone(`${hostname()}:${child.pid}`, self)).toBe(false);
  child.kill("SIGKILL");
  await new Promise((r) => child.on("exit", r));
  expect(ownerIsGone(`${hostname()}:${child.pid}`, self)).toBe(true);
  expect(ownerIsGone(self, self)).toBe(false);
  expect(ownerIsGone(`another-host:${child.pid}`, self)).toBe(false);
  expect(ownerIsGone("no pid", self)).toBe(false);
});
