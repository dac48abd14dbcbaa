import type { Command } from "commander";
import { DEFAULT_HOST, DEFAULT_PORT } from "../http/address.ts";
import { diagnose, formatDoctorReport } from "../model/doctor.ts";
import { DEFAULT_PROBE_IMAGE } from "../probe/probe-image.ts";
import { EXIT } from "./exit.ts";
import { addExamples } from "./help.ts";
import { asOption, parseHost, parsePort } from "./options.ts";
import { writeJson, writeText } from "./output.ts";
import { ENGINE_FLAG } from "./topology-source.ts";
import type { DoctorFlags } from "./doctor-facts.ts";

/** `reachgraph doctor`: what works here and what to do about what does not; exit 0 when the topology can be read. */
export function addDoctorCommand(program: Command): void {
  const doctor = program
    .command("doctor")
    .description("check this machine: engine, socket access, API version, probes, PNG export, port")
    .option(...ENGINE_FLAG)
    .option("--probe-image <image>", "helper image probes would use", DEFAULT_PROBE_IMAGE)
    .option("--host <address>", "address serve would bind", asOption(parseHost), DEFAULT_HOST)
    .option("--port <port>", "port serve would listen on", asOption(parsePort), DEFAULT_PORT)
    .option("--json", "print the report as JSON")
    .action(async (opts: DoctorFlags) => {
      // Loaded only for doctor: it reaches for dockerode, which --version and --help never need.
      const { gatherFacts } = await import("./doctor-facts.ts");
      const report = diagnose(await gatherFacts(opts));
      // Engine text (versions, error messages) is data: escaped for the terminal, inert in JSON.
      if (opts.json) writeJson(report);
      else writeText(formatDoctorReport(report));
      if (!report.ready) process.exitCode = EXIT.error;
    });
  addExamples(doctor, [
    "reachgraph doctor",
    "reachgraph doctor --engine unix:///run/user/1000/docker.sock --json",
  ]);
}
