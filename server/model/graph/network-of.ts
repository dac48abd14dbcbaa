import type { Container, Interface, Network } from "../topology.ts";

/** Finds the network an interface is on. */
export type NetworkOf = (c: Container, i: Interface) => Network | undefined;

/**
 * The network of an interface: by ID, else by the name the interface gives (an engine that has not resolved
 * the ID yet, §5). In a fleet a name means the network of that name on the container's own machine, or a
 * swarm-scope one: `bridge` on node2 is not node1's `bridge`. `fleet` false keeps the single-engine lookup.
 */
export function networkResolver(networks: readonly Network[], fleet: boolean): NetworkOf {
  const byId = new Map(networks.map((n) => [n.id, n]));
  const byName = new Map<string, Network>();
  const nameKey = (node: string | undefined, name: string): string =>
    fleet ? `${node ?? ""}\u0000${name}` : name;
  for (const n of networks) {
    const key = nameKey(n.scope === "swarm" ? undefined : n.node, n.name);
    if (!byName.has(key)) byName.set(key, n);
  }
  return (c, i) =>
    byId.get(i.networkId) ??
    byName.get(nameKey(c.node, i.network)) ??
    (fleet ? byName.get(nameKey(undefined, i.network)) : undefined);
}
