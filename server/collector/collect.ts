import type { EngineClient } from "../engine/client.ts";
import type { ApiContainerInspect, ApiContainerSummary, ApiNetwork } from "../model/engine-api.ts";
import { EngineMirror } from "../model/engine-mirror.ts";
import { GWBRIDGE } from "../model/normalize.ts";
import type { Topology, TopologyDelta, TopologySource } from "../model/topology.ts";
import { mapLimit } from "./map-limit.ts";

/** How long `/info` and `/version` are trusted between reconnects. */
const DAEMON_TTL_MS = 60_000;

/** How many inspects run at once: enough to hide latency, few enough not to load the engine. */
const INSPECT_CONCURRENCY = 8;

/**
 * Keeps an {@link EngineMirror} in step with an engine. A full sync costs the two list calls plus /info and
 * /version, all at once; containers are inspected only when their fingerprint (state and endpoints) changed
 * since their last inspect, and overlay/gwbridge networks only when overlay membership changed (OV-2, OV-9).
 */
export class Collector {
  readonly mirror = new EngineMirror();
  /** Container ID → fingerprint of the list entry its current inspect belongs to. */
  private readonly inspected = new Map<string, string>();
  /** Network ID → its last list entry and inspect as JSON text. */
  private readonly networkTexts = new Map<string, string>();
  /** Container ID → the {@link changeKey} of its last list entry. */
  private readonly listed = new Map<string, string>();
  private overlayFingerprint = "";
  private daemonReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: EngineClient,
    private readonly source: () => TopologySource = () => liveSource(client.url),
  ) {}

  /**
   * Re-reads everything; containers and networks that disappeared are removed. `/info` and `/version` are slow
   * (about ten list calls' worth) and change only when the daemon restarts, which breaks the events stream:
   * they are read on the first sync, when `refreshDaemon` is set (every reconnect), and after {@link DAEMON_TTL_MS}.
   */
  async fullSync({ refreshDaemon = false } = {}): Promise<void> {
    const daemonDue = refreshDaemon || Date.now() - this.daemonReadAt > DAEMON_TTL_MS;
    const [daemon, containers, networks] = await Promise.all([
      daemonDue ? Promise.all([this.client.info(), this.client.version()]) : undefined,
      this.client.listContainers(),
      this.client.listNetworks(),
    ]);
    if (daemon) {
      this.mirror.setDaemon(...daemon);
      this.daemonReadAt = Date.now();
    }
    const networkIds = new Set(networks.map((n) => n.Id));
    for (const id of this.mirror.networkIds()) if (!networkIds.has(id)) this.removeNetwork(id);
    const [details] = await Promise.all([
      this.networkDetails(networks, containers),
      this.applyContainers(containers),
    ]);
    for (const net of networks)
      this.upsertNetwork(net, details ? details.get(net.Id) : this.mirror.rawNetworkDetail(net.Id));
    const containerIds = new Set(containers.map((c) => c.Id));
    for (const id of this.mirror.containerIds()) if (!containerIds.has(id)) this.forget(id);
  }

  /** Re-reads the given containers only: one filtered list call plus the inspects their changes need. */
  async refreshContainers(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const containers = await this.client.listContainers({ ids });
    const found = new Set(containers.map((c) => c.Id));
    const touchedOverlay = [...ids.map((id) => this.mirror.rawContainer(id)), ...containers].some(
      (c) => c !== undefined && this.onOverlay(c),
    );
    for (const id of ids) if (!found.has(id)) this.forget(id);
    await this.applyContainers(containers);
    // OV-2: joining or leaving an overlay changes docker_gwbridge membership, which emits no event.
    if (touchedOverlay) await this.refreshOverlayNetworks();
  }

  /**
   * Re-reads one network (create, update) or drops it (destroy, remove). A swarm-scope one verbosely, as a full
   * sync reads it: a plain inspect would drop this node's view (peers, service backends).
   */
  async refreshNetwork(id: string): Promise<void> {
    const verbose = this.mirror.rawNetwork(id)?.Scope === "swarm";
    const net = await this.client.inspectNetwork(id, verbose ? { verbose } : undefined);
    if (!net) {
      this.removeNetwork(id);
      return;
    }
    this.upsertNetwork(asListed(net), needsNetworkDetail(net) ? net : undefined);
  }

  topology(): Topology {
    return this.mirror.topology(this.source());
  }

  takeDelta(seq: number): TopologyDelta | null {
    return this.mirror.takeDelta(seq, new Date().toISOString());
  }

  private onOverlay(c: ApiContainerSummary): boolean {
    return Object.entries(c.NetworkSettings?.Networks ?? {}).some(
      ([name, ep]) => this.mirror.network(name, ep.NetworkID)?.driver === "overlay",
    );
  }

  private async refreshOverlayNetworks(): Promise<void> {
    const networks = this.mirror.networkIds().map((id) => this.mirror.rawNetwork(id) as ApiNetwork);
    const containers = this.mirror
      .containerIds()
      .map((id) => this.mirror.rawContainer(id) as ApiContainerSummary);
    const details = await this.networkDetails(networks, containers);
    for (const detail of details?.values() ?? []) this.upsertNetwork(asListed(detail), detail);
  }

  /** Upserts a network unless nothing about it changed: a network change re-normalises all its members. */
  private upsertNetwork(net: ApiNetwork, detail: ApiNetwork | undefined): void {
    const text = JSON.stringify([net, detail ?? null]);
    if (this.networkTexts.get(net.Id) === text) return;
    this.networkTexts.set(net.Id, text);
    this.mirror.upsertNetwork(net, detail);
  }

  /**
   * OV-2/OV-9: overlay pseudo-endpoints and gwbridge members are only in network inspects. They change only
   * when overlay endpoints do, so the inspects are skipped (undefined) while those stay the same.
   */
  private async networkDetails(
    networks: ApiNetwork[],
    containers: ApiContainerSummary[],
  ): Promise<Map<string, ApiNetwork> | undefined> {
    const targets = networks.filter(needsNetworkDetail);
    const overlays = new Set(networks.filter((n) => n.Driver === "overlay").map((n) => n.Name));
    const fingerprint = JSON.stringify([
      targets.map((n) => n.Id),
      containers.flatMap((c) =>
        Object.entries(c.NetworkSettings?.Networks ?? {})
          .filter(([name]) => overlays.has(name))
          .map(([, ep]) => ep.EndpointID ?? ""),
      ),
    ]);
    if (fingerprint === this.overlayFingerprint) return undefined;
    // A swarm-scope overlay's verbose inspect adds this node's view of it (peers, service backends).
    const details = await mapLimit(targets, INSPECT_CONCURRENCY, (n) =>
      this.client.inspectNetwork(n.Id, n.Scope === "swarm" ? { verbose: true } : undefined),
    );
    this.overlayFingerprint = fingerprint;
    const out = new Map<string, ApiNetwork>();
    details.forEach((detail, i) => detail && out.set(targets[i].Id, detail));
    return out;
  }

  private async applyContainers(containers: ApiContainerSummary[]): Promise<void> {
    const prints = containers.map(fingerprint);
    const stale = containers.filter((c, i) => needsInspect(c) && this.inspected.get(c.Id) !== prints[i]);
    // Slimmed as each arrives: thousands of whole inspects held until the last one would outlive the young
    // generation and stay in the old one as garbage, growing the resident size long after the sync.
    const details = await mapLimit(stale, INSPECT_CONCURRENCY, async (c) => {
      const detail = await this.client.inspectContainer(c.Id);
      return detail && slimInspect(detail);
    });
    const fresh = new Map<string, ApiContainerInspect>();
    details.forEach((detail, i) => detail && fresh.set(stale[i].Id, detail));
    containers.forEach((c, i) => {
      const detail = fresh.get(c.Id);
      if (detail) this.inspected.set(c.Id, prints[i]);
      if (!needsInspect(c)) this.inspected.delete(c.Id);
      const text = changeKey(c, prints[i]);
      if (!detail && this.listed.get(c.Id) === text) return;
      this.listed.set(c.Id, text);
      this.mirror.upsertContainer(c, detail ?? this.mirror.rawDetail(c.Id));
    });
  }

  private removeNetwork(id: string): void {
    this.networkTexts.delete(id);
    this.mirror.removeNetwork(id);
  }

  private forget(id: string): void {
    this.inspected.delete(id);
    this.listed.delete(id);
    this.mirror.removeContainer(id);
  }
}

/** Collects one topology: two list calls, /info, /version, and the inspects the lists cannot replace. */
export async function collectTopology(
  client: EngineClient,
  source: () => TopologySource = () => liveSource(client.url),
): Promise<Topology> {
  const collector = new Collector(client, source);
  await collector.fullSync();
  return collector.topology();
}

export function liveSource(url: string): TopologySource {
  return { kind: "live", label: url, capturedAt: new Date().toISOString() };
}

/** A network inspect in the shape of a list entry (the list never carries members, §2.3). */
function asListed(net: ApiNetwork): ApiNetwork {
  return { ...net, Containers: net.Scope === "swarm" ? null : {} };
}

function needsNetworkDetail(net: ApiNetwork): boolean {
  return net.Driver === "overlay" || net.Name === GWBRIDGE;
}

const NO_DNS_NETWORKS = new Set(["bridge", "host", "none"]);

/** The list lacks aliases (UB-2) and State.Error (IV-1): inspect containers on DNS networks, and created ones. */
function needsInspect(c: ApiContainerSummary): boolean {
  if (c.State === "created") return true;
  return Object.keys(c.NetworkSettings?.Networks ?? {}).some((name) => !NO_DNS_NETWORKS.has(name));
}

/** What an inspect depends on: state and endpoints. A reconnect changes the endpoint ID. */
function fingerprint(c: ApiContainerSummary): string {
  const endpoints = Object.entries(c.NetworkSettings?.Networks ?? {})
    .map(([name, ep]) => `${name}=${ep.NetworkID ?? ""}/${ep.EndpointID ?? ""}`)
    .sort();
  return `${c.State}|${c.Names.join(",")}|${endpoints.join(",")}`;
}

/**
 * What can change in a container's list entry while its ID stays: state and status text, names (rename),
 * the image reference, ports and endpoints. Labels and the network mode are fixed at create, so they are
 * left out: far cheaper than serialising the entry, on the path of every full sync.
 */
function changeKey(c: ApiContainerSummary, print: string): string {
  const ports = (c.Ports ?? [])
    .map((p) => `${p.IP ?? ""}:${p.PublicPort ?? ""}:${p.PrivatePort}/${p.Type}`)
    .join(",");
  const endpoints = Object.values(c.NetworkSettings?.Networks ?? {})
    .map(
      (ep) =>
        `${ep.IPAddress ?? ""}/${ep.IPPrefixLen ?? ""}/${ep.GlobalIPv6Address ?? ""}/${ep.MacAddress ?? ""}/${ep.Gateway ?? ""}`,
    )
    .join(",");
  return `${print}|${c.Status ?? ""}|${c.Image}|${ports}|${endpoints}`;
}

/**
 * The part of an inspect that normalisation reads (names, hostname, start time, failed-start error). A whole inspect is
 * several kilobytes (mounts, graph driver, config); holding only this keeps the server small at scale.
 */
function slimInspect(detail: ApiContainerInspect): ApiContainerInspect {
  return {
    Id: detail.Id,
    Name: detail.Name,
    Config: { Hostname: detail.Config?.Hostname ?? "" },
    State: {
      Status: detail.State?.Status ?? "",
      Error: detail.State?.Error ?? "",
      StartedAt: detail.State?.StartedAt ?? "",
    },
    NetworkSettings: { Networks: detail.NetworkSettings?.Networks ?? {} },
  };
}
