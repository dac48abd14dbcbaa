import { mdCode, mdText } from "../escape/markdown.ts";
import { fleetChoices } from "../graph/filter.ts";
import { isFleet, machineOrder } from "../graph/fleet-groups.ts";
import type { Container, Network } from "../topology.ts";
import type { ExportView } from "./view.ts";

/** A machine's list names at most this many containers; the containers table has them all. */
const MAX_NAMES = 100;

/**
 * A fleet's machines, one subsection each: the engine read (or none, when only the manager knows it), its
 * swarm role, availability, state and address, the containers and tasks on it, its local networks and the
 * overlays that span it. Nothing for a single engine.
 */
export function nodeSection(view: ExportView): string[] {
  if (!isFleet(view)) return [];
  const machines = machineOrder(view, fleetChoices(view).nodes).filter(
    (m) => (view.options.node ?? m) === m && (view.options.engine ?? m) === m,
  );
  const out = [
    "## Nodes",
    "",
    "Each machine: an engine reachgraph read, or a swarm node the manager reports. Local networks live on one machine (`bridge` on one is not another's); overlays span machines.",
  ];
  for (const m of machines) out.push("", ...machine(view, m));
  return out;
}

function machine(view: ExportView, key: string): string[] {
  const engine = view.engines.find((e) => e.key === key);
  const node = view.swarm?.nodes.find((n) => (n.engine ?? n.hostname) === key);
  const here = view.containers.filter((c) => (c.node ?? view.engines[0]?.key) === key);
  const tasks = here.filter((c) => c.swarm);
  const local = view.networks.filter((n) => n.scope !== "swarm" && n.node === key);
  const overlays = view.networks.filter((n) => n.scope === "swarm" && (n.nodes ?? []).includes(key));
  const lines = [
    `### ${mdText(key)}`,
    "",
    engine
      ? `- Engine: Docker ${mdText(engine.info.serverVersion)}, API ${mdText(engine.info.apiVersion)}${engine.url ? ` at ${mdCode(engine.url)}` : ""}`
      : "- Engine: not connected; what is on it comes from the manager's `/tasks`",
  ];
  if (node)
    lines.push(
      `- Swarm: ${mdText(node.role)}${node.leader ? " (leader)" : ""}, availability ${mdText(node.availability)}, state ${mdText(node.state)}${node.addr ? `, address ${mdText(node.addr)}` : ""}`,
    );
  lines.push(
    `- Containers (${here.length - tasks.length}): ${names(here.filter((c) => !c.swarm))}`,
    `- Tasks (${tasks.length}): ${names(tasks)}`,
    `- Local networks (${local.length}): ${networkNames(local)}`,
    `- Overlays spanning it (${overlays.length}): ${networkNames(overlays)}`,
  );
  return lines;
}

function names(containers: readonly Container[]): string {
  if (!containers.length) return "none";
  const shown = containers.slice(0, MAX_NAMES).map((c) => `${mdCode(c.name)} (${mdText(c.state)})`);
  const more = containers.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? `, and ${more} more (see Containers)` : ""}`;
}

function networkNames(networks: readonly Network[]): string {
  return networks.map((n) => mdCode(n.name)).join(", ") || "none";
}
