import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import type { Locate, ModelPath, Position } from "./errors.ts";
import { ComposeError } from "./errors.ts";

/** One parsed compose file: its plain value and a way back from a model path to a line and column. */
export interface SourceFile {
  /** The name used in messages (as the user gave it, or relative to the working directory). */
  file: string;
  value: unknown;
  locate: Locate;
  /** How many keys of `path` were found before falling back to an ancestor (to pick the best of several files). */
  depth: (path: ModelPath) => number;
}

/**
 * Parses one compose file as YAML 1.1-style compose does: anchors, aliases and `<<` merge keys.
 * Syntax errors become {@link ComposeError}s with the file, line and column of the first problem.
 */
export function parseComposeYaml(text: string, file: string): SourceFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const [start] = first.pos;
    const { line, col } = lineCounter.linePos(start);
    throw new ComposeError(yamlProblem(first.code, first.message), { file, line, col });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (cause) {
    throw new ComposeError(`invalid YAML: ${(cause as Error).message}`, { file });
  }
  const find = locator(doc, lineCounter, file);
  return { file, value, locate: (path, key) => find(path, key).position, depth: (path) => find(path).depth };
}

function yamlProblem(code: string, message: string): string {
  const firstLine = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  if (code === "DUPLICATE_KEY") return `invalid YAML: ${firstLine.toLowerCase()}`;
  return `invalid YAML: ${firstLine.charAt(0).toLowerCase()}${firstLine.slice(1)}`;
}

/** Maps a model path to the node that holds it, falling back to the deepest ancestor found (aliases, merges). */
function locator(
  doc: Document,
  lines: LineCounter,
  file: string,
): (path: ModelPath, key?: boolean) => { position: Position | undefined; depth: number } {
  return (path, wantKey) => {
    let node: unknown = doc.contents;
    let position = positionOf(node, lines, file);
    let depth = 0;
    for (const [i, key] of path.entries()) {
      const next = child(node, key, wantKey === true && i === path.length - 1);
      if (next === undefined) break;
      node = next;
      depth++;
      position = positionOf(node, lines, file) ?? position;
    }
    return { position, depth };
  };
}

function child(node: unknown, key: string | number, wantKey: boolean): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
    if (!pair) return undefined;
    // A key with no value (`web:`) is positioned at its key.
    return wantKey ? pair.key : (pair.value ?? pair.key);
  }
  if (isSeq(node) && typeof key === "number") return node.items[key];
  // A list written where compose allows a mapping (`networks: [a, b]`): the entry named `key`.
  if (isSeq(node)) return node.items.find((item) => isScalar(item) && String(item.value) === key);
  return undefined;
}

function positionOf(node: unknown, lines: LineCounter, file: string): Position | undefined {
  if (!isNode(node)) return undefined;
  const range = (node as Node).range;
  if (!range) return undefined;
  const { line, col } = lines.linePos(range[0]);
  return { file, line, col };
}
