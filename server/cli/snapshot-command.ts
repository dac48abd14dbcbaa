import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { addExamples } from "./help.ts";
import { jsonText, writeData, writeNote } from "./output.ts";
import type { SourceOptions } from "./topology-source.ts";
import { loadTopology, withSourceFlags } from "./topology-source.ts";

/** `reachgraph snapshot`: the topology with its verdicts, as a file `serve --snapshot` can reopen. */
export function addSnapshotCommand(program: Command): void {
  const snapshot = withSourceFlags(program.command("snapshot"))
    .description(
      "save the topology with its verdicts as JSON (stdout, or --out FILE); reopen with serve --snapshot",
    )
    .option("--out <file>", "write to FILE instead of standard output")
    .action(async (opts: SourceOptions & { out?: string }) => {
      // The snapshot module carries the schema (zod), needed only here.
      const [topology, { buildSnapshot }] = await Promise.all([
        loadTopology(opts),
        import("../model/snapshot.ts"),
      ]);
      const json = jsonText(buildSnapshot(topology));
      if (opts.out) {
        writeFileSync(opts.out, json);
        writeNote(
          `wrote ${topology.containers.length} containers and ${topology.networks.length} networks to ${opts.out}`,
        );
      } else writeData(json);
    });
  addExamples(snapshot, [
    "reachgraph snapshot --out saved.json",
    "reachgraph snapshot --context default --context prod --out fleet.json",
    "reachgraph serve --snapshot saved.json",
  ]);
}
