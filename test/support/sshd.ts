import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";

/**
 * A real OpenSSH server on 127.0.0.1 with a throwaway host key and one authorised throwaway client key, and a
 * directory to put first on PATH whose `ssh` is the real client reading a config made for it (identity,
 * known_hosts with this server's key, strict host key checking) instead of ~/.ssh.
 */
export interface Sshd {
  port: number;
  /** Put first on PATH: `ssh` there is /usr/bin/ssh -F <this server's client config>. */
  binDir: string;
  /** The same client, but with an empty known_hosts: the server's key is unknown to it. */
  strangerBinDir: string;
  stop(): Promise<void>;
}

const keygen = (file: string) =>
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { stdio: "ignore" });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startSshd(): Promise<Sshd> {
  if (!existsSync(SSHD))
    throw new Error(`${SSHD} is missing: bash scripts/provision-engine.sh installs openssh-server`);
  const dir = mkdtempSync(join(tmpdir(), "rgt-sshd-"));
  const at = (f: string) => join(dir, f);
  keygen(at("host_key"));
  keygen(at("client_key"));
  writeFileSync(at("authorized_keys"), readFileSync(at("client_key.pub")));
  const port = await freePort();
  writeFileSync(
    at("sshd_config"),
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${at("host_key")}`,
      `AuthorizedKeysFile ${at("authorized_keys")}`,
      `PidFile ${at("sshd.pid")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "",
    ].join("\n"),
  );
  // sshd's privilege separation directory; Debian's package creates it only when its service starts.
  if (!existsSync("/run/sshd")) mkdirSync("/run/sshd", { mode: 0o755 });
  const hostKey = readFileSync(at("host_key.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ");
  writeFileSync(at("known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(at("no_known_hosts"), "");
  const client = (name: string, knownHosts: string) => {
    writeFileSync(
      at(`${name}.config`),
      [
        "Host *",
        `  IdentityFile ${at("client_key")}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${knownHosts}`,
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "",
      ].join("\n"),
    );
    const bin = at(`${name}-bin`);
    mkdirSync(bin);
    writeFileSync(join(bin, "ssh"), `#!/bin/sh\nexec /usr/bin/ssh -F ${at(`${name}.config`)} "$@"\n`);
    chmodSync(join(bin, "ssh"), 0o755);
    return bin;
  };
  const binDir = client("client", at("known_hosts"));
  const strangerBinDir = client("stranger", at("no_known_hosts"));
  const child: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", at("sshd_config")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (stderr.includes("Server listening") ? resolve() : undefined);
    child.stderr?.on("data", check);
    child.once("exit", (code) => reject(new Error(`sshd exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    binDir,
    strangerBinDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
