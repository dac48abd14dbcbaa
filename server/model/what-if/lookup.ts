import { resolveContainerRef, UnknownContainerError } from "../container-ref.ts";
import type { RuleId } from "../reachability/types.ts";
import type { Container, Network, Topology } from "../topology.ts";
import { WhatIfError } from "./types.ts";

/** A container by name, ID, short ID or compose service (`resolveContainerRef`). */
export function findContainer(topology: Topology, ref: string): Container {
  try {
    return topology.containers[resolveContainerRef(topology.containers, ref)];
  } catch (error) {
    if (error instanceof UnknownContainerError) throw new WhatIfError(error.message);
    throw error;
  }
}

/** A network by ID or name (the ID wins: §5 duplicate names). */
export function findNetwork(topology: Topology, ref: string): Network {
  const found =
    topology.networks.find((n) => n.id === ref) ??
    topology.networks.find((n) => n.name === ref) ??
    (/^[0-9a-z]{12,}$/.test(ref) ? topology.networks.find((n) => n.id.startsWith(ref)) : undefined);
  if (!found) throw new WhatIfError(`unknown network "${ref}": expected a network name or ID`);
  return found;
}

/** Whether an interface is on `net` (by ID, or by name for never-started containers, §5). */
export function isOn(iface: { networkId: string; network: string }, net: Network): boolean {
  return iface.networkId ? iface.networkId === net.id : iface.network === net.name;
}

/** CN-2: `container:` joiners have no endpoints of their own and cannot be connected or publish ports. */
export function refuseJoiner(c: Container, what: string): void {
  if (c.sharesNamespaceWith || c.networkMode.startsWith("container:"))
    throw new WhatIfError(
      `cannot ${what} ${c.name}: it runs in ${c.networkMode} mode and uses that container's namespace (CN-1, CN-2)`,
    );
}

/** The rules that say what membership of `net` means for reachability. */
export function memberRules(net: Network): RuleId[] {
  if (!net.knownDriver) return ["§5 plugin driver"];
  switch (net.driver) {
    case "bridge": {
      const rules: RuleId[] = net.defaultBridge ? ["DB-1", "DB-2", "DB-7"] : ["UB-1", "UB-2", "UB-8"];
      if (!net.icc) rules.push(net.defaultBridge ? "DB-6" : "ICC-1");
      if (net.internal) rules.push("INT-1", "INT-2");
      return rules;
    }
    case "overlay":
      return net.internal ? ["OV-1", "INT-2"] : ["OV-1", "OV-2", "OV-4"];
    case "macvlan":
      return ["MV-1", "MV-3"];
    case "ipvlan":
      return ["IV-2"];
    case "host":
      return ["H-1"];
    default:
      return ["NO-1"];
  }
}
