import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { exampleTopology } from "../example/example.ts";
import { rasterizeSvg } from "../export/png.ts";
import { composeProjects, exportText, TEXT_FORMATS } from "../model/export/index.ts";
import type { ExportOptions, TextFormat } from "../model/export/index.ts";
import type { Topology } from "../model/topology.ts";
import { readSnapshotFile } from "../snapshot/read-snapshot.ts";
import { UsageError } from "./options.ts";
import type { SourceOptions } from "./topology-source.ts";
import {
  COMPOSE_FLAG,
  COMPOSE_PROFILE_FLAG,
  COMPOSE_PROJECT_FLAG,
  ENGINE_FLAG,
  loadTopology,
} from "./topology-source.ts";

export const EXPORT_FORMATS = [...TEXT_FORMATS, "png"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportFlags extends SourceOptions {
  format: string;
  out?: string;
  hideSystem?: boolean;
  redact?: boolean;
  project?: string;
  title?: string;
  snapshot?: string;
  demo?: boolean;
}

/** Parses `--format`: one of the export formats, case-insensitive. */
export function parseFormat(value: string): ExportFormat {
  const format = value.toLowerCase() as ExportFormat;
  if ((EXPORT_FORMATS as readonly string[]).includes(format)) return format;
  throw new UsageError(
    `--format: "${value}" is not an export format; expected one of ${EXPORT_FORMATS.join(", ")}`,
  );
}

/** `reachgraph export`: documentation output from live state, a snapshot or compose files. */
export function addExportCommand(program: Command): void {
  program
    .command("export")
    .description("write the topology for documentation: svg, png, mermaid, dot, md (report) or json")
    .requiredOption("--format <format>", `one of ${EXPORT_FORMATS.join(", ")}`)
    .option("--out <file>", "write to FILE instead of standard output (required for png on a terminal)")
    .option("--hide-system", "leave out bridge, host, none, ingress and docker_gwbridge")
    .option("--redact", "replace IP addresses, MAC addresses and subnets by stable placeholders")
    .option(
      "--project <name>",
      "focus on one compose project: its containers, their networks, what they reach",
    )
    .option("--title <text>", "title of the drawing or report")
    .option(...ENGINE_FLAG)
    .option(...COMPOSE_FLAG)
    .option(...COMPOSE_PROJECT_FLAG)
    .option(...COMPOSE_PROFILE_FLAG)
    .option("--snapshot <file>", "export a saved snapshot instead of an engine")
    .option("--demo", "export the bundled example topology")
    .action(async (opts: ExportFlags) => {
      const format = parseFormat(opts.format);
      if (format === "png" && !opts.out && process.stdout.isTTY)
        throw new UsageError("--format png writes binary data: give --out FILE or redirect standard output");
      const topology = await sourceTopology(opts);
      const options: ExportOptions = {
        hideSystem: opts.hideSystem === true,
        redact: opts.redact === true,
        project: opts.project,
        title: opts.title,
      };
      checkProject(topology, opts.project);
      const data =
        format === "png"
          ? await rasterizeSvg(exportText("svg", topology, options))
          : exportText(format as TextFormat, topology, options);
      if (opts.out) {
        await writeFile(opts.out, data).catch((cause: unknown) => {
          throw new Error(`writing ${opts.out} failed`, { cause });
        });
        console.error(`reachgraph: wrote ${format} of ${describe(topology, opts)} to ${opts.out}`);
      } else process.stdout.write(data);
    });
}

async function sourceTopology(opts: ExportFlags): Promise<Topology> {
  const chosen = [opts.snapshot && "--snapshot", opts.demo && "--demo", opts.compose?.length && "--compose"];
  const given = chosen.filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} exclude each other: pick one source`);
  if ((opts.snapshot || opts.demo) && opts.engine)
    throw new UsageError(`${given[0]} and --engine exclude each other: pick one source`);
  if (opts.snapshot) return (await readSnapshotFile(opts.snapshot)).topology;
  if (opts.demo) return exampleTopology();
  return loadTopology(opts);
}

function checkProject(topology: Topology, project: string | undefined): void {
  if (project === undefined) return;
  const known = composeProjects(topology);
  if (known.includes(project)) return;
  throw new UsageError(
    `--project: "${project}" is not a compose project here; ${known.length ? `expected one of ${known.join(", ")}` : "this topology has no compose projects"}`,
  );
}

function describe(topology: Topology, opts: ExportFlags): string {
  const scope = opts.project ? `compose project ${opts.project}` : `${topology.containers.length} containers`;
  return `${scope} (${topology.source.label})`;
}
