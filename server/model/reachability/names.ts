import type { Container } from "../topology.ts";
import { engineName } from "../topology.ts";
import { isGwbridge } from "./routes.ts";
import { aliasesOn, managerOnly, serviceOf, vipOn } from "./swarm.ts";
import { netKey } from "./topology-index.ts";
import type { LiveIface, Sandbox, TopologyIndex } from "./topology-index.ts";
import type { NameEntry, Reason, RuleId } from "./types.ts";

export interface NamesResult {
  names: NameEntry[];
  known: boolean;
  reasons: Reason[];
}

const note = (rule: RuleId, text: string): Reason => ({ rule, text, layer: "names" });

/**
 * The names a source namespace can resolve to a target (UB-2, DB-3, UB-7, CN-1, OV-6), network-scoped (UB-3).
 * `target` is the container asked about; its namespace's endpoints answer (CN-1 for joiners).
 */
export function namesFor(
  index: TopologyIndex,
  source: Sandbox,
  target: Container,
  targetBox: Sandbox,
): NamesResult {
  const out: NamesResult = { names: [], known: true, reasons: [] };
  const owner = index.containers[targetBox.owner];
  if (targetBox.mode === "host") {
    out.reasons.push(
      note("H-3", `${target.name} runs in host mode: no embedded DNS knows it; use a host address`),
    );
    return out;
  }
  if (source.mode !== "networks") {
    if (source.mode === "host")
      out.reasons.push(
        note("UB-2", "the host's resolver does not know container names (only 127.0.0.11 inside does)"),
      );
    return out;
  }
  if (owner !== target)
    out.reasons.push(
      note(
        "CN-1",
        `${target.name} shares ${owner.name}'s namespace: use ${owner.name}'s names; its own name is not in DNS`,
      ),
    );
  const byNet = new Map(source.ifaces.map((l) => [netKey(l), l]));
  const unshared: string[] = [];
  for (const t of targetBox.ifaces) {
    const s = byNet.get(netKey(t));
    if (!s) {
      if (t.iface.dnsNames?.length) unshared.push(t.iface.network);
      continue;
    }
    addNetworkNames(index, out, source, s, t, owner);
  }
  legacyLinkNames(index, out, source, owner, targetBox);
  if (
    out.names.some((n) => n.rule === "UB-2") &&
    targetBox.ifaces.filter((l) => !l.iface.implicit).length > 1
  )
    out.reasons.push(
      note("UB-5", `${owner.name} is multi-homed: its names resolve to its IP on the shared network`),
    );
  if (unshared.length)
    out.reasons.push(note("UB-3", `names on ${unshared.join(", ")} are network-scoped: NXDOMAIN from here`));
  if (out.names.length)
    out.reasons.push(note("UB-2", "names resolve case-insensitively; no 10-char or 64-char ID"));
  return out;
}

function addNetworkNames(
  index: TopologyIndex,
  out: NamesResult,
  source: Sandbox,
  s: LiveIface,
  t: LiveIface,
  owner: Container,
): void {
  const net = t.net;
  const network = t.iface.network;
  if (net?.ingress || (net && isGwbridge(net))) return;
  if (net?.defaultBridge) {
    out.reasons.push(note("DB-2", `${network} (docker0) has no embedded DNS: names do not resolve there`));
    return;
  }
  const address = t.iface.ipv4 ?? t.iface.ipv6;
  const dns = t.iface.dnsNames;
  if (dns === null) {
    out.known = false;
    out.reasons.push(
      managerOnly(owner)
        ? note(
            "SW-12",
            `no engine of ${owner.node} is connected: beyond the swarm's names, ${owner.name}'s names on ${network} are unknown`,
          )
        : note("UB-2", `${owner.name} was not inspected: its names on ${network} are unknown`),
    );
  } else {
    // SW-7: a task's container name is the engine's task alias; the other names are the container's own.
    const task = owner.swarm?.task;
    for (const name of dns) out.names.push({ name, network, address, rule: name === task ? "SW-7" : "UB-2" });
    // UB-2: every DNS name, the short ID included (probed on 20.10), also answers as `<name>.<network>`.
    for (const name of dns) out.names.push({ name: `${name}.${network}`, network, address, rule: "UB-2" });
    sharedNames(index, out, t, dns, owner);
    if (dns.length && net?.driver === "bridge" && !net.icc)
      out.reasons.push(note("ICC-2", `names resolve on ${network}, but icc=false drops the traffic`));
  }
  if (owner.swarm && net?.driver === "overlay") swarmNames(index, out, t, owner);
  for (const link of s.iface.links) {
    const [targetName, alias] = link.split(":");
    if (alias && linksTo(index.containers[source.owner], targetName, owner)) {
      out.names.push({ name: alias, network, address, rule: "UB-7" });
      out.reasons.push(note("UB-7", `link alias ${alias} resolves only for the linking container`));
    }
  }
}

/**
 * The names a swarm task answers to on an overlay (moby/libnetwork service_common.go
 * `addEndpointNameResolution`): the service name and its aliases on that network give the VIP (SW-3, SW-6) or,
 * in dnsrr mode, every task's address (SW-4); `tasks.<service>` and `tasks.<alias>` give the task addresses
 * (SW-5); the task's container name (SW-7, among its DNS names) its own. Without the manager's data only OV-6 can be said.
 */
function swarmNames(index: TopologyIndex, out: NamesResult, t: LiveIface, owner: Container): void {
  const network = t.iface.network;
  const address = t.iface.ipv4 ?? t.iface.ipv6;
  const service = owner.swarm ? serviceOf(index.swarm, owner) : undefined;
  if (!service) {
    const name = owner.swarm?.service ?? owner.name;
    out.names.push({ name: `tasks.${name}`, network, address, rule: "OV-6" });
    out.names.push({ name, network, address: null, rule: "OV-6" });
    out.reasons.push(note("OV-6", `${name} gives the VIP (vip mode, needs IPVS: OV-7) or task IPs`));
    return;
  }
  const aliases = aliasesOn(service, t.iface.networkId);
  for (const name of [service.name, ...aliases])
    out.names.push({ name: `tasks.${name}`, network, address, rule: "SW-5" });
  const vip = vipOn(service, t.iface.networkId);
  const others = Math.max(0, (index.swarm.running.get(service.id) ?? 1) - 1);
  if (vip) {
    out.names.push({ name: service.name, network, address: vip, rule: "SW-3", caveat: "ipvs" });
    for (const name of aliases) out.names.push({ name, network, address: vip, rule: "SW-6", caveat: "ipvs" });
    out.reasons.push(
      note(
        "SW-3",
        `${service.name} answers with its VIP ${vip} on ${network}; IPVS balances each connection to it over the service's running tasks, not always this one`,
      ),
    );
  } else {
    out.names.push({ name: service.name, network, address, rule: "SW-4" });
    for (const name of aliases) out.names.push({ name, network, address, rule: "SW-6" });
    out.reasons.push(
      note(
        "SW-4",
        `${service.name} is dnsrr: it answers with the addresses of all its running tasks on ${network} (${others} besides this one), round-robin, no VIP`,
      ),
    );
  }
  out.reasons.push(
    note("SW-5", `tasks.${service.name} answers with every running task's address on ${network}`),
  );
  if (aliases.length)
    out.reasons.push(
      note("SW-6", `${aliases.join(", ")}: ${service.name}'s aliases on ${network}, only there`),
    );
}

/** UB-4: a name several live containers carry on one network resolves round-robin. */
function sharedNames(
  index: TopologyIndex,
  out: NamesResult,
  t: LiveIface,
  dns: string[],
  owner: Container,
): void {
  const table = dnsTable(index, netKey(t));
  for (const name of dns) {
    const holders = table.get(name.toLowerCase()) ?? [];
    if (holders.length < 2) continue;
    const others = holders
      .filter((o) => o !== index.byRef.get(owner.id))
      .map((o) => index.containers[o].name);
    out.reasons.push(note("UB-4", `${name} also names ${others.join(", ")}: DNS round-robin`));
  }
}

function dnsTable(index: TopologyIndex, key: string): Map<string, number[]> {
  const cached = index.cache.dns.get(key);
  if (cached) return cached;
  const table = new Map<string, number[]>();
  for (const owner of index.members.get(key) ?? []) {
    const l = index.sandboxes[owner]?.ifaces.find((i) => netKey(i) === key);
    for (const name of new Set((l?.iface.dnsNames ?? []).map((n) => n.toLowerCase()))) {
      const list = table.get(name);
      if (list) list.push(owner);
      else table.set(name, [owner]);
    }
  }
  index.cache.dns.set(key, table);
  return table;
}

/** DB-3: a legacy link puts `IP alias shortid name` into the linker's /etc/hosts; one-way. */
function legacyLinkNames(
  index: TopologyIndex,
  out: NamesResult,
  source: Sandbox,
  owner: Container,
  targetBox: Sandbox,
): void {
  const linker = index.containers[source.owner];
  const address = targetBox.ifaces.find((l) => l.net?.defaultBridge)?.iface.ipv4 ?? null;
  for (const link of linker.links) {
    if (!linksTo(linker, link.target, owner)) continue;
    for (const name of [link.alias, engineName(owner), owner.id.slice(0, 12)])
      out.names.push({ name, network: null, address, rule: "DB-3" });
    out.reasons.push(note("DB-3", `${linker.name}'s /etc/hosts holds ${link.alias} (legacy link; one-way)`));
  }
}

/**
 * Whether `linker`'s link to `target` (DB-3, UB-7) names `owner`: a link holds the target's engine name and the
 * linker's engine resolves it among its own containers, so in a fleet it names only `owner` on that machine.
 */
function linksTo(linker: Container, target: string, owner: Container): boolean {
  return target === engineName(owner) && linker.node === owner.node;
}
