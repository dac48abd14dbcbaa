/**
 * The subset of Docker Engine API responses reachgraph reads (API 1.41 and later; §2 of docker-reachability.md).
 * Fields that newer or older engines omit are optional.
 */

export interface ApiEndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  /** API >= 1.44. */
  DNSNames?: string[] | null;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  MacAddress?: string;
}

export interface ApiPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** One element of `GET /containers/json?all=1`. */
export interface ApiContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  Created: number;
  Ports?: ApiPort[] | null;
  Labels?: Record<string, string> | null;
  State: string;
  Status?: string;
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: { Networks?: Record<string, ApiEndpointSettings> | null } | null;
}

/** `GET /containers/{id}/json`, the fields reachgraph uses. */
export interface ApiContainerInspect {
  Id: string;
  Name: string;
  Config?: { Hostname?: string; Domainname?: string; Labels?: Record<string, string> | null };
  HostConfig?: { NetworkMode?: string; Links?: string[] | null };
  State?: { Status?: string; Error?: string; StartedAt?: string };
  NetworkSettings?: { Networks?: Record<string, ApiEndpointSettings> | null } | null;
}

export interface ApiIpamConfig {
  Subnet?: string;
  Gateway?: string;
  IPRange?: string;
}

export interface ApiNetworkEndpoint {
  Name: string;
  EndpointID?: string;
  MacAddress?: string;
  IPv4Address?: string;
  IPv6Address?: string;
}

/** One element of `GET /networks`, or `GET /networks/{id}` (which also fills `Containers`). */
export interface ApiNetwork {
  Name: string;
  Id: string;
  Scope: string;
  Driver: string;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: ApiIpamConfig[] | null } | null;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  ConfigOnly?: boolean;
  Containers?: Record<string, ApiNetworkEndpoint> | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface ApiInfo {
  ID?: string;
  Name?: string;
  ServerVersion?: string;
  OperatingSystem?: string;
  Plugins?: { Network?: string[] | null };
  Swarm?: { LocalNodeState?: string; NodeID?: string; ControlAvailable?: boolean };
}

export interface ApiVersion {
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  Os?: string;
}

/** One line of `GET /events`. */
export interface ApiEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Everything a topology is built from: two list calls, /info, /version, and the inspects that filled gaps. */
export interface EngineState {
  info: ApiInfo;
  version: ApiVersion;
  containers: ApiContainerSummary[];
  networks: ApiNetwork[];
  /** Container inspects by container ID (aliases, hostname, State.Error). */
  containerDetails: ReadonlyMap<string, ApiContainerInspect>;
  /** Network inspects by network ID, for overlay and docker_gwbridge members (OV-2, OV-9). */
  networkDetails: ReadonlyMap<string, ApiNetwork>;
}
/**
 * What a replay engine serves: Engine API responses as plain JSON, keyed the way the engine keys them.
 * Recordings, the bundled example and generated benchmark topologies all have this one shape.
 */
export interface EngineRecording {
  /** ISO time of the recording (the bundled example shows it as the topology's capture time). */
  recordedAt?: string;
  info: ApiInfo;
  version: ApiVersion;
  /** `GET /containers/json?all=1`. */
  containers: ApiContainerSummary[];
  /** `GET /networks`. */
  networks: ApiNetwork[];
  /** `GET /containers/{id}/json` by full container ID. */
  containerInspects: Record<string, ApiContainerInspect>;
  /** `GET /networks/{id}` by full network ID. */
  networkInspects: Record<string, ApiNetwork>;
  /** `GET /events` lines, oldest first. */
  events: ApiEvent[];
}
