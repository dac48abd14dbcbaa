import type { Command } from "commander";
import type { Finding } from "../model/fleet/consistency.ts";
import type { Topology } from "../model/topology.ts";
import { DEFAULT_PROBE_IMAGE } from "../probe/probe-image.ts";
import { EXIT } from "./exit.ts";
import { addExamples } from "./help.ts";
import { writeJson, writeNote, writeText } from "./output.ts";
import type { SourceOptions } from "./topology-source.ts";
import { loadTopology, withSourceFlags } from "./topology-source.ts";

interface CheckFlags extends SourceOptions {
  mtu?: boolean;
  probeImage: string;
  json?: boolean;
}

/**
 * `reachgraph check`: the consistency findings across nodes (CS-1..CS-7; CS-8 with --mtu, which starts helper
 * containers). Exit 0 when there are none, 3 (they differ) when there are.
 */
export function addCheckCommand(program: Command): void {
  const check = withSourceFlags(program.command("check"))
    .description(
      "check consistency across nodes: overlay peers and service backends per node, pools against routes",
    )
    .option("--mtu", "also ping across nodes with the overlay's MTU (starts helper containers: writes)")
    .option("--probe-image <image>", "helper image for --mtu (busybox sh, ping, ip)", DEFAULT_PROBE_IMAGE)
    .option("--json", "print {findings} as JSON")
    .action(async (opts: CheckFlags) => {
      const [topology, { consistencyFindings }, { formatFindings }, { localHostRoutes }] = await Promise.all([
        loadTopology(opts),
        import("../model/fleet/consistency.ts"),
        import("../model/fleet/findings-text.ts"),
        import("../engine/host-routes.ts"),
      ]);
      const host = topology.source.kind === "live" ? await localHostRoutes(topology) : undefined;
      const findings = consistencyFindings(topology, host);
      if (opts.mtu) findings.push(...(await mtuFindings(topology, opts.probeImage)));
      if (!topology.swarm) writeNote("no swarm manager among the engines: peer and backend checks need one");
      if (opts.json) writeJson({ findings });
      else writeText(formatFindings(findings));
      if (findings.length > 0) process.exitCode = EXIT.differs;
    });
  addExamples(check, [
    "reachgraph check",
    "reachgraph check --engine unix:///var/run/docker.sock --engine unix:///run/docker-node2.sock",
    "reachgraph check --mtu --json",
  ]);
}

/** CS-8: one helper per planned pair, on the source's own engine. */
async function mtuFindings(topology: Topology, image: string): Promise<Finding[]> {
  const [{ planMtuChecks, mtuFinding }, { runMtuChecks }, { createProbeEngine }, { resolveEngine }] =
    await Promise.all([
      import("../model/fleet/mtu.ts"),
      import("../probe/mtu.ts"),
      import("../engine/probe-client.ts"),
      import("../engine/connection.ts"),
    ]);
  const plans = planMtuChecks(topology);
  if (plans.length === 0) writeNote("--mtu: no overlay has running members on two nodes to ping between");
  const urls = new Map(topology.engines.map((e) => [e.key, e.url]));
  const engines = new Map<string, ReturnType<typeof createProbeEngine>>();
  const engineOf = (key: string) => {
    let engine = engines.get(key);
    if (!engine)
      engines.set(key, (engine = createProbeEngine(resolveEngine({ engine: urls.get(key) ?? undefined }))));
    return engine;
  };
  const observations = await runMtuChecks(engineOf, plans, { image });
  for (const o of observations)
    if (o.error) writeNote(`--mtu ${o.plan.source.name} → ${o.plan.target.name}: ${o.error}`);
  return observations.map(mtuFinding).filter((f) => f !== null);
}
