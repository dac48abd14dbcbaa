import { Command, CommanderError } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { DEFAULT_HOST, DEFAULT_PORT } from "../http/address.ts";
import { isLoopbackBind } from "../http/host-check.ts";
import { DEFAULT_PROBE_IMAGE } from "../probe/probe-image.ts";
import { EXIT, exitCodeOf, formatError } from "./exit.ts";
import { addExamples } from "./help.ts";
import type { EngineFlags } from "./topology-source.ts";
import {
  checkOneSource,
  COMPOSE_FLAG,
  COMPOSE_PROFILE_FLAG,
  COMPOSE_PROJECT_FLAG,
  engineArgs,
  loadTopology,
  withEngineFlags,
} from "./topology-source.ts";
import { asOption, parseHost, parsePort, parsePublicHost, readChosenToken, UsageError } from "./options.ts";
import { writeNote, writeText } from "./output.ts";
import { addCheckCommand } from "./check-command.ts";
import { addComposeCommand } from "./compose-command.ts";
import { addDiffCommand } from "./diff-command.ts";
import { addDoctorCommand } from "./doctor-command.ts";
import { addExportCommand } from "./export-command.ts";
import { addProbeCommand } from "./probe-command.ts";
import { addReachabilityCommands } from "./reachability-commands.ts";
import { onTermination } from "./signals.ts";
import { addSnapshotCommand } from "./snapshot-command.ts";

const program = new Command("reachgraph")
  .description("Live Docker network topology: who can reach whom, and why")
  .version(pkg.version, "-V, --version", "print the version")
  .showHelpAfterError("(add --help for usage and examples)")
  // Commander's own exits (usage errors, --help, --version) become CommanderErrors mapped to EXIT below.
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`reachgraph: ${text.replace(/^error: /, "")}`) });
addExamples(program, ["reachgraph serve", "reachgraph why web db", "reachgraph <command> --help"]);

/** `--demo NAME`: one of the bundled examples (server/example/examples/index.json), or a usage error naming them. */
async function namedExample(name: string) {
  const { exampleTopologyOf, listExamples } = await import("../example/examples.ts");
  const topology = exampleTopologyOf(name);
  if (!topology)
    throw new UsageError(
      `--demo ${JSON.stringify(name)}: no such example; expected one of ${listExamples()
        .map((e) => e.slug)
        .join(", ")}`,
    );
  return topology;
}

interface ServeFlags extends EngineFlags {
  host: string;
  port: number;
  /** `--demo` (the default example) or `--demo NAME` (one of the bundled examples, e.g. `swarm`). */
  demo?: boolean | string;
  allowProbes?: boolean;
  probeImage: string;
  snapshot?: string;
  compose?: string[];
  projectName?: string;
  profile?: string[];
  publicHost: string[];
  tokenFile?: string;
}

withEngineFlags(
  program.command("serve").description("serve the live graph in the browser (read-only against the engine)"),
)
  .option(
    "--host <address>",
    "address to bind; anything but loopback exposes your Docker socket's view",
    asOption(parseHost),
    DEFAULT_HOST,
  )
  .option("--port <port>", "port to listen on", asOption(parsePort), DEFAULT_PORT)
  .option(
    "--public-host <name>",
    "a name browsers elsewhere use to reach this server (repeatable); allowed as Host, needs the access token",
    (value: string, previous: string[]) => [...previous, asOption(parsePublicHost)(value) as string],
    [] as string[],
  )
  .option(
    "--token-file <file>",
    "read the access token from FILE (first line) instead of generating one; or set REACHGRAPH_TOKEN",
  )
  .option(
    "--demo [example]",
    "serve the bundled example topology instead of an engine; EXAMPLE picks another by name (swarm: a three-node swarm)",
  )
  .option("--snapshot <file>", "serve a saved snapshot (read-only, not live) instead of an engine")
  .option(...COMPOSE_FLAG)
  .option(...COMPOSE_PROJECT_FLAG)
  .option(...COMPOSE_PROFILE_FLAG)
  .option(
    "--allow-probes",
    "let the page run probes: short-lived helper containers in containers' namespaces",
  )
  .option("--probe-image <image>", "helper image for probes", DEFAULT_PROBE_IMAGE)
  .action(async (opts: ServeFlags) => {
    checkOneSource({ ...opts, demo: opts.demo !== undefined });
    const [{ startServer }, { staticFeed }, { readSnapshotFile }, { resolveEngines }] = await Promise.all([
      import("../http/server.ts"),
      import("../feed/feed.ts"),
      import("../snapshot/read-snapshot.ts"),
      import("../engine/connection.ts"),
    ]);
    const fixed = opts.snapshot
      ? (await readSnapshotFile(opts.snapshot)).topology
      : opts.compose?.length
        ? await loadTopology({ ...opts, demo: opts.demo !== undefined })
        : typeof opts.demo === "string"
          ? await namedExample(opts.demo)
          : undefined;
    const feed = fixed ? staticFeed(fixed) : undefined;
    const token = await readChosenToken(process.env.REACHGRAPH_TOKEN, opts.tokenFile);
    const server = await startServer({
      ...(feed ? { feed } : {}),
      ...(token !== undefined ? { token } : {}),
      publicHosts: opts.publicHost,
      host: opts.host,
      port: opts.port,
      ...(fixed || opts.demo !== undefined ? {} : { engines: resolveEngines({ engines: engineArgs(opts) }) }),
      demo: opts.demo !== undefined,
      allowProbes: opts.allowProbes,
      probeImage: opts.probeImage,
    });
    if (opts.allowProbes) {
      writeNote(`probes enabled (helper image ${opts.probeImage}); the page can start helper containers`);
    }
    const { status } = server.feed.current();
    if (opts.snapshot) writeNote(`serving the snapshot ${opts.snapshot} (read-only, not live)`);
    else if (typeof opts.demo === "string")
      writeNote(`serving the bundled example ${fixed?.source.label ?? ""} (--demo ${opts.demo})`);
    else if (fixed) writeNote(`serving the compose prediction ${fixed.source.label} (not live)`);
    else if (opts.demo) writeNote("serving the bundled example topology (--demo)");
    else if (status.source.kind === "example") {
      writeNote(`no Docker engine reachable at ${status.engineUrl}: ${status.error ?? "unknown error"}`);
      writeNote(
        "serving the bundled example topology meanwhile; the page switches to live data when the engine answers",
      );
    } else
      writeNote(`live from ${status.engineUrl} (Docker ${status.serverVersion}, API ${status.apiVersion})`);
    if (!isLoopbackBind(opts.host)) {
      writeNote(
        `warning: bound to ${opts.host}; anyone who can reach this address and has the access token sees your containers`,
      );
    }
    if (server.token !== null && token !== undefined)
      writeNote(
        `access token from ${opts.tokenFile ? `--token-file ${opts.tokenFile}` : "REACHGRAPH_TOKEN"}: open the page once with ?token=<token>, or send Authorization: Bearer <token>`,
      );
    // Printed once: the only place a generated token is ever shown.
    writeText(`reachgraph: open ${server.openUrl}\n`);
    // Probe runs in flight are aborted and their helpers removed before the process exits.
    onTermination((signal) => {
      if (opts.allowProbes) writeNote(`${signal}: removing probe helpers before exit`);
      void server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          writeNote(error instanceof Error ? error.message : String(error));
          process.exit(1);
        },
      );
    });
  });

addExamples(program.commands[0], [
  "reachgraph serve",
  "reachgraph serve --demo --port 0",
  "reachgraph serve --snapshot saved.json",
  "reachgraph serve --context staging --context prod",
]);

addSnapshotCommand(program);
addReachabilityCommands(program);
addProbeCommand(program);
addComposeCommand(program);
addDiffCommand(program);
addExportCommand(program);
addDoctorCommand(program);
addCheckCommand(program);

// `reachgraph matrix --json | head` closes the pipe early; that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = exitCodeOf(error);
  // Commander has already printed its own message (and a hint, for a usage error).
  if (!(error instanceof CommanderError)) writeNote(formatError(error));
  if (code === EXIT.error && process.env.REACHGRAPH_DEBUG) console.error(error);
  process.exit(code);
}
