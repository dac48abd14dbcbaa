import { resolve } from "node:path";
import type { Lookup } from "../model/compose/index.ts";
import { ComposeError, extendService } from "../model/compose/index.ts";
import type { FileLoader, LoadedFile, Tree } from "./file-loader.ts";

/** Keys a service never inherits through `extends` (compose docs: "never shared"). */
const NOT_INHERITED = ["depends_on", "volumes_from"];

/** Resolves every service's `extends` (same file or `file:`), recursively; returns the file's tree. */
export function applyExtends(file: LoadedFile, lookup: Lookup, loader: FileLoader): Tree {
  const services = (file.raw.services ?? {}) as Record<string, Tree | null>;
  if (!Object.values(services).some((s) => s && "extends" in s)) return file.raw;
  const out: Record<string, Tree> = {};
  for (const name of Object.keys(services)) out[name] = resolveService(file, name, lookup, loader, []);
  return { ...file.raw, services: out };
}

function resolveService(
  file: LoadedFile,
  name: string,
  lookup: Lookup,
  loader: FileLoader,
  stack: string[],
): Tree {
  const services = (file.raw.services ?? {}) as Record<string, Tree | null>;
  const svc = services[name] ?? {};
  const ext = svc.extends as string | { service: string; file?: string } | undefined;
  if (ext === undefined) return svc;
  const at = file.source.locate(["services", name, "extends"]);
  const key = `${file.path}#${name}`;
  if (stack.includes(key))
    throw new ComposeError(
      `services.${name}.extends: circular reference: ${[...stack, key].map((k) => k.split("#")[1]).join(" -> ")}`,
      at,
    );
  const { service: baseName, file: baseFile } =
    typeof ext === "string" ? { service: ext, file: undefined } : ext;
  const baseLoaded = baseFile
    ? loader.load(
        resolve(file.dir, baseFile),
        lookup,
        file.source.locate(["services", name, "extends", "file"]),
      )
    : file;
  const baseServices = (baseLoaded.raw.services ?? {}) as Record<string, unknown>;
  if (!(baseName in baseServices))
    throw new ComposeError(
      `services.${name}.extends: cannot extend service ${JSON.stringify(baseName)}: no such service in ${baseLoaded.source.file}`,
      at,
    );
  const base = { ...resolveService(baseLoaded, baseName, lookup, loader, [...stack, key]) };
  for (const k of NOT_INHERITED) delete base[k];
  const own = { ...svc };
  delete own.extends;
  return extendService(base, own);
}
