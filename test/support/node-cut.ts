import { run } from "./docker-cli.ts";
import type { OwnNode } from "./fleet.ts";

const IP = "/usr/sbin/ip";

/**
 * Partial cuts of an own node's underlay, as iptables drops in its network namespace (never the host's, never
 * node2/node3): `control` is the manager's port (2377: the manager calls the node down, gossip still flows),
 * `gossip` networkdb's (7946 tcp and udp: peers drop it while the manager keeps it ready).
 */
export const CUTS = {
  control: ["OUTPUT -p tcp --dport 2377", "INPUT -p tcp --sport 2377"],
  gossip: [
    "OUTPUT -p tcp --dport 7946",
    "OUTPUT -p udp --dport 7946",
    "INPUT -p tcp --dport 7946",
    "INPUT -p udp --dport 7946",
  ],
} as const;

/** Runs a command in the own node's network namespace (its underlay: `ip link`, `iptables`). */
export function inNode(node: OwnNode, ...args: string[]): Promise<string> {
  return run(IP, ["netns", "exec", `rgx-${node.engine.name}`, ...args]);
}

/** Inserts (`cut`) or deletes (`heal`, ignoring rules already gone) the drops of one cut. */
export async function cutNode(node: OwnNode, kind: keyof typeof CUTS, action: "cut" | "heal"): Promise<void> {
  for (const rule of CUTS[kind]) {
    const done = inNode(node, "iptables", action === "cut" ? "-I" : "-D", ...rule.split(" "), "-j", "DROP");
    await (action === "cut" ? done : done.catch(() => undefined));
  }
}
