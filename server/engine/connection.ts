import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import type { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { homedir } from "node:os";
import { join } from "node:path";
import type { DockerOptions } from "dockerode";
import { EngineInputError } from "./engine-error.ts";
import { sshAgent } from "./ssh-transport.ts";

/** How to reach an engine, resolved the way the docker CLI resolves it, and where that choice came from. */
export interface EngineConnection {
  /** The endpoint as a URL, e.g. `unix:///var/run/docker.sock` or `tcp://10.0.0.5:2376`. */
  url: string;
  /** Which input decided it: `--engine`, `--engine node1`, `DOCKER_HOST`, `context <name>` or `default socket`. */
  origin: string;
  /**
   * The label the user gave the engine: the context's name (`--context`, `DOCKER_CONTEXT`, `currentContext`),
   * NAME in `--engine NAME=URL`.
   * Absent when none was given; the collector then names the engine from the engine itself.
   */
  key?: string;
  /** The docker context it was resolved from, when one: fix commands name it (`docker --context`). */
  context?: string;
  options: EngineOptions;
}

/** dockerode's options, plus the HTTP agent docker-modem honours (ssh transport, SkipTLSVerify). */
export type EngineOptions = DockerOptions & { agent?: Agent };

/** One `--engine` or `--context` value, in the order given on the command line. */
export interface EngineArg {
  flag: "--engine" | "--context";
  value: string;
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
 * Throws an EngineInputError naming the bad input when one is malformed.
 */
export function resolveEngine({
  engine,
  env = process.env,
  home = homedir(),
}: ResolveInput = {}): EngineConnection {
  if (engine !== undefined) return fromEngineArg(engine, env, home);
  const configDir = env.DOCKER_CONFIG || join(home, ".docker");
  const contextName = env.DOCKER_CONTEXT || currentContext(configDir);
  if (contextName && contextName !== "default" && !env.DOCKER_HOST)
    return {
      ...fromContext(contextName, env.DOCKER_CONTEXT ? "DOCKER_CONTEXT" : "currentContext", configDir),
      key: contextName,
      context: contextName,
    };
  return defaultEngine(env, home);
}

/**
 * The engines `--engine`/`--context` name, in the order given; with neither, the one engine `resolveEngine`
 * finds. Refuses an engine named twice (by any mix of flags) and a label used twice.
 */
export function resolveEngines({
  engines,
  env = process.env,
  home = homedir(),
}: {
  engines: EngineArg[];
  env?: NodeJS.ProcessEnv;
  home?: string;
}): EngineConnection[] {
  if (!engines.length) return [resolveEngine({ env, home })];
  const configDir = env.DOCKER_CONFIG || join(home, ".docker");
  const resolved = engines.map((arg) => ({
    arg,
    connection:
      arg.flag === "--context"
        ? fromContextArg(arg.value, env, home, configDir)
        : fromEngineArg(arg.value, env, home),
  }));
  resolved.forEach(({ arg, connection }, i) => {
    const earlier = resolved.slice(0, i);
    const same = earlier.find((e) => sameEndpoint(e.connection, connection));
    if (same)
      throw new EngineInputError(
        `${shown(same.arg)} and ${shown(arg)} name the same engine (${connection.url}); give each engine once`,
      );
    const label = earlier.find((e) => connection.key !== undefined && e.connection.key === connection.key);
    if (label)
      throw new EngineInputError(
        `${shown(label.arg)} and ${shown(arg)} both use the label "${connection.key}"; expected a different label per engine`,
      );
  });
  return resolved.map((r) => r.connection);
}

const shown = (arg: EngineArg) => `${arg.flag} ${arg.value}`;

/** Two unix URLs name one engine when their sockets are one file (`/var/run` is often `/run`). */
function sameEndpoint(a: EngineConnection, b: EngineConnection): boolean {
  const socket = (c: EngineConnection) => {
    const path = c.options.socketPath;
    if (typeof path !== "string") return c.url;
    try {
      return `unix://${realpathSync(path)}`;
    } catch {
      return c.url;
    }
  };
  return socket(a) === socket(b);
}

const LABEL = /^([A-Za-z0-9][A-Za-z0-9_.+-]*)=(.*)$/;
const EXPECTED_URL = "expected unix:///path/to/docker.sock, tcp://host:port or ssh://user@host";

/** `--engine URL` or `--engine LABEL=URL` (a label holds no `:` or `/`, so a URL is never read as one). */
function fromEngineArg(value: string, env: NodeJS.ProcessEnv, home: string): EngineConnection {
  const labelled = LABEL.exec(value);
  const [key, raw] = labelled ? [labelled[1], labelled[2]] : [undefined, value];
  const origin = key ? `--engine ${key}` : "--engine";
  if (!raw.trim())
    throw new EngineInputError(`${origin}: empty value; ${EXPECTED_URL}, optionally LABEL=URL`);
  const connection = fromUrl(raw, origin, tlsFromEnv(env, home));
  return key ? { ...connection, key } : connection;
}

function fromContextArg(
  name: string,
  env: NodeJS.ProcessEnv,
  home: string,
  configDir: string,
): EngineConnection {
  if (!name.trim())
    throw new EngineInputError(
      '--context: empty value; expected the name of a docker context (see "docker context ls")',
    );
  // As in the docker CLI, "default" is the engine DOCKER_HOST or the default socket names.
  if (name === "default") return { ...defaultEngine(env, home), key: name, context: name };
  return { ...fromContext(name, "--context", configDir), key: name, context: name };
}

function defaultEngine(env: NodeJS.ProcessEnv, home: string): EngineConnection {
  if (env.DOCKER_HOST) return fromUrl(env.DOCKER_HOST, "DOCKER_HOST", tlsFromEnv(env, home));
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

function tlsFromEnv(env: NodeJS.ProcessEnv, home: string): Tls | undefined {
  const verify =
    env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" && env.DOCKER_TLS_VERIFY !== "0";
  if (!verify && !env.DOCKER_CERT_PATH) return undefined;
  const dir = env.DOCKER_CERT_PATH || join(home, ".docker");
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path))
      throw new EngineInputError(
        `DOCKER_CERT_PATH: ${path} does not exist; expected ca.pem, cert.pem and key.pem in ${dir}`,
      );
    return readFileSync(path);
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem"), verify };
}

function fromUrl(raw: string, origin: string, tls: Tls | undefined): EngineConnection {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EngineInputError(`${origin}: "${raw}" is not an engine address; ${EXPECTED_URL}`);
  }
  switch (url.protocol) {
    case "unix:": {
      const socketPath = decodeURIComponent(url.pathname);
      if (!socketPath || socketPath === "/")
        throw new EngineInputError(`${origin}: "${raw}" names no socket path; ${EXPECTED_URL}`);
      return { url: `unix://${socketPath}`, origin, options: { socketPath } };
    }
    case "tcp:":
    case "http:":
    case "https:": {
      if (!url.hostname) throw new EngineInputError(`${origin}: "${raw}" names no host; ${EXPECTED_URL}`);
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
          // SkipTLSVerify: still TLS, but the server's certificate is not checked (as docker --tlsverify=false).
          ...(tls && !tls.verify ? { agent: new HttpsAgent({ rejectUnauthorized: false }) } : {}),
        },
      };
    }
    case "ssh:": {
      if (!url.hostname) throw new EngineInputError(`${origin}: "${raw}" names no host; ${EXPECTED_URL}`);
      if (url.pathname && url.pathname !== "/")
        throw new EngineInputError(
          `${origin}: "${raw}" has a path after the host; expected ssh://user@host[:port]`,
        );
      const user = url.username ? decodeURIComponent(url.username) : undefined;
      const host = url.hostname.replace(/^\[|\]$/g, "");
      const port = url.port ? Number(url.port) : undefined;
      return {
        url: `ssh://${url.username ? `${url.username}@` : ""}${url.host}`,
        origin,
        // The agent carries HTTP over `ssh … docker system dial-stdio`; the host is only the Host header.
        options: { protocol: "http", host, ...(port ? { port } : {}), agent: sshAgent({ host, port, user }) },
      };
    }
    default:
      throw new EngineInputError(
        `${origin}: unsupported scheme "${url.protocol}" in "${raw}"; ${EXPECTED_URL}`,
      );
  }
}

function currentContext(configDir: string): string | undefined {
  const file = join(configDir, "config.json");
  if (!existsSync(file)) return undefined;
  try {
    const config = JSON.parse(readFileSync(file, "utf8")) as { currentContext?: unknown };
    return typeof config.currentContext === "string" ? config.currentContext : undefined;
  } catch (cause) {
    throw new EngineInputError(`${file}: not valid JSON; expected the docker CLI config`, { cause });
  }
}

interface ContextMeta {
  Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
}

/**
 * The docker CLI stores context `name` under `contexts/meta/<sha256(name)>/meta.json` and its TLS material
 * under `contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem`; TLS is on when there is material or
 * SkipTLSVerify is set (docker/cli context/docker/load.go).
 */
function fromContext(name: string, input: string, configDir: string): EngineConnection {
  const digest = createHash("sha256").update(name).digest("hex");
  const metaFile = join(configDir, "contexts", "meta", digest, "meta.json");
  const context = `${input} ${name}`;
  if (!existsSync(metaFile))
    throw new EngineInputError(
      `${context}: no such docker context (${metaFile} does not exist); expected a context "docker context ls" lists`,
    );
  let meta: ContextMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, "utf8")) as ContextMeta;
  } catch {
    throw new EngineInputError(
      `${context}: ${metaFile} is not valid JSON; expected a docker context's meta.json`,
    );
  }
  const endpoint = meta?.Endpoints?.docker;
  if (typeof endpoint?.Host !== "string" || !endpoint.Host)
    throw new EngineInputError(
      `${context}: ${metaFile} has no Endpoints.docker.Host; expected the engine's address`,
    );
  const skipVerify = endpoint.SkipTLSVerify === true;
  const tlsDir = join(configDir, "contexts", "tls", digest, "docker");
  const file = (name: string) =>
    existsSync(join(tlsDir, name)) ? readFileSync(join(tlsDir, name)) : undefined;
  const [ca, cert, key] = [file("ca.pem"), file("cert.pem"), file("key.pem")];
  if ((cert === undefined) !== (key === undefined))
    throw new EngineInputError(
      `${context}: ${join(tlsDir, cert ? "key.pem" : "cert.pem")} does not exist; expected cert.pem and key.pem together in ${tlsDir}`,
    );
  const tls = ca || cert || skipVerify ? { ca, cert, key, verify: !skipVerify } : undefined;
  return fromUrl(endpoint.Host, `context ${name}`, tls);
}
