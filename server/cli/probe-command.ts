import type { Command } from "commander";
import { formatDisagreements } from "../model/probe-compare.ts";
import { explainPair, indexTopology } from "../model/reachability/index.ts";
import type { ProbeOutcome } from "../probe/probe-service.ts";
import { DEFAULT_PROBE_IMAGE } from "../probe/probe-image.ts";
import type { Topology } from "../model/topology.ts";
import { EXIT } from "./exit.ts";
import { addExamples } from "./help.ts";
import { writeJson, writeNote, writeText } from "./output.ts";
import type { SourceOptions } from "./topology-source.ts";
import { engineArgs, loadTopology, withEngineFlags } from "./topology-source.ts";
import type { TerminationSignal } from "./signals.ts";
import { onTermination, signalExitCode } from "./signals.ts";

/** `reachgraph probe [<from> [<to>]]`: real probes from the sources' namespaces, against the prediction. */
export function addProbeCommand(program: Command): void {
  const probe = withEngineFlags(program.command("probe"))
    .description(
      "probe from real namespaces (helper containers joined to each source) and compare with the prediction",
    )
    .argument("[from]", "source container (name, ID or @host); default every container")
    .argument("[to]", "target container (name, ID or @host); default every container")
    .option(
      "--probe-image <image>",
      "helper image with busybox sh, ping, nc and nslookup",
      DEFAULT_PROBE_IMAGE,
    )
    .option("--json", "print {report, disagreements, unchecked}")
    .action(
      async (
        from: string | undefined,
        to: string | undefined,
        opts: SourceOptions & { probeImage: string; json?: boolean },
      ) => {
        const { resolveEngines } = await import("../engine/connection.ts");
        const engines = resolveEngines({ engines: engineArgs(opts) });
        const [topology, { createProbeEngine }, { createProbeService }, { ProbeAbortedError }] =
          await Promise.all([
            loadTopology(opts),
            import("../engine/probe-client.ts"),
            import("../probe/probe-service.ts"),
            import("../probe/run-probes.ts"),
          ]);
        // One probe engine per engine given: each source's helper starts on the engine that reported it.
        const service = createProbeService(
          engines.map((e) => createProbeEngine(e)),
          { image: opts.probeImage },
        );
        const abort = new AbortController();
        let interrupted: TerminationSignal | null = null;
        // The run notices the abort, removes every helper it started, then rejects: only then do we exit.
        const release = onTermination((signal) => {
          interrupted = signal;
          writeNote(`${signal}: removing probe helpers before exit`);
          abort.abort(new Error(`interrupted by ${signal}`));
        });
        let outcome: ProbeOutcome;
        try {
          outcome = await service.probe(topology, {
            ...(from ? { from: [from] } : {}),
            ...(to ? { to: [to] } : {}),
            signal: abort.signal,
          });
        } catch (error) {
          if (!interrupted || !(error instanceof ProbeAbortedError)) throw error;
          writeNote(error.message);
          process.exitCode = signalExitCode(interrupted);
          return;
        } finally {
          release();
        }
        if (opts.json) writeJson(outcome);
        else writeText(formatProbeOutcome(topology, outcome));
        if (outcome.disagreements.length) process.exitCode = EXIT.differs;
      },
    );
  addExamples(probe, ["reachgraph probe web db", "reachgraph probe --json > probes.json"]);
}

/** Predicted vs observed, one line per pair, then every disagreement. */
export function formatProbeOutcome(
  topology: Topology,
  { report, disagreements, unchecked }: ProbeOutcome,
): string {
  const index = indexTopology(topology);
  const lines = [`probed with ${report.image} (run ${report.runId})`, ""];
  for (const pair of report.pairs) {
    const predicted = explainPair(index, pair.from.id, pair.to.id).verdict;
    // An unknown observation checked nothing (skipped addresses, a helper that never ran, no engine of the node).
    const mark =
      pair.verdict === "unknown" ? "not checked" : predicted === pair.verdict ? "agrees" : "DISAGREES";
    lines.push(
      `${pair.from.name} -> ${pair.to.name}: predicted ${predicted}, observed ${pair.verdict} (${mark}) — ${pair.evidence}`,
    );
  }
  for (const source of report.sources.filter((s) => s.status !== "ok")) {
    lines.push(
      `! ${source.source.name}: helper ${source.status}${source.message ? `: ${source.message}` : ""}`,
    );
  }
  lines.push("");
  if (unchecked.length)
    lines.push(`${unchecked.length} not checked (no disagreement):`, formatDisagreements(unchecked), "");
  lines.push(
    disagreements.length
      ? `${disagreements.length} disagreement(s):\n${formatDisagreements(disagreements)}`
      : unchecked.length
        ? "the probes agree with the prediction on everything they checked"
        : "the probes agree with the prediction on every pair, check and name",
  );
  return `${lines.join("\n")}\n`;
}
