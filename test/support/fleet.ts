import { fileURLToPath } from "node:url";
import type { ApiNode, ApiTask } from "../../server/model/engine-api.ts";
import { CommandError, docker, dockerAt, dockerLines, dockerLinesAt, run } from "./docker-cli.ts";
import { ENGINE_URL, requireEngine } from "./engine.ts";
import type { ExtraEngine } from "./extra-engine.ts";
import { startExtraEngine } from "./extra-engine.ts";
import { HTTPD, Scenario, TEST_IMAGE } from "./scenario.ts";

const PROVISION = fileURLToPath(new URL("../../scripts/provision-swarm.sh", import.meta.url));
/** The workers scripts/provision-swarm.sh keeps joined (others' own nodes come and go beside them). */
export const WORKERS = ["node2", "node3"] as const;
/** Workers spend 20–30 s in Preparing (the pull attempt times out): generous, but bounded. */
const TASKS_TIMEOUT_MS = 240_000;
const READY_TIMEOUT_MS = 120_000;

/** One engine of the swarm, as the manager lists it and as its own socket answers. */
export interface FleetNode {
  hostname: string;
  /** `unix://…` of its own engine. */
  url: string;
  nodeId: string;
  /** The address it advertises (10.232.0.K). */
  address: string;
  /** The docker CLI against this node's own engine. */
  docker(...args: string[]): Promise<string>;
}

export interface Fleet {
  manager: FleetNode;
  /** node2 and node3, in that order. */
  workers: FleetNode[];
  /** The manager, then the workers. */
  nodes: FleetNode[];
  node(hostname: string): FleetNode;
}

/** `{{json .}}` of the manager's `docker node inspect`. */
async function inspectNode(ref: string): Promise<ApiNode | undefined> {
  try {
    return (JSON.parse(await docker("node", "inspect", ref)) as ApiNode[])[0];
  } catch (error) {
    if (error instanceof CommandError && /No such node/i.test(error.stderr)) return undefined;
    throw error;
  }
}

async function swarmIdentity(url: string): Promise<{ hostname: string; nodeId: string; address: string }> {
  const [hostname, nodeId, address] = (
    await dockerAt(url, "info", "--format", "{{.Name}} {{.Swarm.NodeID}} {{.Swarm.NodeAddr}}")
  )
    .trim()
    .split(" ");
  return { hostname, nodeId: nodeId ?? "", address: address ?? "" };
}

function fleetNode(url: string, identity: { hostname: string; nodeId: string; address: string }): FleetNode {
  return { ...identity, url, docker: (...args) => dockerAt(url, ...args) };
}

/**
 * The three-node swarm (scripts/provision-swarm.sh): fails loudly, never skips, unless the main engine is
 * a manager and node2 and node3 are Ready on it. Hostnames, node IDs and addresses are asked of the engines.
 */
export async function requireFleet(): Promise<Fleet> {
  await requireEngine();
  const manager = fleetNode(ENGINE_URL, await swarmIdentity(ENGINE_URL));
  if (!manager.nodeId) throw new Error(`the test engine is in no swarm — run scripts/provision-engine.sh`);
  const workers: FleetNode[] = [];
  for (const name of WORKERS) {
    const url = `unix:///run/docker-${name}.sock`;
    await requireEngine(url.slice("unix://".length));
    const worker = fleetNode(url, await swarmIdentity(url));
    const seen = await inspectNode(worker.nodeId || name);
    if (!worker.nodeId || seen?.Status?.State !== "ready")
      throw new Error(
        `swarm worker ${name} is not Ready on the manager (${seen?.Status?.State ?? "unknown"}) — run scripts/provision-swarm.sh`,
      );
    workers.push(worker);
  }
  const nodes = [manager, ...workers];
  return {
    manager,
    workers,
    nodes,
    node(hostname) {
      const found = nodes.find((n) => n.hostname === hostname);
      if (!found)
        throw new Error(`no fleet node "${hostname}": expected ${nodes.map((n) => n.hostname).join(", ")}`);
      return found;
    },
  };
}

/** A test's own swarm worker: kill it, restart it, cut it; it leaves and is removed on dispose. */
export interface OwnNode extends FleetNode, AsyncDisposable {
  engine: ExtraEngine;
  /** Leaves the swarm, is removed from the manager and stopped; idempotent, and done on dispose. */
  remove(): Promise<void>;
}

/**
 * Starts an extra engine `rgt<name>` (at most 8 characters, so that crashed runs are swept), joins it to the
 * swarm as a worker through scripts/provision-swarm.sh (one join recipe) and resolves once it is Ready.
 * Removed again on failure; hold it with `await using`.
 */
export async function ownNode(name: string): Promise<OwnNode> {
  const engine = await startExtraEngine({ name });
  let nodeId = "";
  const remove = async () => {
    const failures: unknown[] = [];
    // A killed engine cannot leave; the manager's removal and the stop are what matter then.
    await engine.docker("swarm", "leave", "--force").catch(() => undefined);
    // Every registration of its hostname: a test that made it rejoin left more than the first.
    const rows = await dockerLines("node", "ls", "--format", "{{.ID}} {{.Hostname}}").catch(
      (error: unknown) => {
        failures.push(error);
        return [] as string[];
      },
    );
    const ids = rows.filter((r) => r.endsWith(` ${engine.name}`)).map((r) => r.split(" ")[0]);
    for (const id of new Set([nodeId, ...ids].filter(Boolean)))
      await docker("node", "rm", "--force", id).catch((error: unknown) => {
        if (!(error instanceof CommandError && /No such node|not found/i.test(error.stderr)))
          failures.push(error);
      });
    await engine.stop().catch((error: unknown) => failures.push(error));
    if (failures.length > 0)
      throw new AggregateError(failures, `removing own node ${engine.name} left parts behind`);
  };
  try {
    await run("/bin/bash", [PROVISION, engine.name], READY_TIMEOUT_MS + 60_000);
    const identity = await swarmIdentity(engine.url);
    nodeId = identity.nodeId;
    return { ...fleetNode(engine.url, identity), engine, remove, [Symbol.asyncDispose]: remove };
  } catch (error) {
    nodeId ||= (await swarmIdentity(engine.url).catch(() => ({ nodeId: "" }))).nodeId;
    await remove().catch(() => undefined);
    throw error;
  }
}

/** Polls `check` until it returns a value; throws after `timeoutMs` with what `describe` says was last seen. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; describe?: () => Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? TASKS_TIMEOUT_MS);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const last = options.describe ? `: ${await options.describe().catch(String)}` : "";
      throw new Error(`timed out waiting for ${what}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Waits until the manager lists the node (by ID) in `state` (ready, down). */
export function waitNodeState(nodeId: string, state: string, timeoutMs = READY_TIMEOUT_MS): Promise<ApiNode> {
  return waitFor(
    `node ${nodeId} ${state} on the manager`,
    async () => {
      const node = await inspectNode(nodeId);
      return node?.Status?.State === state ? node : undefined;
    },
    { timeoutMs, describe: async () => (await inspectNode(nodeId))?.Status?.State ?? "unknown" },
  );
}

export interface ServiceSpec {
  replicas?: number;
  /** Networks by name, each with its aliases. */
  networks?: { name: string; aliases?: string[] }[];
  endpointMode?: "vip" | "dnsrr";
  /** `--publish` values, e.g. `target=80` (ingress) or `mode=host,target=80`. */
  publish?: string[];
  /** Hostnames the tasks may run on (turned into constraints excluding every other node); default any. */
  onNodes?: string[];
  /** `--replicas-max-per-node`: with 1, replicas land on distinct nodes. */
  maxPerNode?: number;
  command?: string[];
}

export interface FleetService {
  name: string;
  id: string;
}

/** The manager's tasks of a service (`GET /tasks?filters={"service":[…]}` through the CLI's JSON). */
export async function serviceTasks(service: string): Promise<ApiTask[]> {
  const ids = await dockerLines("service", "ps", "--no-trunc", "--quiet", service);
  if (ids.length === 0) return [];
  return JSON.parse(await docker("inspect", "--type", "task", ...ids)) as ApiTask[];
}

/**
 * Builds on every node of the fleet under one per-run prefix (`rgt-<run>-`): services on the manager,
 * containers and networks through a {@link Scenario} per engine. {@link FleetRun.cleanup} removes all of it,
 * services first, even after a failure; hold it with `await using`.
 */
export class FleetRun implements AsyncDisposable {
  readonly fleet: Fleet;
  /** The scenario on the manager (where swarm-scope networks are made). */
  readonly manager: Scenario;
  readonly prefix: string;
  /** Every engine this run may have built on (tasks land on any node), with its scenario once it has one. */
  private readonly scenarios = new Map<string, Scenario | undefined>();
  private readonly services: FleetService[] = [];

  private constructor(fleet: Fleet, manager: Scenario) {
    this.fleet = fleet;
    this.manager = manager;
    this.prefix = manager.prefix;
    this.scenarios.set(fleet.manager.url, manager);
    for (const node of fleet.workers) this.scenarios.set(node.url, undefined);
  }

  static async create(fleet: Fleet, options: { runId?: string } = {}): Promise<FleetRun> {
    const run = new FleetRun(fleet, await Scenario.create(options));
    // A crashed earlier run with this run ID may have left services behind.
    if (options.runId) await run.cleanup();
    return run;
  }

  /** The scenario building on `node`'s own engine (an {@link OwnNode} too), under this run's prefix. */
  async on(node: FleetNode): Promise<Scenario> {
    let scenario = this.scenarios.get(node.url);
    if (!scenario) {
      scenario = await Scenario.create({ runId: this.manager.runId, engine: node.url });
      this.scenarios.set(node.url, scenario);
    }
    return scenario;
  }

  /** `docker service create` on the manager, named with the run prefix; returns once the manager has it. */
  async service(short: string, spec: ServiceSpec = {}): Promise<FleetService> {
    const name = this.manager.name(short);
    const args = ["service", "create", "--detach", "--no-resolve-image", "--name", name];
    args.push("--replicas", String(spec.replicas ?? 1));
    for (const n of spec.networks ?? [])
      args.push("--network", [`name=${n.name}`, ...(n.aliases ?? []).map((a) => `alias=${a}`)].join(","));
    if (spec.endpointMode) args.push("--endpoint-mode", spec.endpointMode);
    for (const p of spec.publish ?? []) args.push("--publish", p);
    if (spec.maxPerNode) args.push("--replicas-max-per-node", String(spec.maxPerNode));
    if (spec.onNodes) {
      // Constraints are ANDed: "one of these nodes" is "none of the others" (nodes joining later excepted).
      const others = (await dockerLines("node", "ls", "--format", "{{.Hostname}}")).filter(
        (h) => !spec.onNodes?.includes(h),
      );
      for (const host of others) args.push("--constraint", `node.hostname!=${host}`);
    }
    const service = { name, id: "" };
    this.services.push(service);
    service.id = (await docker(...args, TEST_IMAGE, ...(spec.command ?? HTTPD))).trim();
    return service;
  }

  /**
   * Waits until `replicas` tasks of the service run (current state running), optionally on exactly the given
   * hostnames, and returns the running tasks.
   */
  async waitRunning(service: FleetService, replicas: number, onNodes?: string[]): Promise<ApiTask[]> {
    const hostOf = new Map<string, string>();
    const running = async () => {
      const tasks = (await serviceTasks(service.id)).filter(
        (t) => t.DesiredState === "running" && t.Status?.State === "running",
      );
      for (const t of tasks)
        if (t.NodeID && !hostOf.has(t.NodeID))
          hostOf.set(t.NodeID, (await inspectNode(t.NodeID))?.Description?.Hostname ?? "");
      return tasks;
    };
    return waitFor(
      `${replicas} running tasks of ${service.name}${onNodes ? ` on ${onNodes.join(", ")}` : ""}`,
      async () => {
        const tasks = await running();
        if (tasks.length !== replicas) return undefined;
        const hosts = tasks.map((t) => hostOf.get(t.NodeID ?? "") ?? "").sort();
        return !onNodes || JSON.stringify(hosts) === JSON.stringify([...onNodes].sort()) ? tasks : undefined;
      },
      {
        describe: async () =>
          (await serviceTasks(service.id))
            .map(
              (t) =>
                `${t.ID.slice(0, 12)} ${t.Status?.State ?? "?"} ${t.Status?.Err ?? t.Status?.Message ?? ""}`,
            )
            .join("; "),
      },
    );
  }

  /** Removes this run's services (and waits until their tasks are gone), then every engine's objects. */
  async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    const listed = await dockerLines(
      "service",
      "ls",
      "--filter",
      `name=${this.prefix}`,
      "--format",
      "{{.Name}}",
    );
    const names = [
      ...new Set([...listed.filter((n) => n.startsWith(this.prefix)), ...this.services.map((s) => s.name)]),
    ];
    for (const name of names)
      await docker("service", "rm", name).catch((error: unknown) => {
        if (!(error instanceof CommandError && /not found/i.test(error.stderr))) failures.push(error);
      });
    // Task containers go asynchronously on every node; overlays cannot be removed while they are attached.
    await waitFor(`the tasks of ${this.prefix}* services to go`, async () => {
      for (const url of this.scenarios.keys()) {
        // An engine that does not answer (a killed own node) holds nothing that blocks the manager's removal.
        const left = await dockerLinesAt(
          ...[url, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name"],
          ...["--filter", `name=${this.prefix}`],
        ).catch(() => [] as string[]);
        if (left.length > 0) return undefined;
      }
      return true;
    }).catch((error: unknown) => failures.push(error));
    this.services.length = 0;
    // Workers' scenarios first: the manager's holds the overlays their containers attach to.
    for (const scenario of [...this.scenarios.values()].reverse())
      await scenario?.cleanup().catch((error: unknown) => failures.push(error));
    if (failures.length > 0)
      throw new AggregateError(failures, `cleanup of ${this.prefix}* left objects behind`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}
