import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../../../server/model/snapshot.ts";
import { run } from "../../support/docker-cli.ts";
import { dockerConfig } from "../../support/docker-contexts.ts";
import { ENGINE_URL, requireEngine } from "../../support/engine.ts";
import { SLEEP, TEST_IMAGE, TEST_PREFIX } from "../../support/scenario.ts";
import { startServe } from "../../support/serve-process.ts";
import type { Sshd } from "../../support/sshd.ts";
import { startSshd } from "../../support/sshd.ts";
import { makeTlsFiles } from "../../support/tls-certs.ts";
import { startTlsForwarder } from "../../support/tls-forwarder.ts";

const exec = promisify(execFile);
/** The built binary, as a user runs it; resolves with the exit code, whatever it is. */
const reachgraph = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  exec("node", ["bin/reachgraph", ...args], {
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

/** node2 of the real swarm (COMMON.md): a worker engine on its own socket, read-only here. */
const NODE2_URL = "unix:///run/docker-node2.sock";
const prefix = `${TEST_PREFIX}src${randomBytes(3).toString("hex")}-`;
const ON_MAIN = `${prefix}main`;
const ON_NODE2 = `${prefix}node2`;
const ON_BOTH = `${prefix}both`;
const docker = (url: string, ...args: string[]) => run("/usr/bin/docker", ["--host", url, ...args]);
const config = dockerConfig();
let hostnames: { main: string; node2: string };

const names = (snapshot: Snapshot) =>
  snapshot.topology.containers
    .map((c) => ({ name: c.name, engine: c.engine }))
    .filter((c) => c.name.startsWith(prefix));

beforeAll(async () => {
  await requireEngine();
  const started: Promise<string>[] = [];
  for (const [url, name] of [
    [ENGINE_URL, ON_MAIN],
    [NODE2_URL, ON_NODE2],
    [ENGINE_URL, ON_BOTH],
    [NODE2_URL, ON_BOTH],
  ])
    started.push(docker(url, "run", "-d", "--name", name, "--network", "none", TEST_IMAGE, ...SLEEP));
  await Promise.all(started);
  const name = async (url: string) => (await docker(url, "info", "--format", "{{.Name}}")).trim();
  hostnames = { main: await name(ENGINE_URL), node2: await name(NODE2_URL) };
  config.docker("context", "create", `${prefix}n2`, "--docker", `host=${NODE2_URL}`);
  config.docker("context", "create", `${prefix}broken`, "--docker", "host=tcp://10.0.0.1:2375");
  writeFileSync(config.paths(`${prefix}broken`).meta, "{ not json");
});

afterAll(async () => {
  await Promise.all([
    docker(ENGINE_URL, "rm", "-f", ON_MAIN, ON_BOTH).catch(() => undefined),
    docker(NODE2_URL, "rm", "-f", ON_NODE2, ON_BOTH).catch(() => undefined),
  ]);
});

describe("several engines on the command line", () => {
  it("matrix --engine … --engine … shows both engines' containers, colliding names as name@node", async () => {
    const r = await reachgraph(["matrix", "--engine", ENGINE_URL, "--engine", NODE2_URL]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const sources = r.stdout.split("\n").filter((line) => line.startsWith(prefix));
    expect(sources.sort()).toEqual(
      [ON_MAIN, ON_NODE2, `${ON_BOTH}@${hostnames.main}`, `${ON_BOTH}@${hostnames.node2}`].sort(),
    );
  });

  it("snapshot mixes --context and --engine, each container carrying its engine", async () => {
    const r = await reachgraph(["snapshot", "--context", `${prefix}n2`, "--engine", ENGINE_URL], {
      DOCKER_CONFIG: config.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.topology.engines.map((e) => e.url)).toEqual([NODE2_URL, ENGINE_URL]);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(names(snapshot).sort(byName)).toEqual(
      [
        { name: `${ON_BOTH}@${hostnames.main}`, engine: hostnames.main },
        { name: `${ON_BOTH}@${hostnames.node2}`, engine: hostnames.node2 },
        { name: ON_MAIN, engine: hostnames.main },
        { name: ON_NODE2, engine: hostnames.node2 },
      ].sort(byName),
    );
  });

  it("serve --engine … --context default reads both engines live, in the order given", async () => {
    const serve = await startServe("node", [
      "bin/reachgraph",
      "serve",
      "--port",
      "0",
      "--engine",
      `n2=${NODE2_URL}`,
      "--context",
      "default",
    ]);
    try {
      const health = (await (await fetch(new URL("/api/health", serve.url))).json()) as {
        engine: { engines: { key: string; url: string; reachable: boolean }[] };
      };
      // Swarm members are named by their node's hostname, whatever label they were given.
      expect(health.engine.engines.map(({ key, url }) => ({ key, url }))).toEqual([
        { key: hostnames.node2, url: NODE2_URL },
        { key: hostnames.main, url: "unix:///var/run/docker.sock" },
      ]);
    } finally {
      await serve.stop();
    }
  });

  it.each([
    [["--engine", ""], /^reachgraph: --engine: empty value; expected unix:/],
    [["--context", ""], /^reachgraph: --context: empty value; expected the name of a docker context/],
    [
      ["--engine", "ftp://x"],
      /^reachgraph: --engine: unsupported scheme "ftp:" in "ftp:\/\/x"; expected unix:/,
    ],
    [["--context", `${prefix}ghost`], /^reachgraph: --context rgt-\S+ghost: no such docker context \(/],
    [
      ["--context", `${prefix}broken`],
      /^reachgraph: --context rgt-\S+broken: \S+meta\.json is not valid JSON;/,
    ],
    [
      ["--engine", ENGINE_URL, "--engine", "unix:///run/docker.sock"],
      /^reachgraph: --engine unix:\/\/\/var\/run\/docker\.sock and --engine unix:\/\/\/run\/docker\.sock name the same engine/,
    ],
    [
      ["--engine", ENGINE_URL, "--demo"],
      /^reachgraph: --demo and --engine exclude each other: pick one source\n$/,
    ],
    [
      ["--context", `${prefix}n2`, "--snapshot", "x.json"],
      /^reachgraph: --snapshot and --context exclude each other/,
    ],
  ])("matrix %j: one line, exit 2", async (args, message) => {
    const r = await reachgraph(["matrix", ...args], { DOCKER_CONFIG: config.dir });
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it.each([["serve"], ["snapshot"], ["why"], ["probe"], ["export"], ["diff"]])(
    "%s takes the same flags and refuses the same way",
    async (command) => {
      const extra =
        { why: ["a", "b"], export: ["--format", "json"], diff: ["--compose", "examples/shop"] }[command] ??
        [];
      const r = await reachgraph([command, ...extra, "--engine", ENGINE_URL, "--context", `${prefix}ghost`], {
        DOCKER_CONFIG: config.dir,
      });
      expect(r.stderr).toMatch(/^reachgraph: --context rgt-\S+ghost: no such docker context/);
      expect(r.code).toBe(2);
    },
  );
});

describe("a TLS context (dockerd --tlsverify's protocol, through a TLS forwarder to the engine's socket)", () => {
  const tls = makeTlsFiles();
  const other = makeTlsFiles();
  let forwarder: { url: string; close(): Promise<void> };
  const tlsConfig = dockerConfig();

  beforeAll(async () => {
    forwarder = await startTlsForwarder(tls, "/var/run/docker.sock");
    const host = `host=${forwarder.url}`;
    const client = `cert=${tls.clientCert},key=${tls.clientKey}`;
    tlsConfig.docker("context", "create", `${prefix}tls`, "--docker", `${host},ca=${tls.ca},${client}`);
    tlsConfig.docker("context", "create", `${prefix}wrongca`, "--docker", `${host},ca=${other.ca},${client}`);
    tlsConfig.docker(
      "context",
      "create",
      `${prefix}skip`,
      "--docker",
      `${host},${client},skip-tls-verify=true`,
    );
    tlsConfig.docker("context", "create", `${prefix}nocert`, "--docker", `${host},ca=${tls.ca}`);
  });
  afterAll(() => forwarder?.close());

  it("reads the engine over mutual TLS, as the docker CLI does with the same context", async () => {
    // The same context through the real docker CLI: the forwarder is a faithful TLS engine.
    const listed = await tlsConfig.dockerAsync(
      "--context",
      `${prefix}tls`,
      "ps",
      "--filter",
      `name=${ON_MAIN}`,
      "--format",
      "{{.Names}}",
    );
    expect(listed.trim()).toBe(ON_MAIN);
    const r = await reachgraph(["snapshot", "--context", `${prefix}tls`], { DOCKER_CONFIG: tlsConfig.dir });
    expect(r.code, r.stderr).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.topology.engines.map((e) => [e.url, e.key])).toEqual([[forwarder.url, hostnames.main]]);
    expect(names(snapshot).map((c) => c.name)).toContain(ON_MAIN);
  });

  it("checks the server's certificate unless the context says SkipTLSVerify", async () => {
    const wrong = await reachgraph(["snapshot", "--context", `${prefix}wrongca`], {
      DOCKER_CONFIG: tlsConfig.dir,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^reachgraph: [a-z /]+ from tcp:\/\/127\.0\.0\.1:\d+ failed: .*(certificate|SELF_SIGNED|UNABLE_TO_VERIFY)/im,
    );
    const skip = await reachgraph(["snapshot", "--context", `${prefix}skip`], {
      DOCKER_CONFIG: tlsConfig.dir,
    });
    expect(skip.code, skip.stderr).toBe(0);
    expect(names(JSON.parse(skip.stdout) as Snapshot).map((c) => c.name)).toContain(ON_MAIN);
  });

  it("is refused by the engine without a client certificate", async () => {
    const r = await reachgraph(["snapshot", "--context", `${prefix}nocert`], {
      DOCKER_CONFIG: tlsConfig.dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^reachgraph: [a-z /]+ from tcp:\/\/127\.0\.0\.1:\d+ failed: .*certificate required/m,
    );
  });
});

describe("an ssh context (a real sshd on 127.0.0.1; docker system dial-stdio on the far side)", () => {
  let sshd: Sshd;
  const sshConfig = dockerConfig();

  beforeAll(async () => {
    sshd = await startSshd();
    sshConfig.docker(
      "context",
      "create",
      `${prefix}ssh`,
      "--docker",
      `host=ssh://root@127.0.0.1:${sshd.port}`,
    );
  });
  afterAll(() => sshd?.stop());

  const env = (bin: string) => ({ DOCKER_CONFIG: sshConfig.dir, PATH: `${bin}:${process.env.PATH ?? ""}` });

  it("reads the engine through the user's ssh client, known_hosts and key", async () => {
    const r = await reachgraph(
      ["matrix", "--context", `${prefix}ssh`, "--engine", NODE2_URL],
      env(sshd.binDir),
    );
    expect(r.code, r.stderr).toBe(0);
    const sources = r.stdout.split("\n").filter((line) => line.startsWith(prefix));
    expect(sources).toEqual(expect.arrayContaining([ON_MAIN, ON_NODE2]));
  });

  it("refuses a server whose host key the client does not know, in one line", async () => {
    const r = await reachgraph(["snapshot", "--context", `${prefix}ssh`], env(sshd.strangerBinDir));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^reachgraph: [a-z /]+ from ssh:\/\/root@127\.0\.0\.1:\d+ failed: ssh to 127\.0\.0\.1 exited with code 255: Host key verification failed\./m,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
