import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { TEXT_FORMATS } from "../model/export/format-names.ts";
import type { ExportOptions, TextFormat } from "../model/export/index.ts";
import type { Topology } from "../model/topology.ts";
import { addExamples } from "./help.ts";
import { UsageError } from "./options.ts";
import { writeData, writeNote } from "./output.ts";
import type { SourceOptions } from "./topology-source.ts";
import { loadTopology, withSourceFlags } from "./topology-source.ts";

export const EXPORT_FORMATS = [...TEXT_FORMATS, "png"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportFlags extends SourceOptions {
  format: string;
  out?: string;
  hideSystem?: boolean;
  redact?: boolean;
  project?: string;
  node?: string;
  service?: string;
  onlyEngine?: string;
  collapseServices?: boolean;
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
  const command = withSourceFlags(program.command("export"))
    .description("write the topology for documentation: svg, png, mermaid, dot, md (report) or json")
    .requiredOption("--format <format>", `one of ${EXPORT_FORMATS.join(", ")}`)
    .option("--out <file>", "write to FILE instead of standard output (required for png on a terminal)")
    .option("--hide-system", "leave out bridge, host, none, ingress and docker_gwbridge")
    .option("--redact", "replace IP addresses, MAC addresses and subnets by stable placeholders")
    .option(
      "--project <name>",
      "focus on one compose project: its containers, their networks, what they reach",
    )
    .option("--node <name>", "show one machine: its containers and tasks, local networks and overlays")
    .option("--service <name>", "show one swarm service: its tasks and their networks")
    .option(
      "--only-engine <key>",
      "show what one engine reported (its key on the map; --engine names a source)",
    )
    .option("--collapse-services", "draw each swarm service as one vertex standing for its tasks")
    .option("--title <text>", "title of the drawing or report")
    .action(async (opts: ExportFlags) => {
      const format = parseFormat(opts.format);
      if (format === "png" && !opts.out && process.stdout.isTTY)
        throw new UsageError("--format png writes binary data: give --out FILE or redirect standard output");
      // The exporters (d3's layout) and, for PNG, Chromium's driver load only for this command.
      const [topology, { composeProjects, exportText, fleetChoices }] = await Promise.all([
        loadTopology(opts),
        import("../model/export/index.ts"),
      ]);
      const options: ExportOptions = {
        hideSystem: opts.hideSystem === true,
        redact: opts.redact === true,
        project: opts.project,
        engine: opts.onlyEngine,
        node: opts.node,
        service: opts.service,
        collapse: opts.collapseServices === true,
        title: opts.title,
      };
      const choices = fleetChoices(topology);
      checkChoice("--project", "compose project", composeProjects(topology), opts.project);
      checkChoice("--only-engine", "engine", choices.engines, opts.onlyEngine);
      checkChoice("--node", "node", choices.nodes, opts.node);
      checkChoice("--service", "swarm service", choices.services, opts.service);
      const data =
        format === "png"
          ? await (
              await loadRasterizer()
            )(exportText("svg", topology, options))
          : exportText(format as TextFormat, topology, options);
      if (opts.out) {
        await writeFile(opts.out, data).catch((cause: unknown) => {
          throw new Error(`writing ${opts.out} failed`, { cause });
        });
        writeNote(`wrote ${format} of ${describe(topology, opts)} to ${opts.out}`);
      } else writeData(data);
    });
  addExamples(command, [
    "reachgraph export --format svg --out network.svg",
    "reachgraph export --format md --compose . --redact > NETWORK.md",
    "reachgraph export --format png --demo --out demo.png",
    "reachgraph export --format dot --engine unix:///run/a.sock --engine unix:///run/b.sock --node b",
    "reachgraph export --format mermaid --service web --collapse-services",
  ]);
}

/** PNG export's Chromium driver: an optional peer dependency of the package, so it may be missing. */
async function loadRasterizer() {
  try {
    return (await import("../export/png.ts")).rasterizeSvg;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw cause;
    throw new Error("--format png needs playwright-core next to reachgraph: npm install playwright-core", {
      cause,
    });
  }
}

/** A filter's value must name something in the topology: `--node: "x" is not a node here; expected one of …`. */
function checkChoice(flag: string, what: string, known: string[], value: string | undefined): void {
  if (value === undefined || known.includes(value)) return;
  const article = /^[aeiou]/.test(what) ? "an" : "a";
  throw new UsageError(
    `${flag}: "${value}" is not ${article} ${what} here; ${known.length ? `expected one of ${known.join(", ")}` : `this topology has no ${what}s`}`,
  );
}

function describe(topology: Topology, opts: ExportFlags): string {
  const scope =
    [
      opts.project && `compose project ${opts.project}`,
      opts.onlyEngine && `engine ${opts.onlyEngine}`,
      opts.node && `node ${opts.node}`,
      opts.service && `service ${opts.service}`,
    ]
      .filter(Boolean)
      .join(", ") || `${topology.containers.length} containers`;
  return `${scope} (${topology.source.label})`;
}
