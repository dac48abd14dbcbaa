import { shellCommand } from "../escape/shell.ts";
import type { Container, Network } from "../topology.ts";
import { engineName } from "../topology.ts";
import { machineOf, onDifferentMachines } from "./machines.ts";
import { HOST_SANDBOX, pairPaths } from "./pair-paths.ts";
import { directMedium, isGwbridge } from "./routes.ts";
import { isUp, modeOf } from "./topology-index.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { Fix, RuleId, Verdict } from "./types.ts";

/** One blocker's remedy: its commands, in order, and why they work. */
interface Step {
  commands: string[];
  text: string;
  rule: RuleId;
}

/** The ends of a pair once every state step has run (null = the host). */
interface Ends {
  from: number | null;
  to: number | null;
  s: Sandbox;
  t: Sandbox;
}

const NEW_NETWORK_UNSAFE = /[^a-zA-Z0-9_.-]/g;

/**
 * Every command that together makes the pair reachable, in an order that works: state first (start, restart,
 * unpause; both ends), then the network change the started pair still needs. `network` is the pair's network
 * verdict when both ends are already up (saves recomputing it). Undefined when nothing blocks the pair.
 */
export function suggestFix(
  index: TopologyIndex,
  from: number | null,
  to: number | null,
  network?: Verdict,
): Fix | undefined {
  const failed = failedStart(index, from, to);
  if (failed) return failed;
  const steps: Step[] = [];
  const state = stateStep(index, from, to);
  if (state) steps.push(state);
  const boxes = new Map<number, Sandbox>();
  const s = afterState(index, from, boxes);
  const t = afterState(index, to, boxes);
  if (!s || !t) return undefined;
  const target = to === null ? null : index.containers[to];
  const verdict = !state && network ? network : verdictOf(pairPaths(index, s, t, target).paths);
  if (verdict === "blocked") steps.push(networkStep(index, { from, to, s, t }));
  if (!steps.length) return undefined;
  return {
    commands: steps.flatMap((step) => step.commands),
    text: steps.map((step) => step.text).join("; then "),
    rule: steps[0].rule,
  };
}

function verdictOf(paths: { verdict: string }[]): Verdict {
  if (paths.some((p) => p.verdict === "reachable")) return "reachable";
  return paths.length ? "unknown" : "blocked";
}

/** IV-1, §5 duplicate names: a container whose start failed fails again; no command here changes that. */
function failedStart(index: TopologyIndex, from: number | null, to: number | null): Fix | undefined {
  for (const i of [from, to]) {
    if (i === null || index.ownerOf[i] < 0) continue;
    const c = index.containers[index.ownerOf[i]];
    if (!isUp(c) && c.error)
      return {
        commands: [],
        text: `${c.name} failed to start (${c.error}): docker start fails the same way until that cause is gone (IV-1)`,
        rule: "IV-1",
      };
  }
  return undefined;
}

/** §5, CN-3: providers start before their joiners; a running joiner of a stopped provider restarts; paused ends unpause. */
function stateStep(
  index: TopologyIndex,
  from: number | null,
  to: number | null,
  nameOf: (c: Container) => string = (c) => c.name,
): Step | null {
  const [m1, m2] = [from, to].map((i) =>
    i === null || index.ownerOf[i] < 0
      ? null
      : (index.containers[index.ownerOf[i]].node ?? index.machines.host),
  );
  if (index.machines.several && m1 && m2 && m1 !== m2) return stepsByMachine(index, [m1, from], [m2, to]);
  const start: string[] = [];
  const restart: string[] = [];
  const unpause: string[] = [];
  const tasks = new Map<string, string>();
  for (const i of [from, to]) {
    if (i === null || index.ownerOf[i] < 0) continue;
    const c = index.containers[i];
    const owner = index.containers[index.ownerOf[i]];
    // A swarm task is not restarted by hand: the orchestrator replaces it (SW-12 for what the manager shows).
    if (!isUp(owner) && owner.swarm) tasks.set(owner.name, owner.swarm.service);
    else if (!isUp(owner)) start.push(nameOf(owner));
    if (owner !== c && !isUp(c)) start.push(nameOf(c));
    else if (owner !== c && !isUp(owner)) restart.push(nameOf(c));
    for (const x of owner === c ? [c] : [owner, c]) if (x.state === "paused") unpause.push(nameOf(x));
  }
  const steps: Step[] = [];
  for (const [name, service] of tasks)
    steps.push({
      commands: [],
      text: `${name} is a task of ${service}, which the swarm replaces rather than restarts: on a manager, ${shellCommand("docker", "service", "ps", "--no-trunc", service)} shows why it does not run`,
      rule: "§5 stopped",
    });
  if (start.length)
    steps.push({
      commands: [shellCommand("docker", "start", ...new Set(start))],
      text: `start ${[...new Set(start)].join(" and ")}: a stopped container has no endpoint (§5)`,
      rule: "§5 stopped",
    });
  if (restart.length)
    steps.push({
      commands: [shellCommand("docker", "restart", ...new Set(restart))],
      text: `restart ${restart.join(" and ")}: a joiner is not re-attached when its provider starts (CN-3)`,
      rule: "CN-3",
    });
  if (unpause.length)
    steps.push({
      commands: [shellCommand("docker", "unpause", ...new Set(unpause))],
      text: `unpause ${[...new Set(unpause)].join(" and ")}: a paused container's processes get no service (§5 paused)`,
      rule: "§5 paused",
    });
  if (!steps.length) return null;
  return {
    commands: steps.flatMap((s) => s.commands),
    text: steps.map((s) => s.text).join("; then "),
    rule: steps.length > 1 && restart.length ? "CN-3" : steps[0].rule,
  };
}

/**
 * SW-2: ends on different machines are started each on its own engine; one `docker start` cannot name both, so
 * the commands are text, each said with its machine (as remoteStep's).
 */
function stepsByMachine(index: TopologyIndex, ...ends: [string, number | null][]): Step | null {
  const steps = ends
    // Said on its own machine, each container goes by its engine's name there.
    .map(([machine, i]) => ({ machine, step: stateStep(index, i, null, engineName) }))
    .filter((x): x is { machine: string; step: Step } => x.step !== null);
  if (!steps.length) return null;
  return {
    commands: [],
    text: steps
      .map(({ machine, step }) => `on ${machine}: ${[...step.commands, step.text].join(" — ")}`)
      .join("; "),
    rule: steps[0].step.rule,
  };
}

/** The end's namespace once started: its recorded network keys become endpoints (addresses unknown yet). */
function afterState(index: TopologyIndex, i: number | null, made: Map<number, Sandbox>): Sandbox | undefined {
  if (i === null) return HOST_SANDBOX;
  const o = index.ownerOf[i];
  if (o < 0) return undefined;
  const box = index.sandboxes[o];
  if (box?.up) return box;
  const known = made.get(o);
  if (known) return known;
  const owner = index.containers[o];
  const mode = modeOf(owner);
  const ifaces: LiveIface[] =
    mode === "networks"
      ? owner.interfaces.map((iface) => ({
          iface,
          net:
            index.networksById.get(iface.networkId) ??
            index.topology.networks.find((n) => n.name === iface.network) ??
            null,
        }))
      : [];
  const started: Sandbox = { owner: o, mode, up: true, ifaces };
  made.set(o, started);
  return started;
}

/** The network change that makes two live ends reachable. */
function networkStep(index: TopologyIndex, ends: Ends): Step {
  const { s, t } = ends;
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  if (s.mode === "none" || t.mode === "none") return noneStep(index, ends);
  if (onDifferentMachines(index, s, t)) return remoteStep(index, ends);
  if (ends.to === null || t.mode === "host")
    // HC-4/H-3: any bridge endpoint reaches every host address.
    return {
      commands: [connect("bridge", src)],
      text: `give ${src} a bridge endpoint: bridge containers reach every host address${joinerNote(index, ends.from, s)}`,
      rule: "HC-4",
    };
  if (s.mode === "host") return fixFromHost(t, tgt);
  const candidate = joinableOf(t);
  if (candidate)
    return {
      commands: [connect(candidate.name, src)],
      text: `connect ${src} to ${candidate.name}, where ${directMedium(candidate).text}${joinerNote(index, ends.from, s)}`,
      rule: directMedium(candidate).rule,
    };
  return {
    ...shareNewNetwork(src, tgt),
    text: `${tgt}'s networks do not let peers in (icc=false, ICC-1): put both on a new network, or recreate ${tgt} with -p to publish a port (ICC-3)`,
    rule: "ICC-1",
  };
}

/**
 * SW-1, SW-2: ends on different machines meet only on a swarm overlay: join the target's attachable overlay if
 * it has one, else create one on a manager. The commands run on different engines, so they are text here.
 */
function remoteStep(index: TopologyIndex, { s, t }: Ends): Step {
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  const where = `${machineOf(index, s)}'s engine`;
  const overlay = t.ifaces.find(
    (l) => l.net?.driver === "overlay" && l.net.attachable && !l.net.ingress,
  )?.net;
  if (overlay && s.mode === "networks")
    return {
      commands: [],
      text: `on ${where}: ${connect(overlay.name, src)} — ${overlay.name} is an attachable overlay that spans nodes (SW-1)`,
      rule: "SW-1",
    };
  return {
    commands: [],
    text: `${src} and ${tgt} are on different machines, whose local networks never meet (SW-2): on a swarm manager, ${shellCommand("docker", "network", "create", "-d", "overlay", "--attachable", `${src}-${tgt}`.replace(NEW_NETWORK_UNSAFE, "-"))}, then connect each from its own engine; or publish a port on ${tgt}'s machine (SW-10)`,
    rule: "SW-2",
  };
}

/** NO-1: a none-mode namespace has only lo; `docker network disconnect none` then `connect` gives it an endpoint. */
function noneStep(index: TopologyIndex, { to, s, t }: Ends): Step {
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  const leave = (who: string) => shellCommand("docker", "network", "disconnect", "none", who);
  const text = (who: string, where: string) =>
    `${who} runs with --network none (NO-1): disconnect it from none and connect it to ${where}`;
  if (s.mode === "none" && t.mode === "none")
    return {
      commands: [leave(src), connect("bridge", src), leave(tgt), connect("bridge", tgt)],
      text: `${src} and ${tgt} run with --network none (NO-1): disconnect both from none and connect both to bridge (DB-1)`,
      rule: "NO-1",
    };
  const [who, other, otherName] = s.mode === "none" ? [src, t, tgt] : [tgt, s, src];
  // HC-1/HC-4: the host and host-mode containers reach bridge IPs, and bridge containers reach the host.
  if (other.mode === "host" || (s.mode === "none" && to === null))
    return { commands: [leave(who), connect("bridge", who)], text: text(who, "bridge"), rule: "NO-1" };
  const candidate = joinableOf(other);
  if (candidate)
    return {
      commands: [leave(who), connect(candidate.name, who)],
      text: text(who, `${candidate.name}, where ${directMedium(candidate).text}`),
      rule: "NO-1",
    };
  const shared = shareNewNetwork(src, tgt);
  return {
    commands: [leave(who), ...shared.commands],
    text: `${text(who, `a new network`)}, together with ${otherName}, whose networks do not let peers in (ICC-1)`,
    rule: "NO-1",
  };
}

function fixFromHost(t: Sandbox, tgt: string): Step {
  const mv = t.ifaces.find((l) => l.net?.driver === "macvlan" || l.net?.driver === "ipvlan");
  if (mv?.net) {
    const parent = mv.net.parent ?? "<parent>";
    const subnet = mv.net.subnets.find((s) => !s.subnet.includes(":"))?.subnet ?? "<subnet>";
    return {
      commands: [],
      text: `the host and ${mv.net.driver} children are isolated (MV-3); no docker command changes that. Add a host shim (MV-4): ip link add mvshim link ${parent} type ${mv.net.driver === "macvlan" ? "macvlan mode bridge" : "ipvlan mode l2"}; ip addr add <free IP in ${subnet}>/32 dev mvshim; ip link set mvshim up; ip route add ${subnet} dev mvshim`,
      rule: "MV-4",
    };
  }
  return {
    commands: [connect("bridge", tgt)],
    text: `the host reaches bridge IPs (HC-1) but has no route into ${tgt}'s networks (HC-2)`,
    rule: "HC-1",
  };
}

/** ICC-1: a fresh user-defined bridge (UB-1) for both; its name is derived from theirs. */
function shareNewNetwork(src: string, tgt: string): Pick<Step, "commands"> {
  const shared = `${src}-${tgt}`.replace(NEW_NETWORK_UNSAFE, "-");
  return {
    commands: [
      shellCommand("docker", "network", "create", shared),
      connect(shared, src),
      connect(shared, tgt),
    ],
  };
}

function connect(network: string, container: string): string {
  return shellCommand("docker", "network", "connect", network, container);
}

/** The best network of `box` that a standalone container can join and whose members reach each other. */
function joinableOf(box: Sandbox): Network | undefined {
  return box.ifaces
    .map((l) => l.net)
    .filter((n): n is Network => n !== null && joinable(n))
    .sort((a, b) => rank(a) - rank(b))[0];
}

function joinable(net: Network): boolean {
  if (net.ingress || isGwbridge(net) || net.configOnly) return false;
  if (net.driver === "overlay" && !net.attachable) return false; // OV-1
  return directMedium(net).verdict === "reachable";
}

function rank(net: Network): number {
  if (net.defaultBridge) return 3; // DB-2: no names there
  if (net.driver === "bridge") return net.internal ? 1 : 0;
  return 2;
}

function ownerName(index: TopologyIndex, box: Sandbox): string {
  return box.owner < 0 ? "@host" : index.containers[box.owner].name;
}

function joinerNote(index: TopologyIndex, from: number | null, s: Sandbox): string {
  if (from === null || from === s.owner || s.owner < 0) return "";
  return ` (${index.containers[from].name} shares ${index.containers[s.owner].name}'s namespace, CN-1)`;
}
