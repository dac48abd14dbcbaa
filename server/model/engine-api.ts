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
  /** `?verbose=true` on a swarm node: the overlay's peers and service backends as this node sees them. */
  Peers?: ApiPeer[] | null;
  Services?: Record<string, ApiNetworkService> | null;
}

export interface ApiInfo {
  ID?: string;
  Name?: string;
  ServerVersion?: string;
  OperatingSystem?: string;
  Plugins?: { Network?: string[] | null };
  Swarm?: {
    LocalNodeState?: string;
    NodeID?: string;
    ControlAvailable?: boolean;
    Cluster?: { ID?: string } | null;
  };
}

export interface ApiVersion {
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  Os?: string;
}

/** One element of `GET /nodes` (a manager only). */
export interface ApiNode {
  ID: string;
  Spec?: { Name?: string; Role?: string; Availability?: string; Labels?: Record<string, string> | null };
  Description?: { Hostname?: string; Engine?: { EngineVersion?: string } };
  Status?: { State?: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string } | null;
}

export interface ApiPortConfig {
  Name?: string;
  Protocol?: string;
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: string;
}

/** One element of `GET /services` (a manager only). */
export interface ApiService {
  ID: string;
  Spec?: {
    Name?: string;
    Labels?: Record<string, string> | null;
    Mode?: {
      Replicated?: { Replicas?: number };
      Global?: object;
      ReplicatedJob?: object;
      GlobalJob?: object;
    };
    TaskTemplate?: { Networks?: { Target: string; Aliases?: string[] | null }[] | null };
    EndpointSpec?: { Mode?: string; Ports?: ApiPortConfig[] | null };
  };
  Endpoint?: {
    Ports?: ApiPortConfig[] | null;
    VirtualIPs?: { NetworkID: string; Addr?: string }[] | null;
  };
}

/** One element of `GET /tasks` (a manager only). */
export interface ApiTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  Labels?: Record<string, string> | null;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status?: {
    Timestamp?: string;
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number } | null;
  };
  NetworksAttachments?:
    { Network?: { ID: string; Spec?: { Name?: string } }; Addresses?: string[] | null }[] | null;
}

/** One overlay peer in `GET /networks/{id}?verbose=true`. */
export interface ApiPeer {
  Name: string;
  IP: string;
}

/** `Services` in `GET /networks/{id}?verbose=true`: each service's VIP and the backends this node balances to. */
export interface ApiNetworkService {
  VIP?: string;
  Ports?: string[] | null;
  LocalLBIndex?: number;
  Tasks?:
    { Name: string; EndpointID?: string; EndpointIP?: string; Info?: Record<string, string> | null }[] | null;
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
  /** A swarm manager's `GET /nodes`, `GET /services` and `GET /tasks`. */
  nodes?: ApiNode[];
  services?: ApiService[];
  tasks?: ApiTask[];
  /** `GET /networks/{id}?verbose=true` by full network ID, for overlays on a swarm node. */
  verboseNetworkInspects?: Record<string, ApiNetwork>;
}

/** Several engines recorded at one moment (a swarm's nodes, or standalone hosts), each under its map key. */
export interface FleetRecording {
  recordedAt?: string;
  engines: { key: string; recording: EngineRecording }[];
}
