import type { Network } from "../topology.ts";
import { directMedium, isGwbridge } from "./routes.ts";
import type { Sandbox, TopologyIndex } from "./topology-index.ts";
import type { Fix } from "./types.ts";

/** The two ends of a blocked pair: container index (null = the host) and namespace. */
export interface FixEnds {
  from: number | null;
  to: number | null;
  s: Sandbox;
  t: Sandbox;
}

/** The smallest change that makes a blocked pair (both ends live) reachable, or why none exists. */
export function suggestFix(index: TopologyIndex, ends: FixEnds): Fix {
  const { s, t } = ends;
  const src = ownerName(index, s);
  const tgt = ownerName(index, t);
  if (s.mode === "none" || t.mode === "none") {
    const who = s.mode === "none" ? src : tgt;
    return {
      command: null,
      text: `${who} runs with --network none and docker network connect refuses none-mode containers: recreate it with --network <network>`,
      rule: "NO-1",
    };
  }
  if (ends.to === null || t.mode === "host") {
    // HC-4/H-3: any bridge endpoint reaches every host address.
    return {
      command: `docker network connect bridge ${src}`,
      text: `give ${src} a bridge endpoint: bridge containers reach every host address${joinerNote(index, ends.from, s)}`,
      rule: "HC-4",
    };
  }
  if (s.mode === "host") return fixFromHost(t, tgt);
  const candidate = t.ifaces
    .map((l) => l.net)
    .filter((n): n is Network => n !== null && joinable(n))
    .sort((a, b) => rank(a) - rank(b))[0];
  if (candidate)
    return {
      command: `docker network connect ${candidate.name} ${src}`,
      text: `connect ${src} to ${candidate.name}, where ${directMedium(candidate).text}${joinerNote(index, ends.from, s)}`,
      rule: directMedium(candidate).rule,
    };
  const shared = `${src}-${tgt}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
  return {
    command: `docker network create ${shared} && docker network connect ${shared} ${src} && docker network connect ${shared} ${tgt}`,
    text: `${tgt}'s networks do not let peers in (icc=false, ICC-1): put both on a new network, or recreate ${tgt} with -p to publish a port (ICC-3)`,
    rule: "ICC-1",
  };
}

function fixFromHost(t: Sandbox, tgt: string): Fix {
  const mv = t.ifaces.find((l) => l.net?.driver === "macvlan" || l.net?.driver === "ipvlan");
  if (mv?.net) {
    const parent = mv.net.parent ?? "<parent>";
    const subnet = mv.net.subnets.find((s) => !s.subnet.includes(":"))?.subnet ?? "<subnet>";
    return {
      command: null,
      text: `the host and ${mv.net.driver} children are isolated (MV-3); no docker command changes that. Add a host shim (MV-4): ip link add mvshim link ${parent} type ${mv.net.driver === "macvlan" ? "macvlan mode bridge" : "ipvlan mode l2"}; ip addr add <free IP in ${subnet}>/32 dev mvshim; ip link set mvshim up; ip route add ${subnet} dev mvshim`,
      rule: "MV-4",
    };
  }
  return {
    command: `docker network connect bridge ${tgt}`,
    text: `the host reaches bridge IPs (HC-1) but has no route into ${tgt}'s networks (HC-2)`,
    rule: "HC-1",
  };
}

/** A network a standalone container can join and whose members reach each other. */
function joinable(net: Network): boolean {
  if (net.ingress || isGwbridge(net) || net.configOnly) return false;
  if (net.driver === "overlay" && !net.attachable) return false; // OV-1
  return directMedium(net).verdict === "reachable";
}

function rank(net: Network): number {
  if (net.defaultBridge) return 3; // DB-2: no names there
  if (net.driver === "bridge") return net.internal ? 1 : 0;
  return 2;
}

function ownerName(index: TopologyIndex, box: Sandbox): string {
  return box.owner < 0 ? "@host" : index.containers[box.owner].name;
}

function joinerNote(index: TopologyIndex, from: number | null, s: Sandbox): string {
  if (from === null || from === s.owner || s.owner < 0) return "";
  return ` (${index.containers[from].name} shares ${index.containers[s.owner].name}'s namespace, CN-1)`;
}
