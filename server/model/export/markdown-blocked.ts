import { explainIndices, HOST, targetVisitor, toJsonPair } from "../reachability/index.ts";
import type { MatrixJsonPair } from "../reachability/index.ts";
import { blockedSummary } from "./markdown-blocked-summary.ts";
import { mdCode, mdText } from "../escape/markdown.ts";
import { quoteShell } from "../escape/shell.ts";
import { engineName } from "../topology.ts";
import type { ExportView } from "./view.ts";
import { shownMask } from "./view.ts";

export const SOURCE = "{source}";
export const TARGET = "{target}";
/** A name as a fix command quotes it (`quoteShell`): filled back quoted, so the command stays one word. */
const SOURCE_WORD = "\u0000source\u0000";
const TARGET_WORD = "\u0000target\u0000";
/** The name as the end's own engine knows it (`twin`, not the map's `twin@node2`): what a fleet's commands use. */
const SOURCE_ENGINE_WORD = "\u0000source-engine\u0000";
const TARGET_ENGINE_WORD = "\u0000target-engine\u0000";
/** Up to this many blocked pairs every one is explained; beyond, `blockedSummary` groups by wiring. */
export const EXACT_LIMIT = 5000;
const EVERYONE = "*";

/** One cause of blocked pairs: the same reasons and fix, for a set of sources and a set of targets. */
interface Cause {
  reasons: { rule: string; text: string }[];
  fix?: { commands: string[]; text: string };
  sources: number[];
  /** Target indices (-1 = host), or null for "every other shown container and the host". */
  targets: number[] | null;
}

/**
 * Every blocked pair with its reason and fix, grouped by cause: per source, targets with the same reasons and
 * fix form one entry, and sources whose entries match (replicas, peers on the same networks) share it. Pair
 * names inside reasons and fixes read `{source}` and `{target}`, so one entry covers many pairs.
 */
export function blockedSection(view: ExportView, blockedPairs: number): string[] {
  if (blockedPairs > EXACT_LIMIT) return blockedSummary(view);
  const causes = blockedCauses(view);
  const out = ["## Blocked pairs", ""];
  if (!causes.length) return [...out, "No pair is blocked."];
  out.push(
    `${SOURCE} and ${TARGET} stand for each pair's source and target. Fix commands are the smallest change that makes the pair reachable; \`reachgraph why\` shows all layers.`,
    "",
  );
  const position = new Map(view.indices.map((i, k) => [i, k]));
  const name = (i: number): string => (i < 0 ? HOST : view.containers[position.get(i) ?? 0].name);
  const names = (i: number): Names => namesOf(view, i);
  for (const c of causes) {
    const fill = (s: string): string =>
      fillTemplate(
        s,
        c.sources.length === 1 ? names(c.sources[0]) : undefined,
        c.targets?.length === 1 ? names(c.targets[0]) : undefined,
      );
    const to =
      c.targets === null
        ? "every other container and the host"
        : c.targets.map((t) => mdCode(name(t))).join(", ");
    const pairs = c.targets === null ? 0 : c.sources.length * c.targets.length;
    const count = pairs > 1 ? ` (${pairs} pairs)` : "";
    // No emphasis between two code spans: marked pairs the fences of neighbouring spans whose names hold
    // backticks, and would drop an emphasis between them.
    out.push(`- **From** ${c.sources.map((s) => mdCode(name(s))).join(", ")} → ${to}${count}`);
    for (const r of c.reasons) out.push(`  - [${mdText(r.rule)}] ${mdText(fill(r.text))}`);
    if (c.fix) out.push(...fixLines(c.fix, fill, "  "));
  }
  return out;
}

/** The blocked pairs of the view, explained once each and grouped by cause; deterministic order. */
export function blockedCauses(view: ExportView): Cause[] {
  const shown = shownMask(view);
  const index = view.reach.index;
  const visit = targetVisitor(view.reach);
  const all = [-1, ...view.indices];
  const byKey = new Map<string, Cause>();
  for (const s of view.sources) {
    const blocked: number[] = [];
    visit(s, (to, v) => void (v === "blocked" && (to < 0 || shown[to]) && blocked.push(to)), {
      includeBlocked: true,
    });
    const perCause = new Map<string, { cause: Omit<Cause, "sources" | "targets">; targets: number[] }>();
    for (const t of blocked) {
      const pair = view.redactor.deep(toJsonPair(explainIndices(index, s < 0 ? null : s, t < 0 ? null : t)));
      const cause = template(pair, namesOf(view, s).engine, namesOf(view, t).engine);
      const key = JSON.stringify(cause);
      const entry = perCause.get(key) ?? { cause, targets: [] };
      entry.targets.push(t);
      perCause.set(key, entry);
    }
    for (const [key, { cause, targets }] of perCause) {
      const everyone = targets.length === all.length - 1 && all.every((t) => t === s || targets.includes(t));
      const fullKey = `${key}|${everyone ? EVERYONE : targets.join(",")}`;
      const found = byKey.get(fullKey);
      if (found) found.sources.push(s);
      else byKey.set(fullKey, { ...cause, sources: [s], targets: everyone ? null : targets });
    }
  }
  return [...byKey.values()];
}

/** An end's name on the map and as its own engine knows it (they differ for `name@node` in a fleet). */
export interface Names {
  map: string;
  engine: string;
}

/** The names of container `i` of the view's topology (-1 = the host). */
export function namesOf(view: ExportView, i: number): Names {
  if (i < 0) return { map: HOST, engine: HOST };
  const c = view.reach.index.containers[i];
  return { map: c.name, engine: engineName(c) };
}

/**
 * The pair's reasons and fix with its two names replaced by placeholders (whole names only); in commands the
 * quoted word too, so pairs whose names need quoting (`'` becomes `'\\''`) group as others do, and the name
 * each end's engine knows it by (a fleet's commands address the engine, which knows no `name@node`).
 */
export function template(
  pair: MatrixJsonPair,
  fromEngine = pair.from,
  toEngine = pair.to,
): Omit<Cause, "sources" | "targets"> {
  const swap = (s: string): string => replaceName(replaceName(s, pair.from, SOURCE), pair.to, TARGET);
  // In a command a name is a word, bare or quoted: one placeholder for both, so every pair groups alike.
  const words = (s: string, name: string, placeholder: string): string =>
    replaceName(replaceWord(s, name, placeholder), name, placeholder);
  const word = (s: string): string => {
    const mapped = words(words(s, pair.from, SOURCE_WORD), pair.to, TARGET_WORD);
    // After the map's names, which contain the engine's (`twin@node2` holds `twin`).
    const from = fromEngine === pair.from ? mapped : words(mapped, fromEngine, SOURCE_ENGINE_WORD);
    return toEngine === pair.to ? from : words(from, toEngine, TARGET_ENGINE_WORD);
  };
  return {
    reasons: pair.reasons.map((r) => ({ rule: r.rule, text: swap(r.text) })),
    ...(pair.fix ? { fix: { commands: pair.fix.commands.map(word), text: swap(pair.fix.text) } } : {}),
  };
}

/** A template with its names filled in, where known (quoted in commands); an unknown one stays `{source}`. */
export function fillTemplate(text: string, source: Names | undefined, target: Names | undefined): string {
  const names: Array<[string, string, string, Names | undefined]> = [
    [SOURCE, SOURCE_WORD, SOURCE_ENGINE_WORD, source],
    [TARGET, TARGET_WORD, TARGET_ENGINE_WORD, target],
  ];
  let out = text;
  for (const [placeholder, word, engineWord, value] of names)
    out =
      value === undefined
        ? out.split(word).join(placeholder).split(engineWord).join(placeholder)
        : out
            .split(word)
            .join(quoteShell(value.map))
            .split(engineWord)
            .join(quoteShell(value.engine))
            .split(placeholder)
            .join(value.map);
  return out;
}

/** A name that needs quoting, as one quoted shell word, replaced by a placeholder. */
function replaceWord(text: string, name: string, placeholder: string): string {
  const word = quoteShell(name);
  return name && word !== name ? text.split(word).join(placeholder) : text;
}

/** The fix as a list item, then one nested item per command, in the order they run. */
export function fixLines(
  fix: { commands: string[]; text: string },
  fill: (s: string) => string,
  indent: string,
): string[] {
  return [
    `${indent}- **Fix:** ${mdText(fill(fix.text))}`,
    ...fix.commands.map((c, i) => `${indent}  ${i + 1}. ${mdCode(fill(c))}`),
  ];
}

function replaceName(text: string, name: string, placeholder: string): string {
  if (!name) return text;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // Names are [a-zA-Z0-9][a-zA-Z0-9_.-]*: a neighbour of those characters means a longer name.
  return text.replace(new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`, "g"), placeholder);
}
