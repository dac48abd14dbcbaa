import { apiVersionBelow, MIN_API_VERSION } from "./api-version.ts";

export const DOCTOR_SCHEMA_VERSION = 1;

/** What `reachgraph doctor` found out, before any judgement; gathered by server/cli/doctor-command.ts. */
export interface DoctorFacts {
  /** The resolved endpoint and which input chose it, or why resolving failed. */
  engine: { url: string; origin: string } | { error: string };
  /** Only for a unix socket. */
  socket?: SocketFacts;
  /** `GET /version` and `GET /info`, or why they failed; absent when the socket already said no. */
  answer?: { apiVersion: string; serverVersion: string; swarm: string } | { error: string };
  probes?: { image: string; present: boolean | { error: string }; writes: WriteFacts };
  /** Chromium, and playwright-core that drives it: PNG export needs both. */
  chromium: { path: string; present: boolean; driver: boolean };
  port: { host: string; port: number; free: boolean | { error: string } };
}

export interface SocketFacts {
  path: string;
  state: "ok" | "missing" | "not-a-socket" | "denied";
  /** Owner group of the socket file: its gid and, when /etc/group names it, its name. */
  group?: { gid: number; name: string | null };
  mode?: string;
}

/** The harmless `POST /containers/create {}` that an engine rejects with 400 and a read-only proxy refuses. */
export type WriteFacts =
  | { kind: "accepted" }
  | { kind: "refused"; status: number; message: string }
  | { kind: "error"; message: string };

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  id: "engine" | "socket" | "api" | "swarm" | "probes" | "png" | "port";
  status: CheckStatus;
  /** What was found, one line. */
  summary: string;
  /** What to do about it, when anything. */
  fix?: string;
}

export interface DoctorReport {
  schemaVersion: typeof DOCTOR_SCHEMA_VERSION;
  /** True when the main job, reading the topology from the engine, can run (the exit status is 0). */
  ready: boolean;
  checks: DoctorCheck[];
}

/** Checks the main job needs; the rest (probes, PNG, the port) only limit what else works. */
const ESSENTIAL: ReadonlySet<DoctorCheck["id"]> = new Set(["engine", "socket", "api"]);

/** Judges the facts: one check per concern, each with what to do when it is not ok. */
export function diagnose(facts: DoctorFacts): DoctorReport {
  const checks: DoctorCheck[] = [engineCheck(facts)];
  if (facts.socket) checks.push(socketCheck(facts.socket));
  checks.push(...answerChecks(facts));
  checks.push(probesCheck(facts), pngCheck(facts), portCheck(facts));
  const ready = checks.every((c) => !ESSENTIAL.has(c.id) || c.status === "ok" || c.status === "warn");
  return { schemaVersion: DOCTOR_SCHEMA_VERSION, ready, checks };
}

function engineCheck({ engine }: DoctorFacts): DoctorCheck {
  if ("error" in engine)
    return { id: "engine", status: "fail", summary: engine.error, fix: "fix or unset that input" };
  return { id: "engine", status: "ok", summary: `${engine.url} (from ${engine.origin})` };
}

function socketCheck(socket: SocketFacts): DoctorCheck {
  const owner = socket.group
    ? `group ${socket.group.name ?? socket.group.gid}${socket.mode ? `, mode ${socket.mode}` : ""}`
    : "";
  switch (socket.state) {
    case "ok":
      return {
        id: "socket",
        status: "ok",
        summary: `${socket.path} is readable${owner ? ` (${owner})` : ""}`,
      };
    case "missing":
      return {
        id: "socket",
        status: "fail",
        summary: `no socket at ${socket.path}`,
        fix: "start the Docker engine, or point DOCKER_HOST or --engine at its socket",
      };
    case "not-a-socket":
      return {
        id: "socket",
        status: "fail",
        summary: `${socket.path} is not a socket`,
        fix: "point DOCKER_HOST or --engine at the engine's socket",
      };
    case "denied": {
      const group = socket.group?.name ?? `gid ${socket.group?.gid ?? "?"}`;
      const gid = socket.group?.gid ?? `$(stat -c %g ${socket.path})`;
      return {
        id: "socket",
        status: "fail",
        summary: `${socket.path} is not readable by this user${owner ? ` (${owner})` : ""}`,
        fix: `join the group ${group} (then log in again), run with sudo, or in a container pass --group-add ${gid}`,
      };
    }
  }
}

function answerChecks({ answer, socket }: DoctorFacts): DoctorCheck[] {
  if (!answer) {
    const why = socket && socket.state !== "ok" ? "the socket is not usable" : "no engine address";
    return [
      { id: "api", status: "skip", summary: `not asked: ${why}` },
      { id: "swarm", status: "skip", summary: `not asked: ${why}` },
    ];
  }
  if ("error" in answer) {
    return [
      {
        id: "api",
        status: "fail",
        summary: answer.error,
        fix: "check that the engine runs and answers there",
      },
      { id: "swarm", status: "skip", summary: "not known: the engine did not answer" },
    ];
  }
  const old = apiVersionBelow(answer.apiVersion, MIN_API_VERSION);
  const api: DoctorCheck = {
    id: "api",
    status: old ? "fail" : "ok",
    summary: `Docker ${answer.serverVersion}, API ${answer.apiVersion}; reachgraph needs API ${MIN_API_VERSION} or later`,
    ...(old ? { fix: "upgrade the engine to Docker 20.10 or later" } : {}),
  };
  const swarm: DoctorCheck =
    answer.swarm === "active"
      ? { id: "swarm", status: "ok", summary: "active: overlay networks and services are shown" }
      : { id: "swarm", status: "ok", summary: `${answer.swarm || "inactive"}: no overlay networks` };
  return [api, swarm];
}

function probesCheck({ probes }: DoctorFacts): DoctorCheck {
  if (!probes) return { id: "probes", status: "skip", summary: "not asked: the engine did not answer" };
  const { writes, present, image } = probes;
  if (writes.kind === "refused") {
    return {
      id: "probes",
      status: "warn",
      summary: writes.message,
      fix: "everything but probes works; to probe, point --engine at the engine's own socket",
    };
  }
  if (writes.kind === "error")
    return { id: "probes", status: "warn", summary: `write access unknown: ${writes.message}` };
  if (present !== true) {
    return {
      id: "probes",
      status: "warn",
      summary:
        present === false
          ? `probe image ${image} is not on the engine`
          : `probe image ${image}: ${present.error}`,
      fix: `load or tag an image with busybox sh, ping, nc and nslookup as ${image}, or pass --probe-image`,
    };
  }
  return {
    id: "probes",
    status: "ok",
    summary: `can run (${image} present, the engine takes writes); enable them with --allow-probes`,
  };
}

function pngCheck({ chromium }: DoctorFacts): DoctorCheck {
  if (!chromium.driver) {
    return {
      id: "png",
      status: "warn",
      summary: "playwright-core is not installed: export --format png will fail",
      fix: "npm install playwright-core next to reachgraph, and Debian's chromium; SVG and text exports work without them",
    };
  }
  return chromium.present
    ? { id: "png", status: "ok", summary: `Chromium at ${chromium.path} for export --format png` }
    : {
        id: "png",
        status: "warn",
        summary: `no Chromium at ${chromium.path}: export --format png will fail`,
        fix: "install Debian's chromium package (apt-get install chromium); SVG and text exports work without it",
      };
}

function portCheck({ port }: DoctorFacts): DoctorCheck {
  const where = `${port.host.includes(":") ? `[${port.host}]` : port.host}:${port.port}`;
  if (port.free === true)
    return { id: "port", status: "ok", summary: `serve would listen on ${where} (free)` };
  return {
    id: "port",
    status: "warn",
    summary: port.free === false ? `${where} is taken` : `${where} cannot be bound: ${port.free.error}`,
    fix: "pass serve --port <another port> (0 picks a free one)",
  };
}

const MARKS: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" };

/** The report as a few lines: one per check, its fix indented under it, and the verdict last. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.checks.flatMap((c) => [
    `${MARKS[c.status]}  ${c.id.padEnd(6)}  ${c.summary}`,
    ...(c.fix && c.status !== "ok" ? [`              -> ${c.fix}`] : []),
  ]);
  lines.push(
    report.ready
      ? "reachgraph can read the topology here"
      : "reachgraph cannot read the topology here: fix the FAIL lines above",
  );
  return `${lines.join("\n")}\n`;
}
