import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeContainers } from "../support/cleanup.ts";
import { docker } from "../support/docker-cli.ts";
import { ENGINE_URL } from "../support/engine.ts";
import { TEST_IMAGE, TEST_PREFIX } from "../support/scenario.ts";
import { startServe } from "../support/serve-process.ts";

/**
 * The package as a user gets it: `npm pack` from this checkout, `npm install ./reachgraph-<v>.tgz` into an
 * empty directory (from the npm registry), then `npx reachgraph …` there — never the checkout's files.
 */
const exec = promisify(execFile);
const checkout = process.cwd();
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const work = mkdtempSync(join(tmpdir(), "rg-package-"));
const app = join(work, "app");
const container = `${TEST_PREFIX}ship-${process.pid}-${Date.now().toString(36)}`;

const npx = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  exec("npx", ["reachgraph", ...args], { cwd: app, timeout: 60_000, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

beforeAll(async () => {
  for (const built of ["dist/server/cli.js", "dist/web/index.html"]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before this test`);
  }
  // --ignore-scripts: prepack would rebuild dist/web under the feet of the browser tests running alongside.
  const packed = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: checkout,
    timeout: 120_000,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  mkdirSync(app);
  await exec("npm", ["install", join(work, filename), "--no-audit", "--no-fund"], {
    cwd: app,
    timeout: 300_000,
  });
  await docker("run", "-d", "--name", container, "--network", "none", TEST_IMAGE, "sleep", "3600");
}, 480_000);

afterAll(async () => {
  await removeContainers([container]).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball, installed into an empty directory", () => {
  it("holds what runs (bin, dist, README, LICENSE) and installs only the runtime dependencies", () => {
    const installed = join(app, "node_modules", "reachgraph");
    expect(readdirSync(installed).sort()).toEqual(["LICENSE", "README.md", "bin", "dist", "package.json"]);
    expect(readdirSync(join(installed, "dist")).sort()).toEqual(["server", "web"]);
    const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    const ours = lock.packages["node_modules/reachgraph"];
    expect(Object.keys(ours.dependencies ?? {})).toEqual(Object.keys(pkg.dependencies));
    for (const name of Object.keys(pkg.dependencies))
      expect(existsSync(join(app, "node_modules", name))).toBe(true);
    // What the runtime dependencies pull in themselves (protobufjs brings @types/node, for one).
    const pulled = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path !== "" && entry !== ours)
        .flatMap(([, entry]) => Object.keys(entry.dependencies ?? {})),
    );
    // Bundled into dist/server, or development only: installed only if a runtime dependency needs it.
    for (const name of Object.keys(pkg.devDependencies)) {
      if (existsSync(join(app, "node_modules", name))) expect(pulled, name).toContain(name);
    }
    for (const bundled of ["express", "commander", "zod", "yaml", "d3", "tsx", "playwright-core"])
      expect(existsSync(join(app, "node_modules", bundled)), bundled).toBe(false);
  });

  it("npx reachgraph --version prints the package's version", async () => {
    expect(await npx(["--version"])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it("npx reachgraph matrix reads the real engine", async () => {
    const run = await npx(["matrix"], { DOCKER_HOST: ENGINE_URL });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^@host\n {2}reaches: /);
    expect(run.stdout).toContain(`\n${container}\n  reaches: nothing\n`);
  });

  it("npx reachgraph serve --demo serves the API and the page", async () => {
    const server = await startServe("npx", ["reachgraph", "serve", "--demo", "--port", "0"], app);
    const { url } = server;
    try {
      const health = (await (await fetch(`${url}/api/health`)).json()) as {
        ok: boolean;
        engine: { source: { kind: string } };
      };
      expect(health).toMatchObject({ ok: true, engine: { source: { kind: "example" } } });
      const page = await (await fetch(`${url}/`)).text();
      const script = /<script type="module"[^>]*src="([^"]+)"/.exec(page)?.[1];
      expect(script).toMatch(/^\/assets\/index-.*\.js$/);
      const asset = await fetch(`${url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("content-type")).toMatch(/javascript/);
      // The teaching examples are data files next to the bundle's chunks.
      const examples = (await (await fetch(`${url}/api/examples`)).json()) as { slug: string }[];
      expect(examples.length).toBeGreaterThan(0);
      expect((await fetch(`${url}/api/examples/${examples[0].slug}`)).status).toBe(200);
      // The rules reference the page's badges link to is data next to the chunks too.
      const rules = await fetch(`${url}/rules`);
      expect(rules.status).toBe(200);
      expect(await rules.text()).toContain('id="rule-ub-8"');
    } finally {
      await server.stop();
    }
  });

  it("lazily loaded parts work from the package: compose parsing and the exporters", async () => {
    const file = join(work, "compose.yaml");
    writeFileSync(file, "name: shipped\nservices:\n  web:\n    image: busybox\n");
    const compose = await npx(["compose", "--json", file]);
    expect(compose.code).toBe(0);
    expect(JSON.parse(compose.stdout)).toMatchObject({ containers: [{ name: "shipped-web-1" }] });
    const svg = await npx(["export", "--demo", "--format", "svg"]);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toMatch(/^<svg [^>]*width="\d+"/);
  });

  it("PNG export without the optional playwright-core says what to install", async () => {
    const run = await npx(["export", "--demo", "--format", "png", "--out", join(work, "x.png")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^reachgraph: --format png needs playwright-core next to reachgraph: npm install playwright-core: .*\n$/,
    );
  });
});
