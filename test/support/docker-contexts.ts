import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway DOCKER_CONFIG whose contexts the real docker CLI makes; the user's ~/.docker is never read. */
export interface DockerConfig {
  dir: string;
  /** Runs the real docker CLI with this config and no DOCKER_HOST/DOCKER_CONTEXT of the caller's. */
  docker(...args: string[]): string;
  /** The same, without blocking: for a command that talks to a server in this process (a TLS forwarder). */
  dockerAsync(...args: string[]): Promise<string>;
  /** Where the CLI keeps context `name`: `contexts/meta/<sha256>/meta.json`, `contexts/tls/<sha256>/docker`. */
  paths(name: string): { meta: string; tls: string };
}

export function dockerConfig(env: NodeJS.ProcessEnv = {}): DockerConfig {
  const dir = mkdtempSync(join(tmpdir(), "rgt-docker-config-"));
  const cliEnv = { ...process.env, DOCKER_HOST: "", DOCKER_CONTEXT: "", ...env, DOCKER_CONFIG: dir };
  return {
    dir,
    docker: (...args) =>
      execFileSync("/usr/bin/docker", args, { env: cliEnv, stdio: ["ignore", "pipe", "pipe"] }).toString(),
    dockerAsync: (...args) =>
      new Promise((resolve, reject) =>
        execFile("/usr/bin/docker", args, { env: cliEnv, timeout: 60_000 }, (error, stdout, stderr) =>
          error
            ? reject(new Error(`docker ${args.join(" ")} failed: ${stderr}`, { cause: error }))
            : resolve(stdout),
        ),
      ),
    paths: (name) => {
      const digest = createHash("sha256").update(name).digest("hex");
      return {
        meta: join(dir, "contexts", "meta", digest, "meta.json"),
        tls: join(dir, "contexts", "tls", digest, "docker"),
      };
    },
  };
}
