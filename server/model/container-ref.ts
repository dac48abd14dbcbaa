import type { Container } from "./topology.ts";

/** A container reference that matches nothing; carries the closest names so callers can offer them. */
export class UnknownContainerError extends Error {
  override name = "UnknownContainerError";
  constructor(
    readonly ref: string,
    readonly suggestions: readonly string[],
    expected: string,
  ) {
    const hint = suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?` : "";
    super(`unknown container "${ref}": expected ${expected}${hint}`);
  }
}

/** A reference that matches several containers equally well (a service with replicas on two projects). */
export class AmbiguousContainerError extends UnknownContainerError {
  override name = "AmbiguousContainerError";
}

/** What a container reference may be, for messages. */
export const REF_EXPECTED =
  "a container name, ID or short ID, or a compose service (service, project-service, service-N)";
const HEX_PREFIX = /^[0-9a-f]{4,64}$/;
const REPLICA = /^(.+)[-_](\d+)$/;

/**
 * Resolves what a user typed to one container index, the way people name containers: name (with or without
 * the leading `/`), full ID, a unique ID prefix (as `docker ps` shows it), or a compose service — `service`,
 * `project-service` or `service-N` (replica N; replica 1 when N is left out, as `docker compose exec` does).
 * Exact names win over everything else, so a container literally named `web` is never shadowed by a service.
 * Throws `UnknownContainerError` with "did you mean" suggestions on a miss.
 */
export function resolveContainerRef(
  containers: readonly Container[],
  ref: string,
  expected: string = REF_EXPECTED,
): number {
  const key = ref.replace(/^\//, "");
  const exact = containers.findIndex((c) => c.id === key || c.name === key);
  if (exact >= 0) return exact;
  if (HEX_PREFIX.test(key)) {
    const hits = indicesWhere(containers, (c) => c.id.startsWith(key));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1)
      throw new AmbiguousContainerError(ref, hits.map((i) => containers[i].name).slice(0, 5), expected);
  }
  const service = byService(containers, key);
  if (service.length === 1) return service[0];
  if (service.length > 1)
    throw new AmbiguousContainerError(
      ref,
      service.map((i) => qualifiedService(containers[i])).slice(0, 5),
      expected,
    );
  throw new UnknownContainerError(ref, closestNames(containers, key), expected);
}

/** Compose containers named by `service`, `project-service`, `service-N` or `project-service-N`. */
function byService(containers: readonly Container[], key: string): number[] {
  const replica = REPLICA.exec(key);
  const wanted = replica ? Number(replica[2]) : 1;
  const stems = replica ? [key, replica[1]] : [key];
  for (const stem of stems) {
    const number = stem === key && replica ? 1 : wanted;
    const hits = indicesWhere(containers, (c) => {
      const compose = c.compose;
      if (!compose || compose.oneoff || compose.number !== number) return false;
      return (
        compose.service === stem ||
        `${compose.project}-${compose.service}` === stem ||
        `${compose.project}_${compose.service}` === stem
      );
    });
    if (hits.length) return hits;
  }
  return [];
}

function qualifiedService(c: Container): string {
  return c.compose ? `${c.compose.project}-${c.compose.service}` : c.name;
}

function indicesWhere(containers: readonly Container[], test: (c: Container) => boolean): number[] {
  const out: number[] = [];
  containers.forEach((c, i) => {
    if (test(c)) out.push(i);
  });
  return out;
}

/** Up to three names within a small edit distance of `key`, or that contain it, closest first. */
export function closestNames(containers: readonly Container[], key: string): string[] {
  const lower = key.toLowerCase();
  const candidates = new Set<string>();
  for (const c of containers) {
    candidates.add(c.name);
    if (c.compose) candidates.add(c.compose.service);
  }
  const budget = Math.max(1, Math.floor(key.length / 3));
  return [...candidates]
    .map((name) => {
      const n = name.toLowerCase();
      const contained = n.includes(lower) || (lower.length > 2 && lower.includes(n));
      return { name, score: contained ? 0 : editDistance(lower, n, budget + 1) };
    })
    .filter((x) => x.score <= budget)
    .sort((a, b) => a.score - b.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1))
    .slice(0, 3)
    .map((x) => x.name);
}

/** Levenshtein distance, giving up (returning `cap`) once every row exceeds it. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      best = Math.min(best, row[j]);
    }
    if (best >= cap) return cap;
    prev = row;
  }
  return Math.min(prev[b.length], cap);
}
