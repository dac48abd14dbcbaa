import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { join } from "node:path";

/** Labels that, signed together, prove a container is a helper this user's reachgraph created. */
export interface HelperClaim {
  name: string;
  runId: string;
  source: string;
  /** Epoch milliseconds after which the helper is certainly a leftover. */
  deadline: number;
  /** `<hostname>:<pid>` of the process that created it. */
  owner: string;
}

/**
 * Signs and checks helper claims with a secret that never leaves this machine: anyone can set a label, only
 * a holder of the key can make a matching MAC, so a sweep never removes a container reachgraph did not create.
 */
export interface HelperSigner {
  /** `<hostname>:<pid>` of this process. */
  readonly owner: string;
  sign(claim: HelperClaim): string;
  verify(claim: HelperClaim, mac: string): boolean;
}

const KEY_FILE = "probe-key";

/** The state directory: REACHGRAPH_STATE_DIR, else $XDG_STATE_HOME/reachgraph, else ~/.local/state/reachgraph. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REACHGRAPH_STATE_DIR) return env.REACHGRAPH_STATE_DIR;
  return join(env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "reachgraph");
}

/** Loads the signing key from `dir` (0600), creating it atomically the first time. */
export function loadSigner(dir = stateDir()): HelperSigner {
  const key = loadKey(dir);
  const owner = `${hostname()}:${process.pid}`;
  const mac = (c: HelperClaim) =>
    createHmac("sha256", key)
      .update(JSON.stringify([c.name, c.runId, c.source, c.deadline, c.owner]))
      .digest();
  return {
    owner,
    sign: (claim) => mac(claim).toString("hex"),
    verify: (claim, given) => {
      const expected = mac(claim);
      const actual = Buffer.from(/^[0-9a-f]{64}$/.test(given) ? given : "", "hex");
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

function loadKey(dir: string): Buffer {
  const path = join(dir, KEY_FILE);
  try {
    return readKey(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw keyError(path, error);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written aside, then linked: a concurrent reader never sees a half-written key, and one creator wins.
    const scratch = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(scratch, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    try {
      linkSync(scratch, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(scratch);
    }
    return readKey(path);
  } catch (error) {
    throw keyError(path, error);
  }
}

function readKey(path: string): Buffer {
  const text = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`expected 64 hex digits`);
  // The key is what makes a helper ours: keep it readable by this user only.
  chmodSync(path, 0o600);
  return Buffer.from(text, "hex");
}

function keyError(path: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `probe key ${path} is unusable (${reason}); set REACHGRAPH_STATE_DIR to a writable directory`,
    { cause },
  );
}

/** Whether the process that created a helper is certainly gone: same host, and no such process. */
export function ownerIsGone(owner: string, self: string): boolean {
  const [host, pidText] = [owner.slice(0, owner.lastIndexOf(":")), owner.slice(owner.lastIndexOf(":") + 1)];
  const pid = Number(pidText);
  if (host !== hostname() || owner === self || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: a process of another user holds the pid; it may be the owner.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
