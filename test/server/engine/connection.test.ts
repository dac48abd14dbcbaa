import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveEngine } from "../../../server/engine/connection.ts";

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
      options: { protocol: "ssh", host: "build-1", port: 2222, username: "ops" },
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
      /docker context "ghost": .* does not exist/,
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
    });
    cli("context", "use", "rgt-remote");
    expect(resolveEngine({ env: { DOCKER_CONFIG: config } })).toMatchObject({ url: "tcp://10.9.8.7:2375" });
    // DOCKER_HOST wins over the context, as in the docker CLI.
    expect(resolveEngine({ env: { DOCKER_CONFIG: config, DOCKER_HOST: "unix:///x.sock" } }).url).toBe(
      "unix:///x.sock",
    );
  });
});
