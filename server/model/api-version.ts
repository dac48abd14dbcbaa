/**
 * The oldest Engine API reachgraph reads (Docker 20.10; §2 of docker-reachability.md). The one place this
 * minimum is defined: `doctor` compares the engine with it and the recorded fixtures are at it.
 */
export const MIN_API_VERSION = "1.41";

/** True when the Engine API version `version` (e.g. "1.41") is older than `than`, or is not a version at all. */
export function apiVersionBelow(version: string, than: string): boolean {
  const parse = (v: string) => /^(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const have = parse(version);
  const want = parse(than);
  if (!have || !want) return true;
  return have[0] < want[0] || (have[0] === want[0] && have[1] < want[1]);
}
