import type { RuleId } from "../../server/model/reachability/index.ts";
import { isRuleId } from "../../server/model/reachability/index.ts";
import type { Container, Interface, Network, Topology } from "../../server/model/topology.ts";

/** One driver or mode the driver panel explains; `rules` are the IDs of docs/rules.md it rests on. */
export interface DriverSection {
  id: string;
  title: string;
  /** What it does. */
  what: string;
  /** How an interface looks when the topology has none to show. */
  looks: string;
  /** What it means for reachability. */
  reach: string;
  rules: RuleId[];
  /** A real container interface of this kind in the shown topology. */
  pick(t: Topology): { container: Container; iface: Interface | null } | null;
}

const GWBRIDGE = "docker_gwbridge";

function firstOn(t: Topology, match: (n: Network) => boolean) {
  const nets = new Map(t.networks.map((n) => [n.id, n]));
  for (const container of t.containers)
    for (const iface of container.interfaces) {
      const n = nets.get(iface.networkId);
      if (n && match(n) && (iface.ipv4 || iface.ipv6)) return { container, iface };
    }
  return null;
}

function firstContainer(t: Topology, match: (c: Container) => boolean) {
  const container = t.containers.find(match);
  return container ? { container, iface: container.interfaces[0] ?? null } : null;
}

const plainBridge = (n: Network) =>
  n.driver === "bridge" && !n.defaultBridge && n.name !== GWBRIDGE && n.icc && !n.internal;

export const SECTIONS: DriverSection[] = [
  {
    id: "bridge-default",
    title: "Default bridge (docker0)",
    what: "`docker run` without --network attaches the container to docker0 (NetworkMode default or bridge).",
    looks: "eth0 with an address from 172.17.0.0/16 and gateway 172.17.0.1; no aliases, no DNS names.",
    reach:
      "Peers on docker0 reach each other by IP, but no name resolves: only legacy --link entries in /etc/hosts, one way. docker0 is isolated from every other bridge.",
    rules: ["DB-1", "DB-2", "DB-3", "DB-4", "DB-5", "DB-6", "DB-7", "DB-8"],
    pick: (t) => firstOn(t, (n) => n.defaultBridge),
  },
  {
    id: "bridge-user",
    title: "User-defined bridge",
    what: "`docker network create` (driver bridge): a Linux bridge br-<id> with its own subnet and embedded DNS.",
    looks: "An address on the network's subnet, its gateway, and DNS names: name, aliases, short ID.",
    reach:
      "Every port of every member is reachable without publishing; names resolve only on the network (network-scoped). Other bridges are isolated; host addresses are always reachable.",
    rules: ["UB-1", "UB-2", "UB-3", "UB-4", "UB-5", "UB-6", "UB-7", "UB-8", "UB-9", "UB-10"],
    pick: (t) => firstOn(t, plainBridge),
  },
  {
    id: "icc-off",
    title: "icc off (enable_icc=false)",
    what: "A bridge created with --opt com.docker.network.bridge.enable_icc=false.",
    looks: "Like any user-defined bridge interface: an address, a gateway, DNS names.",
    reach:
      "Members cannot reach each other's IPs although their names resolve; they still reach the host and each other's published ports through docker-proxy.",
    rules: ["ICC-1", "ICC-2", "ICC-3", "ICC-4", "ICC-5"],
    pick: (t) => firstOn(t, (n) => n.driver === "bridge" && !n.icc),
  },
  {
    id: "internal",
    title: "Internal network (--internal)",
    what: "A network whose traffic never leaves it through the host's forwarding path.",
    looks: "An ordinary address and gateway: the gateway IP still exists on the host bridge.",
    reach:
      "Members reach each other and every host address, but nothing on other networks, no published port, and not the Internet; ports published on internal-only containers are not programmed.",
    rules: ["INT-1", "INT-2", "INT-3", "INT-4", "INT-5", "INT-6", "INT-7", "PP-8"],
    pick: (t) => firstOn(t, (n) => n.internal),
  },
  {
    id: "multi",
    title: "Several networks",
    what: "`docker network connect` adds an endpoint on another network to a running container.",
    looks: "One interface per network, each with its own address; names resolve to the shared network's IP.",
    reach: "The container reaches members of all its networks, but it is no router for the others.",
    rules: ["MN-1", "MN-2", "MN-3", "MN-4"],
    pick: (t) => firstContainer(t, (c) => c.interfaces.filter((i) => !i.implicit && i.ipv4).length > 1),
  },
  {
    id: "host",
    title: "host mode (--network host)",
    what: "The container runs in the host's own network namespace.",
    looks:
      "An endpoint on the host network with an endpoint ID but no IP fields: the host's interfaces are its own.",
    reach:
      "It reaches what the host reaches (every bridge container IP, 127.0.0.1-bound ports); others reach it at any host address, never by name.",
    rules: ["H-1", "H-2", "H-3"],
    pick: (t) => firstContainer(t, (c) => c.networkMode === "host"),
  },
  {
    id: "none",
    title: "none mode (--network none)",
    what: "The container gets a namespace with only the loopback interface.",
    looks: "An endpoint on the none network with empty IP fields; inside, only lo.",
    reach: "It reaches nothing and nothing reaches it.",
    rules: ["NO-1"],
    pick: (t) => firstContainer(t, (c) => c.networkMode === "none"),
  },
  {
    id: "container",
    title: "container: mode (--network container:X)",
    what: "The container joins X's namespace (sidecar, VPN pattern); compose service:x becomes container:<id>.",
    looks: "No interfaces of its own (Networks is empty): it uses X's.",
    reach:
      "Peers reach its ports at X's address and through X's name; its own name is in no DNS. It loses its network when X stops.",
    rules: ["CN-1", "CN-2", "CN-3"],
    pick: (t) => firstContainer(t, (c) => c.sharesNamespaceWith !== undefined),
  },
  {
    id: "overlay",
    title: "Overlay (swarm)",
    what: "A VXLAN network across swarm nodes; standalone containers may join it when it is --attachable.",
    looks: "An overlay address plus an implicit interface on docker_gwbridge's subnet for host traffic.",
    reach:
      "Members reach each other on the overlay; other overlays and bridges only via published ports; the host reaches them only at the gwbridge IP.",
    rules: ["OV-1", "OV-2", "OV-3", "OV-4", "OV-5", "OV-6", "OV-7", "OV-8", "OV-9", "OV-10", "HC-2"],
    pick: (t) => firstOn(t, (n) => n.driver === "overlay" && !n.ingress),
  },
  {
    id: "macvlan",
    title: "macvlan",
    what: "Children get their own MAC on a parent interface's segment (bridge mode by default).",
    looks: "An address on the LAN subnet whose gateway is the LAN's router, not the host.",
    reach:
      "Children reach each other and LAN hosts directly, but the host and its containers cannot reach them without a shim; no NAT, no publishing.",
    rules: ["MV-1", "MV-2", "MV-3", "MV-4", "MV-5", "MV-6", "MV-7", "HC-3"],
    pick: (t) => firstOn(t, (n) => n.driver === "macvlan"),
  },
  {
    id: "ipvlan",
    title: "ipvlan",
    what: "Children share the parent's MAC; l2 mode works like macvlan, l3 mode routes between subnets.",
    looks: "An address on the parent's subnet; the kernel must support ipvlan.",
    reach:
      "l2: like macvlan, isolated from the host. l3: routed between subnets of the parent, no host reachability.",
    rules: ["IV-1", "IV-2"],
    pick: (t) => firstOn(t, (n) => n.driver === "ipvlan"),
  },
  {
    id: "published",
    title: "Published ports (-p)",
    what: "-p [ip:]hostPort:containerPort makes docker-proxy and iptables forward a host port to the container.",
    looks:
      "NetworkSettings.Ports bindings such as 0.0.0.0:8080 → 80/tcp (exposed-only ports have no host side).",
    reach:
      "Any container on a non-internal bridge or overlay, and the host, reaches a wildcard binding via any host address, across isolation and icc=false; 127.0.0.1 bindings only from the host namespace.",
    rules: ["PP-1", "PP-2", "PP-3", "PP-4", "PP-5", "PP-6", "PP-7", "PP-9", "PP-10", "PP-11"],
    pick: (t) => firstContainer(t, (c) => c.ports.some((p) => p.publicPort !== undefined)),
  },
  {
    id: "host-paths",
    title: "Host ↔ container",
    what: "The host's own namespace and the host addresses every container can dial.",
    looks: "Every bridge gateway is a host address; so are the LAN IPs.",
    reach:
      "The host reaches bridge containers directly; containers reach host addresses unless they are macvlan/ipvlan or none.",
    rules: ["HC-1", "HC-2", "HC-3", "HC-4", "HC-5", "HC-6"],
    pick: () => null,
  },
  {
    id: "ipv6",
    title: "IPv6",
    what: "Networks created with --ipv6 and a v6 subnet.",
    looks: "A GlobalIPv6Address beside the IPv4 address.",
    reach: "On 20.10 (ip6tables off) IPv6 is not isolated between networks; from 27.0 it is.",
    rules: ["V6-1", "V6-2", "V6-3", "V6-4"],
    pick: (t) => firstContainer(t, (c) => c.interfaces.some((i) => i.ipv6 !== null)),
  },
  {
    id: "edge",
    title: "States and unknowns",
    what: "What the model does with containers that are not running and drivers it cannot know.",
    looks: "Stopped containers keep their network keys with empty addresses.",
    reach:
      "Only live endpoints count; paused targets get packets but no service; plugin drivers are unknown.",
    rules: [
      "§1.1",
      "§5 stopped",
      "§5 paused",
      "§5 plugin driver",
      "§5 unknown network",
      "§5 multiple subnets",
    ],
    pick: (t) => firstContainer(t, (c) => c.state !== "running"),
  },
];

/** The section that explains a rule (its first mention), for badges elsewhere on the page. */
export function sectionOfRule(rule: string): DriverSection | undefined {
  const key = isRuleId(rule) ? rule : rule.startsWith("§5") ? "§5 stopped" : null;
  return key === null ? undefined : SECTIONS.find((s) => s.rules.includes(key));
}
