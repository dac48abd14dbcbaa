/**
 * Types of the reachability model: verdicts, paths, names, ports, reasons and fixes for one ordered pair.
 * Rule IDs are those of docs/rules.md (`RuleId`).
 */

/** The pseudo-endpoint standing for the Docker host's own network namespace. */
export const HOST = "@host";

/** Version of the JSON produced by `matrixJson`. */
// 2: `fix.commands` (every step, in order) replaced `fix.command`.
export const REACHABILITY_SCHEMA_VERSION = 2;

export type Verdict = "reachable" | "blocked" | "unknown";

export type PathKind = "direct" | "shared-namespace" | "published" | "host";

export type { RuleId } from "./rule-ids.ts";
import type { RuleId } from "./rule-ids.ts";

/** Which layer of `reachgraph why` a reason belongs to. */
export type Layer = "state" | "names" | "network" | "ports";

export interface Reason {
  rule: RuleId;
  text: string;
  layer: Layer;
}

/**
 * What a verdict, path or name rests on that reachgraph cannot check from the API: `ipvs` (SW-3, SW-8: the
 * kernel's IP virtual server balances VIP and routing-mesh traffic; modelled from Docker's documented
 * behaviour, absent on kernels without it), `manager-view` (SW-12: the task's container was reported by no
 * engine; its state and addresses are the swarm manager's).
 */
export type CaveatKind = "ipvs" | "manager-view";

export interface Caveat {
  kind: CaveatKind;
  rule: RuleId;
  text: string;
}

/** One way the source's packets can get to the target. */
export interface Path {
  kind: PathKind;
  verdict: Exclude<Verdict, "blocked">;
  /** The network carrying a direct path; null for the other kinds. */
  network: string | null;
  /** What the source dials: the target IP, 127.0.0.1, a host address; null when not collected. */
  address: string | null;
  /** Published path: the host port. */
  port?: number;
  /** Published path: the container port behind `port`. */
  targetPort?: number;
  protocol?: string;
  /** DB-6: only these container ports ("80/tcp") pass. */
  onlyPorts?: string[];
  rule: RuleId;
  /** The path works only if this holds (SW-8: the routing mesh needs IPVS). */
  caveat?: CaveatKind;
}

/** A name the source can resolve to the target. */
export interface NameEntry {
  name: string;
  /** The network whose embedded DNS answers; null for /etc/hosts entries (DB-3). */
  network: string | null;
  /** The address it resolves to for this source (UB-5), when known. */
  address: string | null;
  rule: RuleId;
  /** SW-3: the name answers with a VIP, and a connection to it needs IPVS. */
  caveat?: CaveatKind;
}

/** How the source can use one known port of the target. */
export interface PortAccess {
  port: number;
  protocol: string;
  /** false for exposed-only ports (PP-9). */
  published: boolean;
  /** What the source can dial for this port. */
  routes: { kind: PathKind; address: string | null; port: number; rule: RuleId; caveat?: CaveatKind }[];
  /** Bindings the source cannot use, and the rule that says so. */
  unusable: { hostIp: string; hostPort: number; rule: RuleId }[];
}

/** What makes a blocked (or paused) pair reachable: every step, in order, or why no command does it. */
export interface Fix {
  /**
   * POSIX shell command lines to run in this order, every engine string quoted (`quoteShell`); together they
   * make the pair reachable. Empty when no docker command does it (text says why).
   */
  commands: string[];
  text: string;
  rule?: RuleId;
}

export interface PairEnd {
  /** Container ID, or `@host`. */
  id: string;
  /** Container name, or `@host`. */
  name: string;
}

/** Everything known about whether `from` can reach `to`, layer by layer. */
export interface PairExplanation {
  from: PairEnd;
  to: PairEnd;
  verdict: Verdict;
  /** §5: false when the target (or source) is paused: packets arrive, TCP gets no service. */
  responsive: boolean;
  /** Working paths; `published` ones only when nothing more direct works. */
  paths: Path[];
  names: NameEntry[];
  /** false when some of the target's DNS names could not be known (container not inspected). */
  namesKnown: boolean;
  ports: PortAccess[];
  reasons: Reason[];
  /** What the verdict, a path or a name rests on that the API cannot show (SW-3, SW-8, SW-12); absent if nothing. */
  caveats?: Caveat[];
  fix?: Fix;
}

/**
 * Daemon settings that change reachability but are not in the Engine API responses reachgraph reads.
 * Every field has the documented default.
 */
export interface DaemonConfig {
  /** PP-7: `userland-proxy`; default true. */
  userlandProxy?: boolean;
  /** V6-2/V6-3: `ip6tables`; default off before engine 27.0, on from 27.0, unknown if the version is. */
  ip6tables?: boolean;
  /** MV-4: names or IDs of macvlan/ipvlan networks whose parent has a host shim interface; default none. */
  macvlanShims?: string[];
}

/** The config with its defaults applied; `ip6tables` null when the engine version is unknown. */
export interface ResolvedConfig {
  userlandProxy: boolean;
  ip6tables: boolean | null;
  macvlanShims: ReadonlySet<string>;
}

/** One pair of `reachgraph matrix --json`. */
export interface MatrixJsonPair {
  from: string;
  to: string;
  verdict: Verdict;
  paths: Path[];
  names: string[];
  ports: PortAccess[];
  reasons: { rule: RuleId; text: string }[];
  /** Present only when the explanation has caveats (SW-3, SW-8, SW-12). */
  caveats?: Caveat[];
  fix?: { commands: string[]; text: string };
}

export interface MatrixJson {
  schemaVersion: typeof REACHABILITY_SCHEMA_VERSION;
  pairs: MatrixJsonPair[];
}
