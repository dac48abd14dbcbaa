import { dirname } from "node:path";
import type { ComposeModel, Locate, Lookup, ModelPath, SourceFile } from "../model/compose/index.ts";
import {
  ComposeError,
  checkServices,
  formatPath,
  interpolateTree,
  parseComposeYaml,
  validateModel,
} from "../model/compose/index.ts";
import { displayPath, readText } from "./read.ts";

export type Tree = Record<string, unknown>;

/** One compose file, interpolated with one environment and validated. */
export interface LoadedFile {
  path: string;
  dir: string;
  source: SourceFile;
  /** The interpolated tree (what merges operate on). */
  raw: Tree;
  model: ComposeModel;
}

/** Reads and parses each file once; interpolation depends on the environment, so it runs per load. */
export class FileLoader {
  private readonly parsed = new Map<string, SourceFile>();
  /** Every file loaded, for locating positions in merged models. */
  readonly loaded: LoadedFile[] = [];

  constructor(readonly cwd: string) {}

  display(path: string): string {
    return displayPath(path, this.cwd);
  }

  parse(path: string, at?: ReturnType<Locate>): SourceFile {
    let source = this.parsed.get(path);
    if (!source) {
      const label = this.display(path);
      source = parseComposeYaml(readText(path, label, at), label);
      this.parsed.set(path, source);
    }
    return source;
  }

  /** Parses, interpolates and validates `path`; every problem names the file, line and column. */
  load(path: string, lookup: Lookup, at?: ReturnType<Locate>): LoadedFile {
    const source = this.parse(path, at);
    const raw = interpolateTree(source.value, lookup, (p, error) => {
      throw new ComposeError(`${formatPath(p)}: ${error.message}`, source.locate(p) ?? { file: source.file });
    });
    const model = validateModel(raw, source.locate, source.file);
    checkServices(model, source.locate, source.file);
    const file: LoadedFile = { path, dir: dirname(path), source, raw: raw as Tree, model };
    this.loaded.push(file);
    return file;
  }

  /** The position of a path in a merged model: the file that holds most of it, later files first. */
  locate(files: readonly LoadedFile[]): Locate {
    return (path: ModelPath, key?: boolean) => {
      let best: { depth: number; file: LoadedFile } | undefined;
      for (const file of [...files].reverse()) {
        const depth = file.source.depth(path);
        if (!best || depth > best.depth) best = { depth, file };
      }
      return best?.file.source.locate(path, key);
    };
  }
}
