import type { RuleId } from "../../server/model/reachability/index.ts";
import { isRuleId } from "../../server/model/reachability/index.ts";

/**
 * One line per rule the model cites (Docker Engine 20.10, default daemon config), as the page teaches it: the
 * short form of docs/rules.md. A missing rule is a compile error; test/web/rules.test.ts holds the two together.
 */
export const RULES: Readonly<Record<RuleId, string>> = {
  "DB-1": "Containers on docker0 reach each other by IP when the daemon's --icc is true (the default).",
  "DB-2": "docker0 has no embedded DNS: container names and short IDs do not resolve there.",
  "DB-3": "A legacy --link writes the target into the linking container's /etc/hosts; one-directional.",
  "DB-4": "A link shows as HostConfig.Links on the linker and as an extra Names entry on the target.",
  "DB-5": "--network-alias is rejected on the default bridge: aliases need a user-defined network.",
  "DB-6":
    "With daemon --icc=false, docker0 drops peer traffic except the exposed ports of linked containers.",
  "DB-7": "docker0 is isolated from every other bridge network (IPv4), both directions.",
  "DB-8": "The legacy top-level NetworkSettings.IPAddress is filled only for the docker0 endpoint.",
  "UB-1": "All ports of all containers on the same user-defined bridge are mutually reachable, unpublished.",
  "UB-2":
    "Embedded DNS (127.0.0.11) resolves name, aliases, 12-hex short ID, explicit hostname and <name>.<network>.",
  "UB-3": "Names are network-scoped: a container on another network gets NXDOMAIN.",
  "UB-4": "An alias shared by several containers returns several A records (round-robin).",
  "UB-5": "A multi-homed container resolves to its IP on the network the asker shares.",
  "UB-6": "Unknown names are forwarded to the container's upstream DNS, from its namespace.",
  "UB-7": "--link on a user-defined network is an alias only the linking container resolves.",
  "UB-8": "Two user-defined bridges are isolated from each other (IPv4), both directions.",
  "UB-9": "A container reaches its gateway and every other host address (INPUT path, no isolation).",
  "UB-10": "host.docker.internal:host-gateway maps to docker0's gateway, reachable by UB-9.",
  "ICC-1": "enable_icc=false: members of the network cannot reach each other's IPs.",
  "ICC-2": "DNS still resolves peers on an icc=false network: a name does not imply reachability.",
  "ICC-3": "icc=false members still reach the host and peers' published ports via docker-proxy.",
  "ICC-4": "icc=false does not block egress.",
  "ICC-5": "docker_gwbridge has icc=false: overlay containers cannot talk through gwbridge IPs.",
  "INT-1": "On an --internal bridge, same-network traffic is allowed.",
  "INT-2": "An internal bridge drops all forwarding in or out: no other network reaches it, it reaches none.",
  "INT-3":
    "Internal containers still reach every host address and host service: internal is not host isolation.",
  "INT-4": "Internal containers cannot use published ports via host addresses (DNAT, then dropped).",
  "INT-5": "Ports published on a container only on internal networks are silently not programmed.",
  "INT-6": "No egress from an internal network to the Internet.",
  "INT-7": "From Docker 28, gateway mode isolated removes the bridge IP, so the host is unreachable too.",
  "MN-1": "A container on N1 and N2 reaches both; peers reach it only at its IP on the shared network.",
  "MN-2": "A multi-homed container is not a router for others by default.",
  "MN-3":
    "With NET_ADMIN and routes via the multi-homed container, traffic can cross networks (not in the API).",
  "MN-4": "Docker picks a multi-homed container's default gateway (GwPriority from API 1.48).",
  "H-1": "--network host: the container is the host namespace; -p is ignored.",
  "H-2": "Host-mode containers reach every bridge container IP and 127.0.0.1-bound published ports.",
  "H-3": "Bridge containers reach a host-mode service via any host IP; host-mode containers are in no DNS.",
  "NO-1": "--network none: only lo. Reaches nothing and is unreachable.",
  "CN-1": "--network container:X shares X's interfaces: peers reach it at X's IP and through X's name.",
  "CN-2":
    "--dns, --hostname, --publish, --add-host, --mac-address and --expose conflict with container: mode.",
  "CN-3": "If X stops, the joiner keeps only lo, and stays so after X restarts until it restarts itself.",
  "MV-1": "Children of the same macvlan network (bridge mode) reach each other; embedded DNS works.",
  "MV-2": "A LAN host on the parent's segment reaches children directly by IP.",
  "MV-3": "Host and macvlan children cannot reach each other through the parent interface.",
  "MV-4": "A host macvlan shim on the same parent plus a route makes host and child reach each other.",
  "MV-5": "Docker creates no iptables rules for macvlan/ipvlan: publishing does not apply.",
  "MV-6": "Only one macvlan network per parent interface.",
  "MV-7": "Without -o parent, or with --internal, macvlan uses a dummy parent: a fully isolated network.",
  "IV-1": "ipvlan needs kernel support; without it the container stays created with an error.",
  "IV-2": "ipvlan l2 isolates children from the host like macvlan; l3 routes between subnets on the parent.",
  "PP-1": "-p HP:CP binds 0.0.0.0 and ::, reachable via every host address.",
  "PP-2": "-p 127.0.0.1:HP:CP is reachable only via 127.0.0.1 from the host namespace.",
  "PP-3": "-p <hostIP>:HP:CP is reachable only at that exact IP.",
  "PP-4":
    "Any container on a non-internal bridge, an overlay or the host reaches a published port via any host address.",
  "PP-5":
    "docker-proxy carries container-to-published-port traffic; the server sees its network's gateway IP.",
  "PP-6": "A container can reach its own published port via a host address (hairpin).",
  "PP-7": "With userland-proxy=false, cross-network access to published ports breaks.",
  "PP-8": "Internal networks: no programming (INT-5) and no use of published ports (INT-4).",
  "PP-9": "-P maps exposed ports to ephemeral host ports; --expose alone has no reachability effect.",
  "PP-10": "Remote hosts reach published ports on the host's IPs.",
  "PP-11": "What is published is NetworkSettings.Ports, not HostConfig.PortBindings.",
  "HC-1": "The host reaches every bridge container IP, any port, internal and icc=false networks included.",
  "HC-2": "The host reaches overlay containers only via their docker_gwbridge IP.",
  "HC-3": "The host does not reach macvlan/ipvlan children, unless there is a shim.",
  "HC-4": "Containers reach any host IP (bridge, icc=false, internal, overlay); not macvlan/ipvlan or none.",
  "HC-5": "Egress: bridges masquerade; internal networks have none; macvlan goes straight to the LAN.",
  "HC-6": "From outside: published ports only; macvlan/ipvlan children are addressable on the LAN.",
  "OV-1": "Standalone containers join an overlay only if it is --attachable; members reach each other.",
  "OV-2": "Every non-internal overlay member also gets a docker_gwbridge interface for host traffic.",
  "OV-3": "Overlay containers cannot reach each other via gwbridge IPs; bridge containers cannot reach them.",
  "OV-4": "Overlay containers reach bridge containers only via published ports.",
  "OV-5": "Containers on different overlays cannot reach each other.",
  "OV-6": "Swarm service DNS: <service> gives the VIP (or task IPs), tasks.<service> the task IPs.",
  "OV-7": "VIP load-balancing and the ingress routing mesh need IPVS; no edges over ingress.",
  "OV-8": "mode=host service publishing works like bridge publishing on docker_gwbridge.",
  "OV-9": "lb-<net> and ingress-sbox endpoints in overlay inspect output are not containers.",
  "OV-10": "Encrypted overlays use IPsec between nodes; same-host reachability is unchanged.",
  "SW-1":
    "A swarm overlay is one network (one ID) on every node: its members reach each other across nodes (VXLAN).",
  "SW-2":
    "Local networks belong to one machine: bridge on node2 is not node1's, and they never reach each other.",
  "SW-3": "A VIP-mode service name answers with the service's VIP; connecting to it needs IPVS (a caveat).",
  "SW-4": "A dnsrr service name answers with every running task's address, round-robin; no VIP, no IPVS.",
  "SW-5": "tasks.<service> (and tasks.<alias>) answers with every running task's address, in either mode.",
  "SW-6": "A service's aliases exist on the network they were given for, and answer like the service name.",
  "SW-7": "A task's container name <service>.<slot>.<task ID> answers with that task's own address.",
  "SW-8": "Ingress-published ports answer on every node (the routing mesh), balanced by IPVS (a caveat).",
  "SW-9": "Host-mode published ports answer only on the node that runs the task.",
  "SW-10": "Another machine's published ports and host services are reached at that machine's address.",
  "SW-11": "@host is the first engine's machine (the manager's); other hosts are reached at their addresses.",
  "SW-12":
    "A task no connected engine reported is known from the manager: its state and addresses, little else.",
  "V6-1": "A user-defined network can be IPv6-enabled; containers get IPv6 addresses and AAAA records.",
  "V6-2": "With ip6tables off (20.10 default) there is no IPv6 isolation between networks.",
  "V6-3": "From Docker 27.0, ip6tables is on and IPv6 gets IPv4's isolation and ICC semantics.",
  "V6-4": "Without ip6tables, IPv6 has no NAT and published ports exist only via docker-proxy on ::.",
  "CS-1": "A node's view of an overlay lists a peer that left, is down or runs nothing there: a stale peer.",
  "CS-2": "A node on an overlay does not list a ready node that runs members there: VXLAN skips that node.",
  "CS-3": "The manager reports a node down while its engine still runs overlay members: they are cut off.",
  "CS-4": "A node still balances a service to an address no running task has: a stale backend.",
  "CS-5": "A node on an overlay does not balance a service to one of its running tasks: a missing backend.",
  "CS-6": "A network's pool overlaps a host route Docker did not make: that range is lost to one side.",
  "CS-7": "A local network on a node overlaps an overlay's pool: the overlay's tasks cannot join there.",
  "CS-8":
    "An overlay needs an underlay MTU 50 bytes larger (VXLAN): else small pings pass and big ones vanish.",
  "§1.1": "An endpoint exists only while the container's sandbox does (running, paused).",
  "§5 stopped": "A stopped container keeps its memberships but has no address, no DNS and no reachability.",
  "§5 paused": "A paused container keeps its IP: packets arrive, but TCP gets no service.",
  "§5 plugin driver": "A plugin network driver decides its own policy: reachability is unknown.",
  "§5 unknown network": "The network is not in the topology, so its policy is unknown.",
  "§5 multiple subnets": "Different subnets of one macvlan/ipvlan l2 network need an external router.",
};

/** The catalogue entry for a rule ID as the model cites it (`§5 paused`, `UB-8`). */
export function ruleText(rule: string): string | undefined {
  if (isRuleId(rule)) return RULES[rule];
  return rule.startsWith("§5") ? RULES["§5 stopped"] : undefined;
}
