import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { DockerOptions } from "dockerode";

/** How to reach an engine, resolved the way the docker CLI resolves it, and where that choice came from. */
export interface EngineConnection {
  /** The endpoint as a URL, e.g. `unix:///var/run/docker.sock` or `tcp://10.0.0.5:2376`. */
  url: string;
  /** Which input decided it: `--engine`, `DOCKER_HOST`, `context <name>` or `default socket`. */
  origin: string;
  options: DockerOptions;
}

export const DEFAULT_SOCKET = "/var/run/docker.sock";

interface ResolveInput {
  engine?: string | undefined;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/**
 * Resolves the engine endpoint: `--engine URL`, else `DOCKER_HOST` (with `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`),
 * else the docker context (`DOCKER_CONTEXT` or `currentContext` in the docker config), else the default socket.
 * Throws an error naming the bad input when one is malformed.
 */
export function resolveEngine({
  engine,
  env = process.env,
  home = homedir(),
}: ResolveInput = {}): EngineConnection {
  if (engine) return fromUrl(engine, "--engine", tlsFromEnv(env));
  if (env.DOCKER_HOST) return fromUrl(env.DOCKER_HOST, "DOCKER_HOST", tlsFromEnv(env));
  const configDir = env.DOCKER_CONFIG || join(home, ".docker");
  const contextName = env.DOCKER_CONTEXT || currentContext(configDir);
  if (contextName && contextName !== "default") return fromContext(contextName, configDir);
  return {
    url: `unix://${DEFAULT_SOCKET}`,
    origin: "default socket",
    options: { socketPath: DEFAULT_SOCKET },
  };
}

interface Tls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  verify: boolean;
}

function tlsFromEnv(env: NodeJS.ProcessEnv): Tls | undefined {
  const verify =
    env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" && env.DOCKER_TLS_VERIFY !== "0";
  if (!verify && !env.DOCKER_CERT_PATH) return undefined;
  const dir = env.DOCKER_CERT_PATH || join(homedir(), ".docker");
  return { ...readTlsFiles(dir, "DOCKER_CERT_PATH"), verify };
}

function readTlsFiles(dir: string, input: string): Omit<Tls, "verify"> {
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path))
      throw new Error(`${input}: ${path} does not exist; expected ca.pem, cert.pem and key.pem in ${dir}`);
    return readFileSync(path);
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
}

function fromUrl(raw: string, origin: string, tls: Tls | undefined): EngineConnection {
  const expected = "expected unix:///path/to/docker.sock, tcp://host:port or ssh://user@host";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${origin}: "${raw}" is not an engine address; ${expected}`);
  }
  switch (url.protocol) {
    case "unix:": {
      const socketPath = decodeURIComponent(url.pathname);
      if (!socketPath || socketPath === "/")
        throw new Error(`${origin}: "${raw}" names no socket path; ${expected}`);
      return { url: `unix://${socketPath}`, origin, options: { socketPath } };
    }
    case "tcp:":
    case "http:":
    case "https:": {
      if (!url.hostname) throw new Error(`${origin}: "${raw}" names no host; ${expected}`);
      const secure = url.protocol === "https:" || tls !== undefined;
      const port = url.port ? Number(url.port) : secure ? 2376 : 2375;
      return {
        url: `tcp://${url.host}${url.port ? "" : `:${port}`}`,
        origin,
        options: {
          host: url.hostname.replace(/^\[|\]$/g, ""),
          port,
          protocol: secure ? "https" : "http",
          ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
        },
      };
    }
    case "ssh:": {
      if (!url.hostname) throw new Error(`${origin}: "${raw}" names no host; ${expected}`);
      return {
        url: `ssh://${url.username ? `${url.username}@` : ""}${url.host}`,
        origin,
        options: {
          protocol: "ssh",
          host: url.hostname,
          port: url.port ? Number(url.port) : 22,
          ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
          sshOptions: { agent: process.env.SSH_AUTH_SOCK },
        },
      };
    }
    default:
      throw new Error(`${origin}: unsupported scheme "${url.protocol}" in "${raw}"; ${expected}`);
  }
}

function currentContext(configDir: string): string | undefined {
  const file = join(configDir, "config.json");
  if (!existsSync(file)) return undefined;
  try {
    const config = JSON.parse(readFileSync(file, "utf8")) as { currentContext?: unknown };
    return typeof config.currentContext === "string" ? config.currentContext : undefined;
  } catch (cause) {
    throw new Error(`${file}: not valid JSON; expected the docker CLI config`, { cause });
  }
}

/** The docker CLI stores context `name` under `contexts/meta/<sha256(name)>/meta.json`. */
function fromContext(name: string, configDir: string): EngineConnection {
  const digest = createHash("sha256").update(name).digest("hex");
  const metaFile = join(configDir, "contexts", "meta", digest, "meta.json");
  if (!existsSync(metaFile)) {
    throw new Error(
      `docker context "${name}": ${metaFile} does not exist; expected a context made by "docker context create"`,
    );
  }
  const meta = JSON.parse(readFileSync(metaFile, "utf8")) as {
    Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
  };
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw new Error(`docker context "${name}": ${metaFile} has no Endpoints.docker.Host`);
  const tlsDir = join(configDir, "contexts", "tls", digest, "docker");
  const tls = existsSync(tlsDir)
    ? {
        ...readTlsFiles(tlsDir, `docker context "${name}"`),
        verify: meta.Endpoints?.docker?.SkipTLSVerify !== true,
      }
    : undefined;
  return fromUrl(host, `context ${name}`, tls);
}
