/**
 * Consistency across nodes (issue 11): what each node's verbose view of an overlay says versus what the
 * swarm runs, and address pools that collide. Pure: the host's routes are read by the server side and given.
 */
import { shellCommand } from "../escape/shell.ts";
import type { RuleId } from "../reachability/rule-ids.ts";
import type { Container, Network, NetworkView, Swarm, SwarmNode, SwarmTask, Topology } from "../topology.ts";

/** The consistency rules of docs/rules.md ("Consistency across nodes"). */
export type ConsistencyRuleId = Extract<RuleId, `CS-${string}`>;

/** One route of the machine reachgraph runs on (`ip -4 route`), as the server side read it. */
export interface HostRoute {
  /** IPv4 CIDR; `default` is 0.0.0.0/0. */
  dst: string;
  /** The device, when the route has one. */
  dev: string | null;
  /** unicast, blackhole, unreachable, prohibit, local, broadcast… */
  type: string;
}

/** The machine reachgraph runs on: which map key it is, and its routes. */
export interface HostRoutes {
  /** The {@link Topology} engine key of this machine's engine; its networks are the ones the routes meet. */
  node: string;
  routes: HostRoute[];
}

/** A finding, shown like a verdict: the rule, what is wrong, the evidence and from which node, and the fix. */
export interface Finding {
  rule: ConsistencyRuleId;
  /** One line: what is wrong. */
  summary: string;
  /** The network concerned (an overlay for CS-1..5). */
  network: { id: string; name: string };
  /** The node whose view or engine the evidence comes from (a map key). */
  node: string;
  /** The facts that show it, each one line, each saying where it was read. */
  evidence: string[];
  /** What to do: commands (POSIX-quoted) and one-line advice. */
  fix: string[];
}

const LIVE = new Set(["running", "paused", "restarting"]);

/**
 * Every consistency finding of a merged topology, in a stable order; [] on a healthy swarm. Peer and backend
 * checks (CS-1..5) need the swarm (a manager among the engines): only `/nodes` maps a peer's underlay address
 * to its node (a peer's `Name` is networkdb's random node name, not the hostname).
 */
export function consistencyFindings(topology: Topology, host?: HostRoutes): Finding[] {
  const findings: Finding[] = [];
  const swarm = topology.swarm;
  if (swarm) {
    const fleet = new FleetFacts(topology, swarm);
    for (const net of topology.networks) {
      if (net.scope !== "swarm") continue;
      for (const view of net.views ?? []) {
        findings.push(...peerFindings(fleet, net, view), ...backendFindings(fleet, net, view));
      }
    }
    findings.push(...downNodeFindings(fleet));
  }
  findings.push(...poolOverlaps(topology));
  if (host) findings.push(...routeOverlaps(topology, host));
  return findings;
}

/** Who runs what on which overlay, from the merged containers and the manager's tasks. */
class FleetFacts {
  readonly byAddr = new Map<string, SwarmNode>();
  readonly byId = new Map<string, SwarmNode>();
  private readonly attached = new Map<string, Map<string, { task: SwarmTask; ip: string }[]>>();
  /** Network ID → node key → what runs there (container names). */
  private readonly members = new Map<string, Map<string, string[]>>();

  constructor(
    readonly topology: Topology,
    readonly swarm: Swarm,
  ) {
    for (const n of swarm.nodes) {
      this.byAddr.set(n.addr, n);
      this.byId.set(n.id, n);
    }
    for (const c of topology.containers) {
      if (!LIVE.has(c.state) || !c.node) continue;
      for (const i of c.interfaces)
        if (i.networkId && !i.implicit) this.addMember(i.networkId, c.node, c.name);
    }
    for (const t of swarm.tasks) {
      const node = this.byId.get(t.nodeId);
      if (!node || !isRunning(t)) continue;
      for (const a of t.attachments) this.addMember(a.networkId, node.hostname, `task ${t.id.slice(0, 12)}`);
    }
  }

  private addMember(networkId: string, node: string, what: string): void {
    let nodes = this.members.get(networkId);
    if (!nodes) this.members.set(networkId, (nodes = new Map()));
    const list = nodes.get(node) ?? [];
    if (!list.includes(what)) list.push(what);
    nodes.set(node, list);
  }

  /** What runs on `net` on `node` (container names, task IDs); ingress: every node's ingress-sbox (OV-9). */
  membersOn(net: Network, node: string): string[] {
    if (net.ingress) return ["ingress-sbox"];
    return this.members.get(net.id)?.get(node) ?? [];
  }

  /** The tasks with an address on `net`, by service ID (computed once per network: views share it). */
  tasksOn(net: Network): Map<string, { task: SwarmTask; ip: string }[]> {
    let byService = this.attached.get(net.id);
    if (byService) return byService;
    byService = new Map();
    for (const task of this.swarm.tasks) {
      const ip = task.attachments.find((a) => a.networkId === net.id)?.addresses[0]?.replace(/\/\d+$/, "");
      if (!ip) continue;
      const list = byService.get(task.serviceId) ?? [];
      list.push({ task, ip });
      byService.set(task.serviceId, list);
    }
    this.attached.set(net.id, byService);
    return byService;
  }

  /** The ready nodes that run something on `net`: the peers every participating node's view should list. */
  expectedNodes(net: Network): SwarmNode[] {
    return this.swarm.nodes.filter((n) => n.state === "ready" && this.membersOn(net, n.hostname).length > 0);
  }

  /** Containers an engine itself reports running on `net` (not the manager's word: its own). */
  ownContainers(net: Network, node: string): Container[] {
    return this.topology.containers.filter(
      (c) =>
        c.engine === node &&
        LIVE.has(c.state) &&
        c.interfaces.some((i) => i.networkId === net.id && !i.implicit),
    );
  }
}

function isRunning(t: SwarmTask): boolean {
  return t.state === "running" && t.desiredState === "running";
}

const inspect = (net: Network) => shellCommand("docker", "network", "inspect", "--verbose", net.name);
const onNode = (node: string, command: string) => `on ${node}: ${command}`;
const netRef = (net: Network) => ({ id: net.id, name: net.name });

/** CS-1 (a listed peer that should not be) and CS-2 (a peer that should be listed and is not). */
function peerFindings(fleet: FleetFacts, net: Network, view: NetworkView): Finding[] {
  const out: Finding[] = [];
  const listed = view.peers.map((p) => p.ip);
  const evidence = `${view.node}'s view of ${net.name} lists the peers ${listed.join(", ") || "(none)"}`;
  for (const peer of view.peers) {
    const node = fleet.byAddr.get(peer.ip);
    // A node lists itself while it is on the network; a node down for the manager is CS-3's.
    if (node?.hostname === view.node) continue;
    let why: string | null = null;
    let fix: string[] = [];
    if (!node) {
      why = `no node of the swarm has the address ${peer.ip} (networkdb name ${peer.name})`;
      fix = [
        "a node that left or was removed is still gossiped about; it clears when networkdb reaps it",
        onNode(view.node, "restart the engine if it stays (systemctl restart docker)"),
      ];
    } else if (node.state !== "ready") {
      why = `the manager reports ${node.hostname} (${peer.ip}) ${node.state}`;
      fix = [
        `bring ${node.hostname} back, or remove it for good: ${shellCommand("docker", "node", "rm", "--force", node.hostname)}`,
      ];
    } else if (node.engine && fleet.membersOn(net, node.hostname).length === 0) {
      // Only with that node's engine connected do we know all it runs (attachable containers included).
      why = `${node.hostname} (${peer.ip}) runs nothing on ${net.name}, as its own engine reports`;
      fix = [
        `the node left ${net.name} and ${view.node} missed the leave event (moby#47728)`,
        onNode(view.node, "restart the engine if it stays (systemctl restart docker)"),
      ];
    }
    if (why)
      out.push({
        rule: "CS-1",
        summary: `stale peer ${peer.ip} in ${view.node}'s view of ${net.name}`,
        network: netRef(net),
        node: view.node,
        evidence: [evidence, why],
        fix: [...fix, onNode(view.node, inspect(net))],
      });
  }
  // A node that runs nothing on the network has not joined it: only a participant's view must be complete.
  if (fleet.membersOn(net, view.node).length === 0) return out;
  for (const node of fleet.expectedNodes(net)) {
    if (listed.includes(node.addr)) continue;
    const runs = fleet.membersOn(net, node.hostname);
    out.push({
      rule: "CS-2",
      summary: `${view.node}'s view of ${net.name} misses the peer ${node.hostname} (${node.addr})`,
      network: netRef(net),
      node: view.node,
      evidence: [
        evidence,
        `${node.hostname} (${node.addr}, ready) runs ${runs.slice(0, 3).join(", ")}${runs.length > 3 ? ", …" : ""} on ${net.name}`,
      ],
      fix: [
        `${view.node} sends ${net.name}'s VXLAN nowhere for ${node.hostname}: open 7946/tcp, 7946/udp and 4789/udp between ${view.node} and ${node.addr}`,
        onNode(view.node, inspect(net)),
      ],
    });
  }
  return out;
}

/** CS-4 (a backend no running task has) and CS-5 (a running task no backend names), per service of a view. */
function backendFindings(fleet: FleetFacts, net: Network, view: NetworkView): Finding[] {
  if (fleet.membersOn(net, view.node).length === 0) return [];
  const out: Finding[] = [];
  const services = new Map(fleet.swarm.services.map((s) => [s.name, s]));
  const attached = fleet.tasksOn(net);
  const nodeOf = (t: SwarmTask) => fleet.byId.get(t.nodeId);
  for (const entry of view.services) {
    // "": endpoints of no service (attachable containers, ingress-sbox); their nodes are not in the view.
    if (entry.name === "") continue;
    const service = services.get(entry.name);
    const tasks = (service && attached.get(service.id)) || [];
    const running = new Map<string, SwarmTask>();
    for (const { task, ip } of tasks)
      if (isRunning(task) && nodeOf(task)?.state === "ready") running.set(ip, task);
    const names = entry.backends.map((b) => `${b.ip} (${b.name})`).join(", ") || "(none)";
    const evidence = `${view.node}'s view of ${net.name} balances ${entry.name} to ${names}`;
    for (const b of entry.backends) {
      if (running.has(b.ip)) continue;
      const task = tasks.find((t) => t.ip === b.ip)?.task;
      const node = task ? nodeOf(task) : undefined;
      const why = !service
        ? `the manager lists no service ${entry.name}`
        : !task
          ? `no task of ${entry.name} has the address ${b.ip} on ${net.name}`
          : `its task ${task.id.slice(0, 12)} is ${task.state} (desired ${task.desiredState}) on ${node?.hostname ?? task.nodeId}${node && node.state !== "ready" ? `, which is ${node.state}` : ""}`;
      out.push({
        rule: "CS-4",
        summary: `stale backend ${b.ip} of ${entry.name} in ${view.node}'s view of ${net.name}`,
        network: netRef(net),
        node: view.node,
        evidence: [evidence, why],
        fix: [
          `${entry.name}'s VIP and tasks.${entry.name} still send some connections to a task the manager no longer runs (moby#47728)`,
          service
            ? shellCommand("docker", "service", "update", "--force", entry.name)
            : onNode(view.node, "restart the engine (systemctl restart docker)"),
          onNode(view.node, inspect(net)),
        ],
      });
    }
  }
  const entries = new Map(view.services.map((s) => [s.name, s]));
  for (const service of fleet.swarm.services) {
    const entry = entries.get(service.name);
    const listed = new Set(entry?.backends.map((b) => b.ip) ?? []);
    for (const { task: t, ip } of attached.get(service.id) ?? []) {
      if (!isRunning(t) || listed.has(ip)) continue;
      const node = nodeOf(t);
      if (node?.state !== "ready") continue;
      out.push({
        rule: "CS-5",
        summary: `${view.node}'s view of ${net.name} misses the backend ${ip} of ${service.name}`,
        network: netRef(net),
        node: view.node,
        evidence: [
          entry
            ? `${view.node}'s view of ${net.name} balances ${service.name} to ${[...listed].join(", ") || "(none)"}`
            : `${view.node}'s view of ${net.name} has no entry for ${service.name}`,
          `the manager reports task ${t.id.slice(0, 12)} of ${service.name} running on ${node.hostname} at ${ip}`,
        ],
        fix: [
          `from ${view.node}, ${service.name} never reaches that task: check gossip (7946/tcp, 7946/udp) between ${view.node} and ${node.addr}`,
          shellCommand("docker", "service", "update", "--force", service.name),
        ],
      });
    }
  }
  return out;
}

/** CS-3: the manager reports a node down while its own engine still runs overlay members: they are cut off. */
function downNodeFindings(fleet: FleetFacts): Finding[] {
  const out: Finding[] = [];
  for (const node of fleet.swarm.nodes) {
    if (node.state === "ready" || !node.engine) continue;
    for (const net of fleet.topology.networks) {
      if (net.scope !== "swarm" || net.ingress) continue;
      const own = fleet.ownContainers(net, node.engine);
      if (own.length === 0) continue;
      const manager = fleet.swarm.manager;
      out.push({
        rule: "CS-3",
        summary: `${node.hostname} is ${node.state} for the manager, yet runs ${own.length} member${own.length === 1 ? "" : "s"} of ${net.name}`,
        network: netRef(net),
        node: node.engine,
        evidence: [
          `${manager} (manager) reports ${node.hostname} (${node.addr}) ${node.state}`,
          `${node.engine}'s engine reports ${own
            .slice(0, 3)
            .map((c) => c.name)
            .join(", ")}${own.length > 3 ? ", …" : ""} running on ${net.name}`,
        ],
        fix: [
          `the manager gives up its tasks there (desired shutdown) while they keep running; once gossip fails too, the other nodes drop it from ${net.name}'s peers`,
          onNode(node.hostname, `check the underlay to the manager and 2377/tcp, 7946/tcp+udp, 4789/udp`),
          onNode(node.hostname, inspect(net)),
        ],
      });
    }
  }
  return out;
}

interface Cidr {
  text: string;
  first: number;
  last: number;
}

function parseCidr(text: string): Cidr | null {
  const cidr = text === "default" ? "0.0.0.0/0" : text.includes("/") ? text : `${text}/32`;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return null;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const first = value - (value % size);
  return { text: cidr, first, last: first + size - 1 };
}

const overlap = (a: Cidr, b: Cidr) => a.first <= b.last && b.first <= a.last;

function subnetsOf(net: Network): Cidr[] {
  if (net.configOnly) return [];
  return net.subnets.map((s) => parseCidr(s.subnet)).filter((c): c is Cidr => c !== null);
}

/**
 * CS-7: a local-scope network on some node whose pool overlaps a swarm-scope network's. On that node a task
 * of the overlay cannot get its sandbox (the subnet is already routed there), and a container on both cannot
 * tell the two apart. Local networks of different nodes do not collide: each lives on its own machine.
 */
function poolOverlaps(topology: Topology): Finding[] {
  const out: Finding[] = [];
  const overlays = topology.networks.filter((n) => n.scope === "swarm");
  for (const local of topology.networks) {
    if (local.scope === "swarm" || !local.node) continue;
    for (const a of subnetsOf(local))
      for (const overlay of overlays)
        for (const b of subnetsOf(overlay)) {
          if (!overlap(a, b)) continue;
          out.push({
            rule: "CS-7",
            summary: `${local.name} on ${local.node} (${a.text}) overlaps the overlay ${overlay.name} (${b.text})`,
            network: netRef(overlay),
            node: local.node,
            evidence: [
              `${local.node}'s engine has the ${local.driver} network ${local.name} with the subnet ${a.text}`,
              `the swarm's network ${overlay.name} has the subnet ${b.text}`,
            ],
            fix: [
              `a task of ${overlay.name} placed on ${local.node} fails to join its sandbox; move one of the two pools`,
              onNode(local.node, shellCommand("docker", "network", "rm", local.name)),
              onNode(
                local.node,
                `${shellCommand("docker", "network", "create", "--driver", local.driver, "--subnet")} <a free subnet> ${shellCommand(local.name)}`,
              ),
            ],
          });
        }
  }
  return out;
}

/**
 * CS-6: a network on this machine whose pool overlaps one of its routes that Docker did not make (a VPN, a
 * LAN): traffic for that range goes to the containers instead, or the containers cannot reach it. Blackhole
 * and other non-unicast routes are skipped: they drop, they do not compete.
 */
function routeOverlaps(topology: Topology, host: HostRoutes): Finding[] {
  const local = topology.networks.filter((n) =>
    n.scope === "swarm" ? (n.nodes ?? []).includes(host.node) : (n.node ?? host.node) === host.node,
  );
  const dockerDevs = new Set(local.map(bridgeDevice).filter((d): d is string => d !== null));
  const out: Finding[] = [];
  for (const route of host.routes) {
    if (route.type !== "unicast" || (route.dev && dockerDevs.has(route.dev))) continue;
    const dst = parseCidr(route.dst);
    // The default route overlaps everything and competes with nothing: a more specific route wins.
    if (!dst || dst.last - dst.first === 2 ** 32 - 1) continue;
    for (const net of local)
      for (const s of subnetsOf(net)) {
        if (!overlap(dst, s)) continue;
        out.push({
          rule: "CS-6",
          summary: `${net.name} (${s.text}) overlaps the host route ${dst.text}${route.dev ? ` dev ${route.dev}` : ""}`,
          network: netRef(net),
          node: host.node,
          evidence: [
            `${host.node}'s routes hold ${dst.text}${route.dev ? ` dev ${route.dev}` : ""}`,
            `${net.name} has the subnet ${s.text}`,
          ],
          fix: [
            `containers on ${net.name} cannot reach ${dst.text} beyond the host; give the network another pool`,
            'set "default-address-pools" in /etc/docker/daemon.json to ranges no route uses',
          ],
        });
      }
  }
  return out;
}

/** The host device a network's traffic uses, for routes Docker made for it: br-<id>, docker0 or its own name. */
function bridgeDevice(net: Network): string | null {
  if (net.driver !== "bridge") return null;
  return (
    net.options["com.docker.network.bridge.name"] ??
    (net.defaultBridge ? "docker0" : `br-${net.id.slice(0, 12)}`)
  );
}
