import { dirname, join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { IncludeConfig, Lookup } from "../model/compose/index.ts";
import { ComposeError, mergeModels } from "../model/compose/index.ts";
import { applyExtends } from "./extends.ts";
import type { FileLoader, LoadedFile, Tree } from "./file-loader.ts";
import { readEnvFile } from "./read.ts";

/**
 * Loads `paths` in order and merges them as compose does with several `-f` files; each file's `extends`
 * and `include` are resolved before it is merged.
 */
export function loadMerged(
  paths: readonly string[],
  lookup: Lookup,
  loader: FileLoader,
  stack: readonly string[] = [],
): { tree: Tree; files: LoadedFile[] } {
  let tree: Tree = {};
  const files: LoadedFile[] = [];
  for (const path of paths) {
    const file = loader.load(path, lookup);
    files.push(file);
    const extended = applyExtends(file, lookup, loader);
    const included = applyInclude(extended, file, lookup, loader, [...stack, path]);
    tree = mergeModels(tree, included);
  }
  return { tree, files };
}

/**
 * `include:` loads each entry as its own project (its own directory and .env; the including environment
 * wins) and adds its services and networks; a service both define is an error, like compose's.
 */
function applyInclude(
  tree: Tree,
  file: LoadedFile,
  lookup: Lookup,
  loader: FileLoader,
  stack: string[],
): Tree {
  const entries = file.model.include ?? [];
  if (entries.length === 0) return tree;
  const out: Tree = {
    ...tree,
    services: { ...((tree.services ?? {}) as Tree) },
    networks: { ...((tree.networks ?? {}) as Tree) },
  };
  delete out.include;
  entries.forEach((entry, i) => {
    const at = file.source.locate(["include", i]);
    const cfg: IncludeConfig = typeof entry === "string" ? { path: entry } : entry;
    const paths = (Array.isArray(cfg.path) ? cfg.path : [cfg.path]).map((p) => resolve(file.dir, p));
    for (const p of paths)
      if (stack.includes(p))
        throw new ComposeError(
          `include: ${loader.display(p)} includes itself (cycle: ${[...stack, p].map((s) => loader.display(s)).join(" -> ")})`,
          at,
        );
    const projectDir = cfg.project_directory ? resolve(file.dir, cfg.project_directory) : dirname(paths[0]);
    const envFiles = cfg.env_file
      ? (Array.isArray(cfg.env_file) ? cfg.env_file : [cfg.env_file]).map((e) => ({
          path: resolve(file.dir, e),
          optional: false,
        }))
      : [{ path: join(projectDir, ".env"), optional: true }];
    const env: Record<string, string> = {};
    for (const e of envFiles) Object.assign(env, readEnvFile(e.path, loader.cwd, lookup, e.optional));
    const included = loadMerged(paths, (name) => lookup(name) ?? env[name], loader, stack).tree;
    for (const section of ["services", "networks"] as const) {
      const target = out[section] as Tree;
      for (const [key, value] of Object.entries((included[section] ?? {}) as Tree)) {
        if (key in target && !isDeepStrictEqual(target[key], value))
          throw new ComposeError(
            `include: ${paths.map((p) => loader.display(p)).join(", ")} defines ${section}.${key}, which ${file.source.file} also defines`,
            at,
          );
        target[key] = value;
      }
    }
  });
  return out;
}
