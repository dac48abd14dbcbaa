import { existsSync } from "node:fs";
import { CommandError, dockerAt, dockerLinesAt, run } from "./docker-cli.ts";
import { ENGINE_URL } from "./engine.ts";

/** Every Docker object a test creates starts with this, so sweepers can find leftovers of crashed runs. */
export const TEST_PREFIX = "rgt-";
/** `ip` lives in /usr/sbin or /sbin, which a non-login PATH may lack. */
export const IP = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].find((p) => existsSync(p)) ?? "ip";
/** Veths record their creation time in their ifalias (`ip link set dev X alias …`) so the sweeper can age them. */
export const VETH_ALIAS = "reachgraph-test";

export async function ownedContainers(prefix: string, host = ENGINE_URL): Promise<string[]> {
  const rows = await dockerLinesAt(
    host,
    "ps",
    "-a",
    "--no-trunc",
    "--filter",
    `name=${prefix}`,
    "--format",
    "{{.ID}} {{.Names}}",
  );
  return rows
    .map((row) => row.split(" "))
    .filter(([, names]) => names.split(",").some((n) => n.startsWith(prefix)))
    .map(([id]) => id);
}

export async function ownedNetworks(prefix: string, host = ENGINE_URL): Promise<string[]> {
  const rows = await dockerLinesAt(
    host,
    "network",
    "ls",
    "--no-trunc",
    "--filter",
    `name=${prefix}`,
    "--format",
    "{{.ID}} {{.Name}}",
  );
  return rows
    .map((row) => row.split(" "))
    .filter(([, name]) => name.startsWith(prefix))
    .map(([id]) => id);
}

export async function removeContainers(ids: string[], host = ENGINE_URL): Promise<void> {
  try {
    await dockerAt(host, "rm", "--force", "--volumes", ...ids);
  } catch (error) {
    // "No such container" for a builder that failed before creating it is fine; anything else is not.
    const stderr = error instanceof CommandError ? error.stderr : "";
    const real = stderr
      .split("\n")
      .filter((l) => l.trim() && !/No such container|already in progress/i.test(l));
    if (real.length > 0) throw error;
  }
}

export async function removeNetwork(id: string, host = ENGINE_URL): Promise<void> {
  // Endpoints of just-removed containers (overlay especially) can take a moment to go away.
  for (let attempt = 0; ; attempt++) {
    try {
      await dockerAt(host, "network", "rm", id);
      return;
    } catch (error) {
      const stderr = error instanceof CommandError ? error.stderr : "";
      if (/No such network|not found/i.test(stderr)) return;
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
  }
}

export async function deleteLink(name: string): Promise<void> {
  try {
    await run(IP, ["link", "del", name]);
  } catch (error) {
    const stderr = error instanceof CommandError ? error.stderr : "";
    if (!/Cannot find device|does not exist/i.test(stderr)) throw error;
  }
}

/**
 * Removes containers, networks and veths whose names start with `prefix` (default `rgt-`, every test run) and
 * that are older than `maxAgeMs` (default one hour): the leftovers of crashed runs, never a live run's objects.
 */
export async function sweepStale(options: { maxAgeMs?: number; prefix?: string } = {}): Promise<void> {
  const { maxAgeMs = 60 * 60 * 1000, prefix = TEST_PREFIX } = options;
  const cutoff = Date.now() - maxAgeMs;
  const created = async (kind: "container" | "network", id: string) => {
    const out = await dockerAt(ENGINE_URL, kind, "inspect", "--format", "{{.Created}}", id).catch(() => "");
    const time = Date.parse(out.trim());
    return Number.isNaN(time) ? Date.now() : time;
  };
  const stale: string[] = [];
  for (const id of await ownedContainers(prefix))
    if ((await created("container", id)) <= cutoff) stale.push(id);
  if (stale.length > 0) await removeContainers(stale).catch(() => undefined);
  for (const id of await ownedNetworks(prefix)) {
    if ((await created("network", id)) <= cutoff) await removeNetwork(id).catch(() => undefined);
  }
  const vethPrefix = prefix.replace(/-/g, "");
  const links = JSON.parse(await run(IP, ["-j", "link", "show", "type", "veth"]).catch(() => "[]")) as {
    ifname: string;
    ifalias?: string;
  }[];
  for (const link of links) {
    const match = new RegExp(`^${VETH_ALIAS} (\\d+)$`).exec(link.ifalias ?? "");
    if (link.ifname.startsWith(vethPrefix) && match && Number(match[1]) * 1000 <= cutoff) {
      await deleteLink(link.ifname).catch(() => undefined);
    }
  }
}
