import type { Topology } from "../../server/model/topology.ts";
import { mapLimit } from "../../server/collector/map-limit.ts";
import { engineRequest } from "./engine.ts";
import type { ExtraEngine } from "./extra-engine.ts";

const live = new Set(["running", "paused", "restarting"]);

interface Inspect {
  Id: string;
  Name: string;
  State: { Status: string };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

/**
 * What an engine holds, one line per object: `container <id> <name> <state> <network>=<ipv4>…` and
 * `network <id> <name> <driver>`, sorted — the facts a stale topology would get wrong.
 */
export async function engineFacts(engine: ExtraEngine): Promise<string[]> {
  const list = JSON.parse(await call(engine, "GET", "/containers/json?all=1")) as { Id: string }[];
  // Each container inspected on its own (`docker inspect` over the API): one removed in between is simply gone.
  const inspects = (
    await mapLimit(list, 8, (c) =>
      call(engine, "GET", `/containers/${c.Id}/json`).then(
        (body) => JSON.parse(body) as Inspect,
        () => null,
      ),
    )
  ).filter((c): c is Inspect => c !== null);
  const containers = inspects.map((c) =>
    containerLine(
      c.Id,
      c.Name.replace(/^\//, ""),
      c.State.Status,
      // §5: a stopped container has no live endpoint; after a crash its inspect still shows the old address.
      Object.entries(c.NetworkSettings.Networks).map(([n, e]) => [
        n,
        live.has(c.State.Status) ? e.IPAddress || null : null,
      ]),
    ),
  );
  const networks = JSON.parse(await call(engine, "GET", "/networks")) as {
    Id: string;
    Name: string;
    Driver: string;
  }[];
  return [...containers, ...networks.map((n) => `network ${n.Id} ${n.Name} ${n.Driver}`)].sort();
}

/** The same facts as {@link engineFacts}, from a topology reachgraph serves. */
export function servedFacts(topology: Topology): string[] {
  const containers = topology.containers.map((c) =>
    containerLine(
      c.id,
      c.name,
      c.state,
      c.interfaces.filter((i) => !i.implicit).map((i) => [i.network, i.ipv4]),
    ),
  );
  const networks = topology.networks.map((n) => `network ${n.id} ${n.name} ${n.driver}`);
  return [...containers, ...networks].sort();
}

function containerLine(id: string, name: string, state: string, nets: [string, string | null][]): string {
  const interfaces = nets.map(([n, ip]) => `${n}=${ip ?? "-"}`).sort();
  return `container ${id} ${name} ${state} ${interfaces.join(" ")}`.trim();
}

/** Lines in one list and not the other: what reachgraph shows that the engine does not hold, and vice versa. */
export function staleFacts(served: string[], engine: string[]): string[] {
  const inEngine = new Set(engine);
  const inServed = new Set(served);
  return [
    ...served.filter((l) => !inEngine.has(l)).map((l) => `served, not in engine: ${l}`),
    ...engine.filter((l) => !inServed.has(l)).map((l) => `in engine, not served: ${l}`),
  ];
}

/**
 * Waits until the topology served at `serverUrl` says what the engine holds and returns the differences
 * left (none once it converged); polls, because convergence is the condition, and gives up after `timeoutMs`.
 */
export async function waitConverged(
  serverUrl: string,
  engine: ExtraEngine,
  timeoutMs = 60_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${serverUrl}/api/topology`);
    const served = servedFacts((await res.json()) as Topology);
    const stale = staleFacts(served, await engineFacts(engine));
    if (stale.length === 0 || Date.now() > deadline) return stale;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One Engine API call on the engine's socket (no CLI process per container: a burst must be a burst). */
async function call(engine: ExtraEngine, method: string, path: string, body?: unknown): Promise<string> {
  const res = await engineRequest(method, path, body, engine.socket);
  if (res.statusCode >= 300)
    throw new Error(`${method} ${path} on ${engine.url} answered ${res.statusCode}: ${res.body.trim()}`);
  return res.body;
}

/** Starts `count` busybox containers on `network`, `concurrency` at a time, and returns their IDs. */
export async function startContainers(
  engine: ExtraEngine,
  prefix: string,
  count: number,
  network: string,
  concurrency = 8,
  onStarted: () => void = () => undefined,
): Promise<string[]> {
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const spec = { Image: "busybox", Cmd: ["sleep", "3600"], HostConfig: { NetworkMode: network } };
      const { Id } = JSON.parse(
        await call(engine, "POST", `/containers/create?name=${prefix}${i}`, spec),
      ) as { Id: string };
      await call(engine, "POST", `/containers/${Id}/start`);
      onStarted();
      return Id;
    },
  );
}

/** Force-removes containers by ID, `concurrency` at a time. */
export async function removeContainers(engine: ExtraEngine, ids: string[], concurrency = 8): Promise<void> {
  await mapLimit(ids, concurrency, (id) => call(engine, "DELETE", `/containers/${id}?force=1`));
}
