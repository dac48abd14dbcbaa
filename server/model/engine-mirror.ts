import type {
  ApiContainerInspect,
  ApiContainerSummary,
  ApiInfo,
  ApiNetwork,
  ApiVersion,
  EngineState,
} from "./engine-api.ts";
import type { NormalizeContext } from "./normalize.ts";
import {
  GWBRIDGE,
  engineInfo,
  gatewayInterfaces,
  linksToTarget,
  normalizeContainer,
  normalizeNetwork,
  primaryName,
} from "./normalize.ts";
import type {
  Container,
  EngineEntry,
  EngineInfo,
  Interface,
  LegacyLink,
  Network,
  Topology,
  TopologyDelta,
  TopologySource,
} from "./topology.ts";
import { SCHEMA_VERSION } from "./topology.ts";

/**
 * A mirror of one engine's raw state with the indexes that let a change re-normalise only what it touches:
 * the changed container, its `container:` joiners (CN-1) and legacy linkers (DB-4), or a network's members.
 */
export class EngineMirror implements NormalizeContext {
  private info: ApiInfo = {};
  private version: ApiVersion = {};
  private readonly summaries = new Map<string, ApiContainerSummary>();
  private readonly details = new Map<string, ApiContainerInspect>();
  private readonly rawNetworks = new Map<string, ApiNetwork>();
  private readonly networkDetails = new Map<string, ApiNetwork>();
  private readonly networks = new Map<string, Network>();
  private readonly containers = new Map<string, Container>();
  private readonly idsByContainerName = new Map<string, string>();
  private readonly networkIdsByName = new Map<string, Set<string>>();
  private readonly membersByNetwork = new Map<string, Set<string>>();
  private readonly links = new Map<string, LegacyLink[]>();
  private readonly joinersByRef = new Map<string, Set<string>>();
  private gateways = new Map<string, Interface>();
  private readonly dirtyContainers = new Set<string>();
  private readonly changedNetworks = new Set<string>();
  private readonly removedContainers = new Set<string>();
  private readonly removedNetworks = new Set<string>();
  /**
   * What each object changed since the last delta was as of that delta: {@link topology} re-normalises too
   * (a resync or `GET /api/topology` between two deltas), and the next delta must still carry the change.
   */
  private readonly unsentContainers = new Map<string, Container | undefined>();
  private readonly unsentNetworks = new Map<string, Network | undefined>();
  private engineChanged = false;

  constructor(state?: EngineState) {
    if (!state) return;
    this.setDaemon(state.info, state.version);
    for (const net of state.networks) this.upsertNetwork(net, state.networkDetails.get(net.Id));
    for (const c of state.containers) this.upsertContainer(c, state.containerDetails.get(c.Id));
  }

  setDaemon(info: ApiInfo, version: ApiVersion): void {
    const before = JSON.stringify(engineInfo(this.info, this.version));
    this.info = info;
    this.version = version;
    this.engineChanged ||= before !== JSON.stringify(engineInfo(info, version));
  }

  containerIds(): string[] {
    return [...this.summaries.keys()];
  }

  networkIds(): string[] {
    return [...this.rawNetworks.keys()];
  }

  rawContainer(id: string): ApiContainerSummary | undefined {
    return this.summaries.get(id);
  }

  rawDetail(id: string): ApiContainerInspect | undefined {
    return this.details.get(id);
  }

  rawNetworkDetail(id: string): ApiNetwork | undefined {
    return this.networkDetails.get(id);
  }

  rawNetwork(id: string): ApiNetwork | undefined {
    return this.rawNetworks.get(id);
  }

  /** Adds or replaces a container's list entry and (optionally) its inspect. */
  upsertContainer(summary: ApiContainerSummary, detail?: ApiContainerInspect): void {
    const old = this.summaries.get(summary.Id);
    if (old) this.unindexContainer(old);
    this.summaries.set(summary.Id, summary);
    if (detail) this.details.set(summary.Id, detail);
    else this.details.delete(summary.Id);
    this.indexContainer(summary);
    this.removedContainers.delete(summary.Id);
    this.touchContainer(summary.Id, old);
  }

  removeContainer(id: string): void {
    const old = this.summaries.get(id);
    if (!old) return;
    this.unindexContainer(old);
    this.summaries.delete(id);
    this.details.delete(id);
    this.touchContainer(id, old);
    this.removedContainers.add(id);
  }

  upsertNetwork(net: ApiNetwork, detail?: ApiNetwork): void {
    const old = this.rawNetworks.get(net.Id);
    if (old) this.unindexNetwork(old);
    this.rawNetworks.set(net.Id, net);
    if (detail) this.networkDetails.set(net.Id, detail);
    else this.networkDetails.delete(net.Id);
    const ids = this.networkIdsByName.get(net.Name) ?? new Set<string>();
    ids.add(net.Id);
    this.networkIdsByName.set(net.Name, ids);
    this.removedNetworks.delete(net.Id);
    this.changedNetworks.add(net.Id);
    if (net.Name === GWBRIDGE) this.refreshGateways(detail);
    this.touchMembers(net);
  }

  removeNetwork(id: string): void {
    const old = this.rawNetworks.get(id);
    if (!old) return;
    this.unindexNetwork(old);
    this.rawNetworks.delete(id);
    this.networkDetails.delete(id);
    this.networks.delete(id);
    this.changedNetworks.delete(id);
    this.removedNetworks.add(id);
    if (old.Name === GWBRIDGE) this.refreshGateways(undefined);
    this.touchMembers(old);
  }

  /** The whole normalised topology. */
  topology(source: TopologySource): Topology {
    this.flush();
    const engine = engineInfo(this.info, this.version);
    return {
      schemaVersion: SCHEMA_VERSION,
      source,
      engine,
      engines: [engineEntry(engine, this.info, source)],
      networks: [...this.networks.values()].sort(byName),
      containers: [...this.containers.values()].sort(byName),
    };
  }

  /** What changed since the last call (or since construction), as a delta; null when nothing did. */
  takeDelta(seq: number, capturedAt: string): TopologyDelta | null {
    const removedContainers = [...this.removedContainers].filter((id) => this.containers.has(id));
    this.flush();
    const before = [...this.unsentContainers];
    const beforeNetworks = [...this.unsentNetworks];
    this.unsentContainers.clear();
    this.unsentNetworks.clear();
    const upsertContainers = before
      .map(([id, old]) => ({ old, now: this.containers.get(id) }))
      .filter(({ old, now }) => now && JSON.stringify(old) !== JSON.stringify(now))
      .map(({ now }) => now as Container);
    const upsertNetworks = beforeNetworks
      .map(([id, old]) => ({ old, now: this.networks.get(id) }))
      .filter(({ old, now }) => now && JSON.stringify(old) !== JSON.stringify(now))
      .map(({ now }) => now as Network);
    const removeNetworks = [...this.removedNetworks];
    for (const id of removedContainers) this.containers.delete(id);
    const engine = this.engineChanged ? engineInfo(this.info, this.version) : undefined;
    this.removedContainers.clear();
    this.removedNetworks.clear();
    this.engineChanged = false;
    if (
      !upsertContainers.length &&
      !upsertNetworks.length &&
      !removedContainers.length &&
      !removeNetworks.length &&
      !engine
    ) {
      return null;
    }
    return {
      schemaVersion: SCHEMA_VERSION,
      seq,
      capturedAt,
      upsertNetworks,
      removeNetworks,
      upsertContainers,
      removeContainers: removedContainers,
      ...(engine ? { engine } : {}),
    };
  }

  // NormalizeContext

  network(name: string, id: string | undefined): Network | undefined {
    const wanted = id || this.networkIdByName(name);
    return wanted ? this.networks.get(wanted) : undefined;
  }

  networkIdByName(name: string): string | undefined {
    const ids = this.networkIdsByName.get(name);
    return ids && ids.size === 1 ? [...ids][0] : undefined;
  }

  container(ref: string): { id: string; name: string } | undefined {
    const byId = this.summaries.get(ref);
    if (byId) return { id: ref, name: primaryName(byId.Names) };
    const byName = this.idsByContainerName.get(ref);
    if (byName) return { id: byName, name: ref };
    if (ref.length < 12) return undefined;
    for (const [id, summary] of this.summaries)
      if (id.startsWith(ref)) return { id, name: primaryName(summary.Names) };
    return undefined;
  }

  linksOf(name: string): LegacyLink[] {
    return this.links.get(name) ?? [];
  }

  gatewayInterface(id: string): Interface | undefined {
    return this.gateways.get(id);
  }

  // Indexes

  private flush(): void {
    for (const id of this.changedNetworks) {
      if (!this.unsentNetworks.has(id)) this.unsentNetworks.set(id, this.networks.get(id));
      const raw = this.rawNetworks.get(id);
      if (raw) this.networks.set(id, normalizeNetwork(raw, this.networkDetails.get(id)));
    }
    this.changedNetworks.clear();
    for (const id of this.dirtyContainers) {
      if (!this.unsentContainers.has(id)) this.unsentContainers.set(id, this.containers.get(id));
      const summary = this.summaries.get(id);
      if (summary) this.containers.set(id, normalizeContainer(summary, this.details.get(id), this));
    }
    this.dirtyContainers.clear();
  }

  private indexContainer(summary: ApiContainerSummary): void {
    this.idsByContainerName.set(primaryName(summary.Names), summary.Id);
    const ref = providerRef(summary);
    if (ref) this.joinersByRef.set(ref, (this.joinersByRef.get(ref) ?? new Set<string>()).add(summary.Id));
    for (const netName of Object.keys(summary.NetworkSettings?.Networks ?? {})) {
      const members = this.membersByNetwork.get(netName) ?? new Set<string>();
      members.add(summary.Id);
      this.membersByNetwork.set(netName, members);
    }
    for (const { linker, link } of linksToTarget(summary)) {
      this.links.set(
        linker,
        [...(this.links.get(linker) ?? []), link].sort((a, b) => a.alias.localeCompare(b.alias)),
      );
    }
  }

  private unindexContainer(summary: ApiContainerSummary): void {
    const name = primaryName(summary.Names);
    if (this.idsByContainerName.get(name) === summary.Id) this.idsByContainerName.delete(name);
    const ref = providerRef(summary);
    if (ref) this.joinersByRef.get(ref)?.delete(summary.Id);
    for (const netName of Object.keys(summary.NetworkSettings?.Networks ?? {})) {
      this.membersByNetwork.get(netName)?.delete(summary.Id);
    }
    for (const { linker, link } of linksToTarget(summary)) {
      const rest = (this.links.get(linker) ?? []).filter(
        (l) => l.target !== link.target || l.alias !== link.alias,
      );
      if (rest.length) this.links.set(linker, rest);
      else this.links.delete(linker);
    }
  }

  private unindexNetwork(net: ApiNetwork): void {
    const ids = this.networkIdsByName.get(net.Name);
    ids?.delete(net.Id);
    if (ids && !ids.size) this.networkIdsByName.delete(net.Name);
  }

  /** A container changed: re-normalise it, its joiners (CN-1) and the linkers named in its `Names` (DB-4). */
  private touchContainer(id: string, old: ApiContainerSummary | undefined): void {
    this.dirtyContainers.add(id);
    const now = this.summaries.get(id);
    const names = new Set([old, now].filter((s) => s !== undefined).map((s) => primaryName(s.Names)));
    for (const s of [old, now]) for (const { linker } of s ? linksToTarget(s) : []) this.markByName(linker);
    for (const [ref, joiners] of this.joinersByRef) {
      // The engine stores the full ID (CN-1); a name or an ID prefix is matched too.
      if (ref === id || names.has(ref) || (ref.length >= 12 && id.startsWith(ref))) {
        for (const joiner of joiners) this.dirtyContainers.add(joiner);
      }
    }
  }

  private markByName(name: string): void {
    const id = this.idsByContainerName.get(name);
    if (id) this.dirtyContainers.add(id);
  }

  /** A network changed: its members' interfaces may resolve differently (driver, default bridge, DNS). */
  private touchMembers(net: ApiNetwork): void {
    for (const id of this.membersByNetwork.get(net.Name) ?? []) this.dirtyContainers.add(id);
  }

  private refreshGateways(detail: ApiNetwork | undefined): void {
    const next = detail ? gatewayInterfaces(detail) : new Map<string, Interface>();
    for (const id of new Set([...this.gateways.keys(), ...next.keys()])) {
      if (JSON.stringify(this.gateways.get(id)) !== JSON.stringify(next.get(id)) && this.summaries.has(id)) {
        this.dirtyContainers.add(id);
      }
    }
    this.gateways = next;
  }
}

/** One engine's entry: keyed by its host name (/info Name), as the docker CLI's node list names it. */
function engineEntry(engine: EngineInfo, info: ApiInfo, source: TopologySource): EngineEntry {
  const nodeId = info.Swarm?.NodeID;
  const clusterId = info.Swarm?.Cluster?.ID;
  return {
    key: engine.name || "engine",
    url: source.kind === "live" ? source.label : null,
    info: engine,
    ...(engine.swarm && nodeId
      ? {
          swarmNode: {
            nodeId,
            role: info.Swarm?.ControlAvailable === true ? "manager" : "worker",
            ...(clusterId ? { clusterId } : {}),
          },
        }
      : {}),
  };
}

function providerRef(summary: ApiContainerSummary): string | undefined {
  const mode = summary.HostConfig?.NetworkMode ?? "";
  return mode.startsWith("container:") ? mode.slice("container:".length) : undefined;
}

function byName<T extends { name: string; id: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
