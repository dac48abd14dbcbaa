/**
 * What-if changes: engine changes applied to a Topology without touching the engine, so verdicts recompute
 * in the browser. Rule IDs refer to docs/docker-reachability.md.
 */
import type { RuleId } from "../reachability/types.ts";
import type { Topology } from "../topology.ts";

/** `docker network disconnect <network> <container>`. */
export interface DisconnectWhatIf {
  kind: "disconnect";
  /** Container name or ID. */
  container: string;
  /** Network name or ID. */
  network: string;
}

/** `docker network connect [--alias a] <network> <container>`. */
export interface ConnectWhatIf {
  kind: "connect";
  container: string;
  network: string;
  /** `--alias`: user-defined networks only (DB-5). */
  aliases?: string[];
}

/** Recreate a bridge network with `com.docker.network.bridge.enable_icc` on or off (ICC-1). */
export interface IccWhatIf {
  kind: "icc";
  network: string;
  enabled: boolean;
}

/** Recreate a network with or without `--internal` (INT-1..INT-5). */
export interface InternalWhatIf {
  kind: "internal";
  network: string;
  enabled: boolean;
}

/** Recreate a container with `-p [hostIp:]hostPort:containerPort[/protocol]` (PP-1..PP-4). */
export interface PublishWhatIf {
  kind: "publish";
  container: string;
  containerPort: number;
  hostPort: number;
  /** Omitted: 0.0.0.0 and :: (PP-1). */
  hostIp?: string;
  protocol?: "tcp" | "udp";
}

export type WhatIf = DisconnectWhatIf | ConnectWhatIf | IccWhatIf | InternalWhatIf | PublishWhatIf;

/** What one what-if did to the topology, for people. */
export interface WhatIfChange {
  whatIf: WhatIf;
  /** One sentence: what changed. */
  text: string;
  /** Rules that decide what the change means for reachability. */
  rules: RuleId[];
  /** The engine command(s) that would make it real. */
  command: string;
  /** false when the engine would accept the change but it has no effect (H-1: -p in host mode). */
  effective: boolean;
}

/** A topology after what-if changes, and the changes in the order they were applied. */
export interface WhatIfResult {
  topology: Topology;
  changes: WhatIfChange[];
}

/** A what-if the engine would refuse; the message names the value and what would be accepted. */
export class WhatIfError extends Error {
  override name = "WhatIfError";
}

/** The source label suffix of a topology with what-if changes. */
export const WHAT_IF_MARK = "what-if (not applied to the engine)";
