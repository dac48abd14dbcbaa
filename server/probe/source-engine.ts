import type { ProbeEngine } from "../engine/probe-client.ts";
import type { Topology } from "../model/topology.ts";
import type { SourcePlan } from "./plan.ts";

/**
 * The connected probe engines under the topology's engine keys: an entry's URL names its engine. One engine
 * and a topology of one engine go together whatever the URLs say (a snapshot's entry has none).
 */
export function keyProbeEngines(
  topology: Topology,
  engines: readonly ProbeEngine[],
): Map<string, ProbeEngine> {
  const byKey = new Map<string, ProbeEngine>();
  for (const entry of topology.engines) {
    const engine = engines.find((e) => e.url === entry.url);
    if (engine) byKey.set(entry.key, engine);
  }
  if (byKey.size === 0 && engines.length === 1 && topology.engines.length === 1)
    byKey.set(topology.engines[0].key, engines[0]);
  return byKey;
}

/**
 * The engine whose helper joins a source's namespace: the one that reported the source, never another (a
 * `container:<id>` join works only on the engine that runs it). Otherwise why the source cannot be probed.
 */
export function sourceEngine(
  plan: SourcePlan,
  byKey: ReadonlyMap<string, ProbeEngine>,
): { key: string; engine: ProbeEngine } | { key: null; reason: string } {
  const engine = plan.engine === null ? undefined : byKey.get(plan.engine);
  if (plan.engine !== null && engine) return { key: plan.engine, engine };
  if (plan.engine === null)
    return { key: null, reason: `not checked: no engine of node ${plan.node ?? "(unknown)"} is connected` };
  return { key: null, reason: `not checked: engine ${plan.engine} is not connected for probes` };
}
