import { collectTopology } from "../../server/collector/collect.ts";
import { createEngineClient } from "../../server/engine/client.ts";
import { resolveEngine } from "../../server/engine/connection.ts";
import type { ProbeEngine } from "../../server/engine/probe-client.ts";
import { createProbeEngine } from "../../server/engine/probe-client.ts";
import { PROBE_LABEL, PROBE_RUN_LABEL } from "../../server/model/probe-labels.ts";
import type { PairObservation, ProbeReport, ProbeResult } from "../../server/model/probe-types.ts";
import type { Container, Topology } from "../../server/model/topology.ts";
import { dockerJson, dockerLinesAt } from "./docker-cli.ts";
import { ENGINE_URL } from "./engine.ts";
import type { Scenario } from "./scenario.ts";

/** The probe engine on the test engine. */
export function testProbeEngine(): ProbeEngine {
  return createProbeEngine(resolveEngine({ engine: ENGINE_URL }));
}

/**
 * The live topology, with only this scenario's containers (other runs and users share the engine). Every
 * network stays: gateways of docker0 and docker_gwbridge matter to the probes and the model.
 */
export async function scenarioTopology(scenario: Scenario): Promise<Topology> {
  const topology = await collectTopology(createEngineClient(resolveEngine({ engine: ENGINE_URL })));
  return { ...topology, containers: topology.containers.filter((c) => c.name.startsWith(scenario.prefix)) };
}

/** Names of helper containers left on an engine (default the test engine): this run's, or every probe helper. */
export async function leftoverHelpers(runId?: string, engineUrl = ENGINE_URL): Promise<string[]> {
  const label = runId === undefined ? `${PROBE_LABEL}=1` : `${PROBE_RUN_LABEL}=${runId}`;
  return dockerLinesAt(engineUrl, "ps", "-a", "--filter", `label=${label}`, "--format", "{{.Names}}");
}

/** The IPv4 address of a container on a network, from `docker inspect`. */
export async function ipOf(container: string, network: string): Promise<string> {
  const [inspect] = await dockerJson<
    { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }[]
  >("inspect", container);
  const ip = inspect.NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) throw new Error(`${container} has no address on ${network}`);
  return ip;
}

/** The observation for a pair, by container names (or `@host`). */
export function pair(report: ProbeReport, from: string, to: string): PairObservation {
  const found = report.pairs.find((p) => p.from.name === from && p.to.name === to);
  if (!found) throw new Error(`no observation ${from} -> ${to} in probe run ${report.runId}`);
  return found;
}

/** The results of one kind (and address/port) for a pair, as `kind address:port status` strings. */
export function results(observation: PairObservation, filter: Partial<ProbeResult> = {}): string[] {
  return observation.results
    .filter((r) => Object.entries(filter).every(([k, v]) => r[k as keyof ProbeResult] === v))
    .map((r) =>
      r.kind === "name"
        ? `name ${r.name} ${r.status}`
        : `${r.kind} ${r.address}${r.port ? `:${r.port}` : ""} ${r.status}`,
    );
}

/** A container of the topology by scenario name. */
export function containerNamed(topology: Topology, name: string): Container {
  const found = topology.containers.find((c) => c.name === name);
  if (!found) throw new Error(`container ${name} is not in the topology`);
  return found;
}
