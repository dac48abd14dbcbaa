import { randomBytes } from "node:crypto";
import {
  deleteLink,
  IP,
  ownedContainers,
  ownedNetworks,
  removeContainers,
  removeNetwork,
  sweepStale,
  TEST_PREFIX,
  VETH_ALIAS,
} from "./cleanup.ts";
import { CommandError, dockerAt, run } from "./docker-cli.ts";
import { ENGINE_URL, engineJson, requireEngine } from "./engine.ts";
import { isOverlapError, pickSubnet, usedSubnets } from "./subnets.ts";
import { ensureSwarm } from "./swarm.ts";

export { sweepStale, TEST_PREFIX } from "./cleanup.ts";
export { ensureSwarm } from "./swarm.ts";

export const TEST_IMAGE = "reachgraph-busybox:latest";
export const HTTPD = ["httpd", "-f", "-p", "80"];
export const SLEEP = ["sleep", "3600"];
const SUBNET_ATTEMPTS = 8;

export interface NetworkSpec {
  driver?: "bridge" | "macvlan" | "overlay";
  internal?: boolean;
  attachable?: boolean;
  /** false sets `com.docker.network.bridge.enable_icc=false` (ICC-1). */
  icc?: boolean;
  /** macvlan parent; use {@link Scenario.veth}, never the uplink. */
  parent?: string;
  labels?: Record<string, string>;
  options?: Record<string, string>;
  /** §5: create through the API with `CheckDuplicate:false`, which Engine 20.10 still allows. */
  allowDuplicateName?: boolean;
}

export interface ScenarioNetwork {
  name: string;
  id: string;
  subnet: string;
  driver: string;
}

export interface ContainerSpec {
  /** `--network` as a user types it: a network name, `host`, `none`, `container:<name>`; omitted = docker0. */
  network?: string;
  /** `--network-alias` (user-defined networks only, DB-5). */
  aliases?: string[];
  hostname?: string;
  /** Legacy `--link target:alias` (DB-3). */
  links?: string[];
  labels?: Record<string, string>;
  /** `-p` arguments, e.g. `80` or `127.0.0.1::80`. */
  publish?: string[];
  expose?: string[];
  /** `docker network connect [--alias a] <network>` after the container is running. */
  connect?: { network: string; aliases?: string[] }[];
  command?: string[];
  /** running (default), stopped (ran, then `docker stop`) or created (`docker create`, never started). */
  lifecycle?: "running" | "stopped" | "created";
}

export interface ScenarioContainer {
  name: string;
  id: string;
}

function randomRunId(): string {
  return randomBytes(4).toString("hex").slice(0, 6);
}

/**
 * Builds Docker objects on the real engine under a per-run prefix (`rgt-<run>-`) and removes all of them in
 * {@link Scenario.cleanup}: call it from `afterAll`, or hold the scenario with `await using`.
 */
export class Scenario {
  readonly runId: string;
  readonly prefix: string;
  /** The engine it builds on: the test engine, or another (a swarm worker) given to {@link Scenario.create}. */
  readonly engine: string;
  private readonly containers: ScenarioContainer[] = [];
  private readonly networks: ScenarioNetwork[] = [];
  private readonly veths: string[] = [];
  private readonly claimed = new Set<string>();

  private constructor(runId: string, engine: string) {
    this.runId = runId;
    this.prefix = `${TEST_PREFIX}${runId}-`;
    this.engine = engine;
  }

  /**
   * Checks the engine (failing loudly without one), sweeps stale leftovers and returns an empty scenario.
   * `engine` (a `unix://` URL, default the test engine) builds on another engine under the same prefix.
   */
  static async create(options: { runId?: string; engine?: string } = {}): Promise<Scenario> {
    const engine = options.engine ?? ENGINE_URL;
    await requireEngine(engine.replace(/^unix:\/\//, ""));
    await sweepStale();
    const runId = options.runId ?? randomRunId();
    if (!/^[a-z0-9]{1,8}$/.test(runId)) throw new Error(`run id "${runId}" must be 1-8 of [a-z0-9]`);
    return new Scenario(runId, engine);
  }

  private docker(...args: string[]): Promise<string> {
    return dockerAt(this.engine, ...args);
  }

  /** The prefixed Docker name for a short name. */
  name(short: string): string {
    return `${this.prefix}${short}`;
  }

  /** Creates a network on a free /24 of 10.213.0.0/16, retrying when a parallel run took the same one. */
  async network(short: string, spec: NetworkSpec = {}): Promise<ScenarioNetwork> {
    const name = this.name(short);
    const driver = spec.driver ?? "bridge";
    if (driver === "overlay" && this.engine === ENGINE_URL) await ensureSwarm();
    if (spec.allowDuplicateName && this.engine !== ENGINE_URL)
      throw new Error(`allowDuplicateName creates through the test engine's API only, not ${this.engine}`);
    let lastError: unknown;
    for (let attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
      const subnet = pickSubnet([...(await usedSubnets(this.engine)), ...this.claimed]);
      this.claimed.add(subnet);
      try {
        const id = spec.allowDuplicateName
          ? await createNetworkViaApi(name, driver, subnet, spec)
          : (await this.docker("network", "create", ...networkArgs(driver, subnet, spec), name)).trim();
        const network = { name, id, subnet, driver };
        this.networks.push(network);
        return network;
      } catch (error) {
        if (!isOverlapError(error)) throw error;
        lastError = error;
      }
    }
    throw new Error(`creating network ${name}: every subnet tried overlapped another network`, {
      cause: lastError,
    });
  }

  /** Runs (or creates) a container from the test image, named with the run prefix. */
  async container(short: string, spec: ContainerSpec = {}): Promise<ScenarioContainer> {
    const name = this.name(short);
    const lifecycle = spec.lifecycle ?? "running";
    const args = [lifecycle === "created" ? "create" : "run", ...(lifecycle === "created" ? [] : ["-d"])];
    args.push("--name", name);
    if (spec.network) args.push("--network", spec.network);
    for (const alias of spec.aliases ?? []) args.push("--network-alias", alias);
    if (spec.hostname) args.push("--hostname", spec.hostname);
    for (const link of spec.links ?? []) args.push("--link", link);
    for (const [key, value] of Object.entries(spec.labels ?? {})) args.push("--label", `${key}=${value}`);
    for (const p of spec.publish ?? []) args.push("--publish", p);
    for (const e of spec.expose ?? []) args.push("--expose", e);
    args.push(TEST_IMAGE, ...(spec.command ?? HTTPD));
    // Track the name before the run, so a half-created container is still removed.
    const container = { name, id: "" };
    this.containers.push(container);
    const out = await this.docker(...args);
    container.id = out.trim().split("\n").pop() ?? "";
    for (const c of spec.connect ?? []) {
      await this.docker(
        "network",
        "connect",
        ...(c.aliases ?? []).flatMap((a) => ["--alias", a]),
        c.network,
        name,
      );
    }
    if (lifecycle === "stopped") await this.docker("stop", "--time", "0", name);
    return container;
  }

  /** `docker start`, resolving with the engine's error text instead of throwing (failed-start cases, IV-1). */
  async tryStart(container: ScenarioContainer): Promise<string | null> {
    try {
      await this.docker("start", container.name);
      return null;
    } catch (error) {
      return error instanceof CommandError ? error.stderr.trim() : String(error);
    }
  }

  /** A veth pair to serve as a macvlan parent (never the uplink: see the probe-safety note in §0). */
  async veth(): Promise<{ parent: string; peer: string }> {
    const parent = `rgt${this.runId}${this.veths.length}`;
    const peer = `${parent}p`;
    this.veths.push(parent);
    await run(IP, ["link", "add", parent, "type", "veth", "peer", "name", peer]);
    await run(IP, ["link", "set", "dev", parent, "alias", `${VETH_ALIAS} ${Math.floor(Date.now() / 1000)}`]);
    await run(IP, ["link", "set", parent, "up"]);
    await run(IP, ["link", "set", peer, "up"]);
    return { parent, peer };
  }

  /** Everything this run created, as (name, id) pairs; IDs of containers whose creation failed are "". */
  created(): { containers: ScenarioContainer[]; networks: ScenarioNetwork[]; veths: string[] } {
    return { containers: [...this.containers], networks: [...this.networks], veths: [...this.veths] };
  }

  /** Removes every container, network and veth of this run, even those a failed builder left behind. */
  async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    // Every name carries the prefix, so the listing also finds containers whose `docker run` failed half-way.
    const listed = await ownedContainers(this.prefix, this.engine).catch(() => [] as string[]);
    const ids = [...new Set([...listed, ...this.containers.map((c) => c.id).filter(Boolean)])];
    if (ids.length > 0) await removeContainers(ids, this.engine).catch((e: unknown) => failures.push(e));
    const owned = await ownedNetworks(this.prefix, this.engine);
    const networks = [...new Set([...this.networks.map((n) => n.id), ...owned])];
    for (const id of networks.reverse())
      await removeNetwork(id, this.engine).catch((e: unknown) => failures.push(e));
    for (const veth of this.veths) await deleteLink(veth).catch((e: unknown) => failures.push(e));
    this.containers.length = 0;
    this.networks.length = 0;
    this.veths.length = 0;
    if (failures.length > 0)
      throw new AggregateError(failures, `cleanup of ${this.prefix}* left objects behind`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}

function networkArgs(driver: string, subnet: string, spec: NetworkSpec): string[] {
  const args = ["--driver", driver, "--subnet", subnet];
  if (spec.internal) args.push("--internal");
  if (spec.attachable) args.push("--attachable");
  if (spec.icc === false) args.push("--opt", "com.docker.network.bridge.enable_icc=false");
  if (spec.parent) args.push("--opt", `parent=${spec.parent}`);
  for (const [key, value] of Object.entries(spec.options ?? {})) args.push("--opt", `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.labels ?? {})) args.push("--label", `${key}=${value}`);
  return args;
}

async function createNetworkViaApi(
  name: string,
  driver: string,
  subnet: string,
  spec: NetworkSpec,
): Promise<string> {
  const options: Record<string, string> = { ...(spec.options ?? {}) };
  if (spec.icc === false) options["com.docker.network.bridge.enable_icc"] = "false";
  if (spec.parent) options.parent = spec.parent;
  try {
    const res = await engineJson<{ Id: string }>("POST", "/v1.41/networks/create", {
      Name: name,
      CheckDuplicate: false,
      Driver: driver,
      Internal: spec.internal === true,
      Attachable: spec.attachable === true,
      IPAM: { Driver: "default", Config: [{ Subnet: subnet }] },
      Options: options,
      Labels: spec.labels ?? {},
    });
    return res.Id;
  } catch (cause) {
    throw new CommandError((cause as Error).message, (cause as Error).message, cause);
  }
}
