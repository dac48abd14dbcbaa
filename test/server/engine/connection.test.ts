import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineArg } from "../../../server/engine/connection.ts";
import { resolveEngine, resolveEngines } from "../../../server/engine/connection.ts";
import { sshCommand } from "../../../server/engine/ssh-transport.ts";
import { dockerConfig } from "../../support/docker-contexts.ts";
import { makeTlsFiles } from "../../support/tls-certs.ts";

const home = () => mkdtempSync(join(tmpdir(), "rgt-home-"));

describe("resolveEngine", () => {
  it("prefers --engine, then DOCKER_HOST, then the context, then the default socket", () => {
    const env = { DOCKER_HOST: "unix:///run/other.sock", DOCKER_CONTEXT: "nope" };
    expect(resolveEngine({ engine: "unix:///tmp/e.sock", env, home: home() })).toMatchObject({
      url: "unix:///tmp/e.sock",
      origin: "--engine",
      options: { socketPath: "/tmp/e.sock" },
    });
    expect(resolveEngine({ env, home: home() })).toMatchObject({
      url: "unix:///run/other.sock",
      origin: "DOCKER_HOST",
    });
    expect(resolveEngine({ env: {}, home: home() })).toMatchObject({
      url: "unix:///var/run/docker.sock",
      origin: "default socket",
    });
  });

  it("reads tcp addresses with the default ports, and TLS material from DOCKER_CERT_PATH", () => {
    expect(resolveEngine({ env: { DOCKER_HOST: "tcp://10.1.2.3" }, home: home() })).toMatchObject({
      url: "tcp://10.1.2.3:2375",
      options: { host: "10.1.2.3", port: 2375, protocol: "http" },
    });
    const certs = home();
    for (const f of ["ca.pem", "cert.pem", "key.pem"]) writeFileSync(join(certs, f), f);
    const tls = resolveEngine({
      env: { DOCKER_HOST: "tcp://docker.example:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs },
      home: home(),
    });
    expect(tls.options).toMatchObject({ host: "docker.example", port: 2376, protocol: "https" });
    expect(String(tls.options.ca)).toBe("ca.pem");
    expect(() =>
      resolveEngine({
        env: { DOCKER_HOST: "tcp://h:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: home() },
      }),
    ).toThrow(/DOCKER_CERT_PATH: .*ca\.pem does not exist/);
  });

  it("reads ssh addresses with the user", () => {
    expect(resolveEngine({ env: { DOCKER_HOST: "ssh://ops@build-1:2222" }, home: home() })).toMatchObject({
      url: "ssh://ops@build-1:2222",
      options: { protocol: "http", host: "build-1", port: 2222 },
    });
  });

  it("names the bad input and what is expected", () => {
    expect(() => resolveEngine({ engine: "not a url" })).toThrow(
      /--engine: "not a url" is not an engine address; expected unix:/,
    );
    expect(() => resolveEngine({ env: { DOCKER_HOST: "ftp://x" } })).toThrow(
      /DOCKER_HOST: unsupported scheme "ftp:"/,
    );
    expect(() => resolveEngine({ env: { DOCKER_CONTEXT: "ghost" }, home: home() })).toThrow(
      /^DOCKER_CONTEXT ghost: no such docker context \(.* does not exist\)/,
    );
  });

  it("follows a context made by the real docker CLI, by DOCKER_CONTEXT and by currentContext", () => {
    const config = home();
    const cli = (...args: string[]) =>
      execFileSync("/usr/bin/docker", args, {
        env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: "" },
      });
    cli("context", "create", "rgt-remote", "--docker", "host=tcp://10.9.8.7:2375");
    expect(resolveEngine({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: "rgt-remote" } })).toMatchObject({
      url: "tcp://10.9.8.7:2375",
      origin: "context rgt-remote",
      // The context's name labels the engine on the map, as with --context.
      key: "rgt-remote",
    });
    cli("context", "use", "rgt-remote");
    expect(resolveEngine({ env: { DOCKER_CONFIG: config } })).toMatchObject({ url: "tcp://10.9.8.7:2375" });
    // DOCKER_HOST wins over the context, as in the docker CLI.
    expect(resolveEngine({ env: { DOCKER_CONFIG: config, DOCKER_HOST: "unix:///x.sock" } }).url).toBe(
      "unix:///x.sock",
    );
  });
});

describe("resolveEngines", () => {
  const engines = (...given: [EngineArg["flag"], string][]) =>
    given.map(([flag, value]) => ({ flag, value }));

  it("without --engine or --context is the single engine resolveEngine finds", () => {
    const env = { DOCKER_HOST: "unix:///run/other.sock" };
    expect(resolveEngines({ engines: [], env, home: home() })).toEqual([
      resolveEngine({ env, home: home() }),
    ]);
  });

  it("keeps the order given across both flags, with the context name or LABEL= as key", () => {
    const config = dockerConfig();
    config.docker("context", "create", "rgt-b", "--docker", "host=tcp://10.9.8.7:2375");
    const resolved = resolveEngines({
      engines: engines(
        ["--engine", "unix:///run/a.sock"],
        ["--context", "rgt-b"],
        ["--engine", "node1=unix:///run/c=d.sock"],
        ["--engine", "unix:///run/e=f.sock"],
      ),
      env: { DOCKER_CONFIG: config.dir },
    });
    expect(resolved.map(({ url, origin, key }) => ({ url, origin, key }))).toEqual([
      { url: "unix:///run/a.sock", origin: "--engine", key: undefined },
      { url: "tcp://10.9.8.7:2375", origin: "context rgt-b", key: "rgt-b" },
      { url: "unix:///run/c=d.sock", origin: "--engine node1", key: "node1" },
      // "unix:///run/e" holds ":" and "/": a URL, not a label.
      { url: "unix:///run/e=f.sock", origin: "--engine", key: undefined },
    ]);
  });

  it('reads "--context default" as the docker CLI does: DOCKER_HOST, else the default socket', () => {
    const [fromEnv] = resolveEngines({
      engines: engines(["--context", "default"]),
      env: { DOCKER_HOST: "tcp://10.1.1.1:2375" },
      home: home(),
    });
    expect(fromEnv).toMatchObject({ url: "tcp://10.1.1.1:2375", key: "default" });
    const [socket] = resolveEngines({ engines: engines(["--context", "default"]), env: {}, home: home() });
    expect(socket).toMatchObject({ url: "unix:///var/run/docker.sock", key: "default" });
  });

  it("reads a context's TLS material and SkipTLSVerify as the docker CLI stored them", () => {
    const certs = makeTlsFiles();
    const config = dockerConfig();
    const files = `ca=${certs.ca},cert=${certs.clientCert},key=${certs.clientKey}`;
    config.docker("context", "create", "rgt-tls", "--docker", `host=tcp://127.0.0.1:2376,${files}`);
    config.docker("context", "create", "rgt-ca", "--docker", `host=tcp://127.0.0.1:2377,ca=${certs.ca}`);
    config.docker(
      "context",
      "create",
      "rgt-skip",
      "--docker",
      "host=tcp://127.0.0.1:2378,skip-tls-verify=true",
    );
    const [tls, ca, skip] = resolveEngines({
      engines: engines(["--context", "rgt-tls"], ["--context", "rgt-ca"], ["--context", "rgt-skip"]),
      env: { DOCKER_CONFIG: config.dir },
    });
    expect(tls.options).toMatchObject({ protocol: "https", host: "127.0.0.1", port: 2376 });
    expect([tls.options.ca, tls.options.cert, tls.options.key].map(String)).toEqual(
      [certs.ca, certs.clientCert, certs.clientKey].map((f) => readFileSync(f, "utf8")),
    );
    expect(tls.options.agent).toBeUndefined();
    expect(ca.options).toMatchObject({ protocol: "https" });
    expect(ca.options.cert).toBeUndefined();
    // SkipTLSVerify: TLS without checking the server's certificate.
    expect(skip.options.protocol).toBe("https");
    expect(skip.options.agent).toBeInstanceOf(HttpsAgent);
    expect((skip.options.agent as HttpsAgent).options.rejectUnauthorized).toBe(false);
  });

  it("reaches an ssh:// context through the user's ssh client running docker system dial-stdio", () => {
    const config = dockerConfig();
    config.docker("context", "create", "rgt-ssh", "--docker", "host=ssh://ops@build-1:2222");
    const [ssh] = resolveEngines({
      engines: engines(["--context", "rgt-ssh"]),
      env: { DOCKER_CONFIG: config.dir },
    });
    expect(ssh).toMatchObject({
      url: "ssh://ops@build-1:2222",
      key: "rgt-ssh",
      options: { protocol: "http" },
    });
    expect(ssh.options.agent).toBeInstanceOf(Agent);
    expect(sshCommand({ host: "build-1", port: 2222, user: "ops" })).toEqual(
      "ssh -o ConnectTimeout=30 -o BatchMode=yes -T -l ops -p 2222 -- build-1 docker system dial-stdio".split(
        " ",
      ),
    );
  });

  it.each([
    [engines(["--engine", ""]), /^--engine: empty value; expected unix:\/\/\/path/],
    [engines(["--engine", "node1="]), /^--engine node1: empty value; expected unix:/],
    [engines(["--context", ""]), /^--context: empty value; expected the name of a docker context/],
    [engines(["--engine", "npipe:////./pipe/docker"]), /^--engine: unsupported scheme "npipe:" in "npipe:/],
    [engines(["--engine", "ssh://h/var/run"]), /^--engine: "ssh:\/\/h\/var\/run" has a path after the host/],
    [
      engines(["--context", "rgt-ghost"]),
      /^--context rgt-ghost: no such docker context \(.*meta\.json does not exist\); expected a context "docker context ls" lists$/,
    ],
  ])("refuses %j, naming the input and what was expected", (given, message) => {
    const config = dockerConfig();
    expect(() => resolveEngines({ engines: given, env: { DOCKER_CONFIG: config.dir } })).toThrow(
      expect.objectContaining({ name: "EngineInputError", message: expect.stringMatching(message) }),
    );
  });

  it("refuses a context whose meta.json is not JSON, or whose key.pem is gone", () => {
    const certs = makeTlsFiles();
    const config = dockerConfig();
    config.docker("context", "create", "rgt-bad", "--docker", "host=tcp://10.0.0.1:2375");
    const files = `ca=${certs.ca},cert=${certs.clientCert},key=${certs.clientKey}`;
    config.docker("context", "create", "rgt-nokey", "--docker", `host=tcp://10.0.0.1:2376,${files}`);
    writeFileSync(config.paths("rgt-bad").meta, "{ not json");
    rmSync(join(config.paths("rgt-nokey").tls, "key.pem"));
    const resolve = (name: string) => () =>
      resolveEngines({ engines: engines(["--context", name]), env: { DOCKER_CONFIG: config.dir } });
    expect(resolve("rgt-bad")).toThrow(
      /^--context rgt-bad: .*meta\.json is not valid JSON; expected a docker context's meta\.json$/,
    );
    expect(resolve("rgt-nokey")).toThrow(
      /^--context rgt-nokey: .*\/docker\/key\.pem does not exist; expected cert\.pem and key\.pem together in /,
    );
  });

  it("refuses one engine given twice, by any mix of flags and paths, and a label given twice", () => {
    const sockets = home();
    writeFileSync(join(sockets, "engine.sock"), "");
    symlinkSync(join(sockets, "engine.sock"), join(sockets, "alias.sock"));
    const config = dockerConfig();
    config.docker("context", "create", "rgt-same", "--docker", `host=unix://${sockets}/alias.sock`);
    const resolve =
      (...given: [EngineArg["flag"], string][]) =>
      () =>
        resolveEngines({ engines: engines(...given), env: { DOCKER_CONFIG: config.dir } });
    expect(resolve(["--engine", `unix://${sockets}/engine.sock`], ["--context", "rgt-same"])).toThrow(
      `--engine unix://${sockets}/engine.sock and --context rgt-same name the same engine (unix://${sockets}/alias.sock); give each engine once`,
    );
    expect(resolve(["--context", "rgt-same"], ["--context", "rgt-same"])).toThrow(/name the same engine/);
    expect(resolve(["--engine", "a=tcp://10.0.0.1:2375"], ["--engine", "a=tcp://10.0.0.2:2375"])).toThrow(
      '--engine a=tcp://10.0.0.1:2375 and --engine a=tcp://10.0.0.2:2375 both use the label "a"; expected a different label per engine',
    );
  });
});
