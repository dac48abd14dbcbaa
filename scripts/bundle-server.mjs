/**
 * Bundles the server and the CLI into dist/server with esbuild (`npm run build` runs it after `vite build`).
 * esbuild rather than a Vite library build: one call, a fraction of a second, no second config for Node.
 * One ESM entry, code-split, so each `import()` in the sources becomes a chunk read only when used.
 * Bundled: every pure-JS dependency (commander, express, zod, yaml, d3's layout). External, installed as the
 * package's dependencies: dockerode (its SSH transport has optional native parts, ssh2 and cpu-features) and
 * playwright-core (an optional peer that PNG export loads from its own files).
 */
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";

const OUT_DIR = "dist/server";

// Written over the previous bundle, not after deleting it: a running `serve` or test keeps finding cli.js and
// the unchanged chunks it may still import lazily; chunks of the previous build that are gone are removed after.
const { metafile } = await build({
  entryPoints: { cli: "server/cli/main.ts" },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external: ["dockerode", "playwright-core"],
  // Chunks sit next to the entry, at the depth of the sources: server/http/server.ts finds dist/web as ../../dist/web.
  chunkNames: "[name]-[hash]",
  // Bundled CommonJS dependencies (express) call require() for Node's built-in modules.
  banner: {
    js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
  },
  sourcemap: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const written = new Set(Object.keys(metafile.outputs).map((path) => relative(OUT_DIR, path)));
const DATA = ["recorded-engine.json", "examples", "rules.md", "THIRD-PARTY-LICENSES.txt"];
for (const name of readdirSync(OUT_DIR))
  if (!written.has(name) && !DATA.includes(name)) rmSync(join(OUT_DIR, name), { recursive: true });

// server/example/*.ts read their recordings next to themselves; in the bundle that is next to the chunks.
cpSync("server/example/recorded-engine.json", `${OUT_DIR}/recorded-engine.json`);
cpSync("server/example/examples", `${OUT_DIR}/examples`, { recursive: true });
cpSync("docs/rules.md", `${OUT_DIR}/rules.md`);

// The bundle carries other people's code: ship each bundled package's licence with it.
const packages = new Set(
  Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => {
      const found = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      return found && bytesInOutput > 0 ? [found[1]] : [];
    }),
  ),
);
const notices = new Map();
for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)/i.test(name));
  const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${pkg.license}`;
  notices.set(`${pkg.name}@${pkg.version}`, `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`);
}
writeFileSync(
  `${OUT_DIR}/THIRD-PARTY-LICENSES.txt`,
  `reachgraph's dist/server bundles these packages:\n\n${[...notices.keys()]
    .sort()
    .map((key) => notices.get(key))
    .join(`\n${"-".repeat(72)}\n\n`)}`,
);
