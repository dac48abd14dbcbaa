/**
 * Wire types of probes: what a helper container observed from a source's namespace, per target and check.
 * Pure data (no Node imports), so the web page can import them with `import type`.
 */

export const PROBE_SCHEMA_VERSION = 1;

/** The pseudo-source/target standing for the Docker host's own network namespace (as in the reachability model). */
export const PROBE_HOST = "@host";

/** A container (ID and name) or `@host`. */
export interface ProbeEnd {
  id: string;
  name: string;
}

/** `icmp`: one echo; `tcp`: a connect to address:port; `name`: /etc/hosts, then the embedded DNS. */
export type CheckKind = "icmp" | "tcp" | "name";

/**
 * Why an address was chosen: an IP of the target's namespace (`direct`), 127.0.0.1 inside a shared namespace
 * (`shared-namespace`), a host address standing for the host or a host-mode target (`host`), a host address
 * plus a published port (`published`), or a name of the target (`name`).
 */
export type CheckRole = "direct" | "shared-namespace" | "host" | "published" | "name";

/**
 * `ok`: echo answered / connected / name resolved. `refused`: a RST (the address is up, nothing listens).
 * `timeout`: no answer in time (dropped). `unreachable`: the source has no route. `nxdomain`: the name does
 * not exist. `fail`: any other failure. `missing`: no result line (the helper timed out, was aborted or failed).
 */
export type CheckStatus = "ok" | "refused" | "timeout" | "unreachable" | "nxdomain" | "fail" | "missing";

/** One observed check for one (source, target) pair. */
export interface ProbeResult {
  kind: CheckKind;
  role: CheckRole;
  /** Address dialled (icmp, tcp). */
  address: string | null;
  port: number | null;
  /** Name looked up (name checks). */
  name: string | null;
  /** The network of the target address, when it is one of the target's endpoints. */
  network: string | null;
  status: CheckStatus;
  /** Name checks: the IPv4 addresses the name resolved to, and which resolver answered. */
  resolved?: string[];
  resolvedBy?: "hosts" | "dns";
  /** The tool's own words, for failures. */
  detail?: string;
}

/** A name of the target checked from the source, and whether it led to the target. */
export interface ObservedName {
  name: string;
  status: CheckStatus;
  /** True when it resolved to one of the target namespace's addresses. */
  resolvesToTarget: boolean;
  addresses: string[];
  resolvedBy?: "hosts" | "dns";
}

export type ObservedVerdict = "reachable" | "blocked" | "unknown";

/** What the probes say about one ordered pair. */
export interface PairObservation {
  from: ProbeEnd;
  to: ProbeEnd;
  verdict: ObservedVerdict;
  /** The check that decided the verdict, in words (`tcp 10.213.4.2:80 ok`), or why there was none. */
  evidence: string;
  /** Every address of the target's namespace known from the topology. */
  targetAddresses: string[];
  names: ObservedName[];
  results: ProbeResult[];
  /** Addresses not probed for safety (OV-5: not routed by this host), with the reason. */
  skipped: { address: string; reason: string }[];
}

/** How one source's helper went. */
/** `no-engine`: no connected engine runs the source (a task known only from the manager): nothing was probed. */
export type SourceStatus = "ok" | "not-running" | "missing" | "timeout" | "aborted" | "error" | "no-engine";

export interface SourceOutcome {
  source: ProbeEnd;
  status: SourceStatus;
  /** The helper container's name (`reachgraph-probe-<run>-<n>`). */
  helper: string;
  /** The engine (its `EngineEntry` key) the helper ran on; absent when none could run it (`no-engine`). */
  engine?: string;
  /** Distinct checks the helper ran (each shared by all targets that need it). */
  checks: number;
  message?: string;
}

/** Everything one probe run observed. */
export interface ProbeReport {
  schemaVersion: typeof PROBE_SCHEMA_VERSION;
  runId: string;
  image: string;
  startedAt: string;
  finishedAt: string;
  sources: SourceOutcome[];
  pairs: PairObservation[];
}

/** Which layer of a pair disagrees. */
export type DisagreementAspect = "verdict" | "name" | "name-address" | "coverage";

/** One difference between the model's prediction and what the probes observed. Never filtered. */
export interface Disagreement {
  from: ProbeEnd;
  to: ProbeEnd;
  aspect: DisagreementAspect;
  /** The name concerned (name, name-address). */
  name?: string;
  predicted: string;
  observed: string;
  /** Rule IDs the prediction cited, to start the investigation from. */
  rules: string[];
  /** The deciding probe evidence. */
  evidence: string;
}
