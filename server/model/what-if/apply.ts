import type { Topology } from "../topology.ts";
import { connectWhatIf, disconnectWhatIf, publishWhatIf } from "./containers.ts";
import { iccWhatIf, internalWhatIf } from "./networks.ts";
import type { WhatIf, WhatIfResult } from "./types.ts";
import { WHAT_IF_MARK } from "./types.ts";

/** Applies one what-if to a topology; throws a {@link WhatIfError} for a change the engine would refuse. */
export function applyWhatIf(topology: Topology, whatIf: WhatIf): WhatIfResult {
  switch (whatIf.kind) {
    case "disconnect":
      return disconnectWhatIf(topology, whatIf);
    case "connect":
      return connectWhatIf(topology, whatIf);
    case "icc":
      return iccWhatIf(topology, whatIf);
    case "internal":
      return internalWhatIf(topology, whatIf);
    case "publish":
      return publishWhatIf(topology, whatIf);
  }
}

/**
 * Applies what-ifs in order. The result keeps `source.kind` and marks its label as a what-if, so nothing
 * shown from it can be taken for the engine's state. An empty list returns the topology itself.
 */
export function applyWhatIfs(topology: Topology, whatIfs: readonly WhatIf[]): WhatIfResult {
  if (whatIfs.length === 0) return { topology, changes: [] };
  let current = topology;
  const changes: WhatIfResult["changes"] = [];
  for (const w of whatIfs) {
    const result = applyWhatIf(current, w);
    current = result.topology;
    changes.push(...result.changes);
  }
  const label = `${topology.source.label} · ${WHAT_IF_MARK}`;
  return { topology: { ...current, source: { ...current.source, label } }, changes };
}

/** Whether a source label marks a what-if topology. */
export function isWhatIfLabel(label: string): boolean {
  return label.endsWith(WHAT_IF_MARK);
}

export const disconnectNetwork = (t: Topology, container: string, network: string): WhatIfResult =>
  applyWhatIf(t, { kind: "disconnect", container, network });

export const connectNetwork = (
  t: Topology,
  container: string,
  network: string,
  aliases?: string[],
): WhatIfResult => applyWhatIf(t, { kind: "connect", container, network, ...(aliases ? { aliases } : {}) });

export const setIcc = (t: Topology, network: string, enabled: boolean): WhatIfResult =>
  applyWhatIf(t, { kind: "icc", network, enabled });

export const setInternal = (t: Topology, network: string, enabled: boolean): WhatIfResult =>
  applyWhatIf(t, { kind: "internal", network, enabled });

export const publishPort = (
  t: Topology,
  container: string,
  port: { containerPort: number; hostPort: number; hostIp?: string; protocol?: "tcp" | "udp" },
): WhatIfResult => applyWhatIf(t, { kind: "publish", container, ...port });
