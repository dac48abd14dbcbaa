import { shellCommand } from "../escape/shell.ts";
import type { Container, EngineEntry, Network } from "../topology.ts";
import { engineName } from "../topology.ts";
import { machine, machineOf, onDifferentMachines } from "./machines.ts";
import { HOST_SANDBOX, pairPaths } from "./pair-paths.ts";
import { directMedium, isGwbridge } from "./routes.ts";
import { isUp, modeOf } from "./topology-index.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { Fix, RuleId, Verdict } from "./types.ts";

/** One blocker's remedy: its commands, in order, and why they work. */
interface Step {
  commands: Cmd[];
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
  const commands = steps.flatMap((step) => step.commands);
  return {
    commands: commands.map((c) => c.line),
    text: steps.map((step) => step.text).join("; then ") + whereToRun(index, commands),
    rule: steps[0].rule,
  };
}

/**
 * A snapshot, or a task's node with no connected engine: no address to name in the command, so the text says
 * which machine each command runs on.
 */
function whereToRun(index: TopologyIndex, commands: Cmd[]): string {
  if (commands.every((c) => reachableEngine(index, c.on))) return "";
  const byMachine = new Map<string, number[]>();
  commands.forEach((c, i) => byMachine.set(c.on, [...(byMachine.get(c.on) ?? []), i + 1]));
  const said = [...byMachine].map(([m, ns]) => `${ns.join(" and ")} on ${m}'s engine`).join(", ");
  return ` (the map does not know how to reach the engines: run command ${said})`;
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
function stateStep(index: TopologyIndex, from: number | null, to: number | null): Step | null {
  const [m1, m2] = [from, to].map((i) =>
    i === null || index.ownerOf[i] < 0
      ? null
      : (index.containers[index.ownerOf[i]].node ?? index.machines.host),
  );
  if (index.machines.several && m1 && m2 && m1 !== m2)
    return joinSteps([stateStep(index, from, null), stateStep(index, to, null)]);
  const on = engineOf(index, m1 ?? m2 ?? index.machines.host);
  const start: Container[] = [];
  const restart: Container[] = [];
  const unpause: Container[] = [];
  const tasks = new Map<string, string>();
  for (const i of [from, to]) {
    if (i === null || index.ownerOf[i] < 0) continue;
    const c = index.containers[i];
    const owner = index.containers[index.ownerOf[i]];
    // A swarm task is not restarted by hand: the orchestrator replaces it (SW-12 for what the manager shows).
    if (!isUp(owner) && owner.swarm) tasks.set(owner.name, owner.swarm.service);
    else if (!isUp(owner)) start.push(owner);
    if (owner !== c && !isUp(c)) start.push(c);
    else if (owner !== c && !isUp(owner)) restart.push(c);
    for (const x of owner === c ? [c] : [owner, c]) if (x.state === "paused") unpause.push(x);
  }
  const steps: Step[] = [];
  for (const [name, service] of tasks)
    steps.push({
      commands: [],
      text: `${name} is a task of ${service}, which the swarm replaces rather than restarts: on a manager, ${shellCommand("docker", "service", "ps", "--no-trunc", service)} shows why it does not run`,
      rule: "§5 stopped",
    });
  const said = (cs: Container[]) => [...new Set(cs.map((c) => c.name))].join(" and ");
  const run = (verb: string, cs: Container[]) => [on.run(verb, ...new Set(cs.map(engineName)))];
  if (start.length)
    steps.push({
      commands: run("start", start),
      text: `start ${said(start)}: a stopped container has no endpoint (§5)`,
      rule: "§5 stopped",
    });
  if (restart.length)
    steps.push({
      commands: run("restart", restart),
      text: `restart ${said(restart)}: a joiner is not re-attached when its provider starts (CN-3)`,
      rule: "CN-3",
    });
  if (unpause.length)
    steps.push({
      commands: run("unpause", unpause),
      text: `unpause ${said(unpause)}: a paused container's processes get no service (§5 paused)`,
      rule: "§5 paused",
    });
  if (!steps.length) return null;
  return {
    commands: steps.flatMap((s) => s.commands),
    text: steps.map((s) => s.text).join("; then "),
    rule: steps.length > 1 && restart.length ? "CN-3" : steps[0].rule,
  };
}

/** Steps in order, as one; null when none is left. */
function joinSteps(parts: (Step | null)[]): Step | null {
  const steps = parts.filter((x): x is Step => x !== null);
  if (!steps.length) return null;
  return {
    commands: steps.flatMap((x) => x.commands),
    text: steps.map((x) => x.text).join("; then "),
    rule: steps[0].rule,
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
  if (onDifferentMachines(index, s, t)) return remoteStep(index, ends);
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  const on = engineOf(index, machineOf(index, s));
  if (s.mode === "none" || t.mode === "none") return noneStep(on, index, ends);
  if (ends.to === null || t.mode === "host")
    // HC-4/H-3: any bridge endpoint reaches every host address.
    return {
      commands: [on.connect("bridge", s)],
      text: `give ${src} a bridge endpoint: bridge containers reach every host address${joinerNote(index, ends.from, s)}`,
      rule: "HC-4",
    };
  if (s.mode === "host") return fixFromHost(on, t, tgt);
  const candidate = joinableOf(t);
  if (candidate)
    return {
      commands: [on.connect(candidate.name, s)],
      text: `connect ${src} to ${candidate.name}, where ${directMedium(candidate).text}${joinerNote(index, ends.from, s)}`,
      rule: directMedium(candidate).rule,
    };
  return {
    ...shareNewNetwork(on, on, s, t, on),
    text: `${tgt}'s networks do not let peers in (icc=false, ICC-1): put both on a new network, or recreate ${tgt} with -p to publish a port (ICC-3)`,
    rule: "ICC-1",
  };
}

/**
 * SW-1, SW-2: ends on different machines meet only on a swarm overlay (a local bridge never reaches another
 * machine's containers): join an attachable overlay one end already has, else create one on a manager (a
 * swarm-scope network is made there) and connect each end from its own engine. Towards the host or a host-mode
 * container a bridge endpoint is enough (HC-5 NAT out, SW-10 underlay); nothing attaches the host to a network.
 */
function remoteStep(index: TopologyIndex, ends: Ends): Step {
  const { s, t } = ends;
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  const es = engineOf(index, machineOf(index, s));
  const et = engineOf(index, machineOf(index, t));
  const join = (on: EngineOf, box: Sandbox, net: string): Cmd[] =>
    box.mode === "none" ? [on.leaveNone(box), on.connect(net, box)] : [on.connect(net, box)];
  const step = (commands: Cmd[], text: string, rule: RuleId): Step => ({ commands, text, rule });
  const attaches = (box: Sandbox) => box.owner >= 0 && (box.mode === "networks" || box.mode === "none");
  if (ends.to === null || t.mode === "host") {
    if (s.mode === "host" || s.owner < 0)
      return {
        commands: [],
        text: `${src} runs in its host's namespace, which no network connect changes (SW-10: its host's route to ${machineOf(index, t)} decides)`,
        rule: "SW-10",
      };
    return step(
      join(es, s, "bridge"),
      `give ${src} a bridge endpoint: its NAT leaves ${machineOf(index, s)} for ${tgt}'s machine (HC-5, SW-10)${s.mode === "none" ? " (it runs with --network none, NO-1)" : ""}`,
      "SW-10",
    );
  }
  const overlayOf = (box: Sandbox) =>
    box.ifaces.find((l) => l.net?.driver === "overlay" && l.net.attachable && !l.net.ingress)?.net;
  // The target's overlay first, then the source's.
  for (const [joiner, other, on, who] of [
    [s, t, es, src],
    [t, s, et, tgt],
  ] as const) {
    const overlay = overlayOf(other);
    if (overlay && attaches(joiner))
      return step(
        join(on, joiner, overlay.name),
        `connect ${who} to ${overlay.name}, an attachable overlay that spans nodes (SW-1)`,
        "SW-1",
      );
  }
  const manager = managerOf(index);
  const swarm =
    machine(index, machineOf(index, s)).swarmNode && machine(index, machineOf(index, t)).swarmNode;
  if (!attaches(s) || !attaches(t) || !manager || !swarm)
    return {
      commands: [],
      text: `${src} and ${tgt} are on different machines, whose local networks never meet (SW-2), and no connect joins them: ${!swarm || !manager ? "only an overlay of a swarm both machines are in (with a manager on the map) spans machines" : "a host-mode container joins no overlay"}; publish a port on ${tgt}'s machine (SW-10)`,
      rule: "SW-2",
    };
  const shared = `${src}-${tgt}`.replace(NEW_NETWORK_UNSAFE, "-");
  return step(
    [
      manager.run("network", "create", "-d", "overlay", "--attachable", shared),
      ...join(es, s, shared),
      ...join(et, t, shared),
    ],
    `${src} and ${tgt} are on different machines, whose local networks never meet (SW-2): create an attachable overlay on a manager and connect each end from its own engine (SW-1)`,
    "SW-2",
  );
}

/** NO-1: a none-mode namespace has only lo; `docker network disconnect none` then `connect` gives it an endpoint. */
function noneStep(on: EngineOf, index: TopologyIndex, { to, s, t }: Ends): Step {
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  const text = (who: string, where: string) =>
    `${who} runs with --network none (NO-1): disconnect it from none and connect it to ${where}`;
  if (s.mode === "none" && t.mode === "none")
    return {
      commands: [on.leaveNone(s), on.connect("bridge", s), on.leaveNone(t), on.connect("bridge", t)],
      text: `${src} and ${tgt} run with --network none (NO-1): disconnect both from none and connect both to bridge (DB-1)`,
      rule: "NO-1",
    };
  const [box, who, other, otherName] = s.mode === "none" ? [s, src, t, tgt] : [t, tgt, s, src];
  // HC-1/HC-4: the host and host-mode containers reach bridge IPs, and bridge containers reach the host.
  if (other.mode === "host" || (s.mode === "none" && to === null))
    return {
      commands: [on.leaveNone(box), on.connect("bridge", box)],
      text: text(who, "bridge"),
      rule: "NO-1",
    };
  const candidate = joinableOf(other);
  if (candidate)
    return {
      commands: [on.leaveNone(box), on.connect(candidate.name, box)],
      text: text(who, `${candidate.name}, where ${directMedium(candidate).text}`),
      rule: "NO-1",
    };
  const shared = shareNewNetwork(on, on, s, t, on);
  return {
    commands: [on.leaveNone(box), ...shared.commands],
    text: `${text(who, `a new network`)}, together with ${otherName}, whose networks do not let peers in (ICC-1)`,
    rule: "NO-1",
  };
}

function fixFromHost(on: EngineOf, t: Sandbox, tgt: string): Step {
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
    commands: [on.connect("bridge", t)],
    text: `the host reaches bridge IPs (HC-1) but has no route into ${tgt}'s networks (HC-2)`,
    rule: "HC-1",
  };
}

/** ICC-1: a fresh user-defined bridge (UB-1) for both, made on their machine; its name is derived from theirs. */
function shareNewNetwork(
  es: EngineOf,
  et: EngineOf,
  s: Sandbox,
  t: Sandbox,
  create: EngineOf,
): Pick<Step, "commands"> {
  const shared = `${es.nameOf(s)}-${et.nameOf(t)}`.replace(NEW_NETWORK_UNSAFE, "-");
  return {
    commands: [create.run("network", "create", shared), es.connect(shared, s), et.connect(shared, t)],
  };
}

/** A command line and the machine whose engine it must run on. */
interface Cmd {
  on: string;
  line: string;
}

/** Commands against one machine's engine, naming each container as that engine knows it (not `name@node`). */
interface EngineOf {
  run(...args: string[]): Cmd;
  nameOf(box: Sandbox): string;
  connect(network: string, box: Sandbox): Cmd;
  leaveNone(box: Sandbox): Cmd;
}

function engineOf(index: TopologyIndex, machineKey: string): EngineOf {
  const docker = dockerOn(index, machineKey);
  const nameOf = (box: Sandbox) => (box.owner < 0 ? "@host" : engineName(index.containers[box.owner]));
  const run = (...args: string[]): Cmd => ({ on: machineKey, line: shellCommand(...docker, ...args) });
  return {
    run,
    nameOf,
    connect: (network, box) => run("network", "connect", network, nameOf(box)),
    leaveNone: (box) => run("network", "disconnect", "none", nameOf(box)),
  };
}

/**
 * The `docker` words that reach a machine's engine: with several engines a pasted command must not run against
 * whatever engine the shell points at, so it names the engine as it was read (its context, else its URL).
 */
function dockerOn(index: TopologyIndex, machineKey: string): string[] {
  if (!index.machines.several) return ["docker"];
  const e = index.topology.engines?.find((x) => x.key === machineKey);
  return e && reachableEngine(index, machineKey) ? engineFlags(e) : ["docker"];
}

/** Whether a command can name the machine's engine: always for a single engine (the shell's own). */
function reachableEngine(index: TopologyIndex, machineKey: string): boolean {
  if (!index.machines.several) return true;
  const e = index.topology.engines?.find((x) => x.key === machineKey);
  return Boolean(e?.context || e?.url);
}

function engineFlags(e: EngineEntry): string[] {
  return e.context ? ["docker", "--context", e.context] : ["docker", "--host", e.url ?? ""];
}

/** A manager engine of the map: swarm-scope networks (an overlay) are created there. */
function managerOf(index: TopologyIndex): EngineOf | undefined {
  const e = index.topology.engines?.find((x) => x.swarmNode?.role === "manager");
  return e ? engineOf(index, e.key) : undefined;
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
