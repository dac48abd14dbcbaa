import type { Decision } from "./routes.ts";
import { forwardRoute } from "./routes.ts";
import { machine, machineOf, remoteRoute } from "./machines.ts";
import { ingressPorts, serviceOf } from "./swarm.ts";
import type { Sandbox, TopologyIndex } from "./topology-index.ts";
import type { Path, Reason } from "./types.ts";

/**
 * SW-8: the routing mesh. Every swarm node answers a service's ingress-published ports on every one of its
 * addresses (moby/libnetwork service_linux.go: `nat PREROUTING/OUTPUT -m addrtype --dst-type LOCAL -j
 * DOCKER-INGRESS`, DNAT to the node's ingress sandbox, then IPVS over the service's tasks). So a source uses
 * its own node's address when it is on a swarm node, the manager's otherwise. Rests on IPVS (OV-7).
 */
export function meshRoute(index: TopologyIndex, s: Sandbox): Decision {
  const own = machine(index, machineOf(index, s));
  const manager = index.topology.swarm?.manager;
  if (!own.swarmNode && manager) {
    const route = remoteRoute(index, s, manager);
    return route.verdict === "blocked" ? route : { ...route, rule: "SW-8" };
  }
  if (s.mode === "host")
    return {
      verdict: "reachable",
      rule: "SW-8",
      text: "the node's own namespace: DOCKER-INGRESS catches every local address",
      address: "127.0.0.1",
      network: null,
    };
  // Like a published port (PP-4), but the DNAT is DOCKER-INGRESS's, so userland-proxy plays no part.
  const route = forwardRoute(index, s, 4, true);
  return route.verdict === "blocked"
    ? route
    : { ...route, rule: "SW-8", text: `${route.text}; DOCKER-INGRESS catches it` };
}

/** SW-8: the paths through the routing mesh to a task of a service with ingress-published ports. */
export function meshPaths(
  index: TopologyIndex,
  s: Sandbox,
  t: Sandbox,
): { paths: Path[]; reasons: Reason[] } {
  const owner = index.containers[t.owner];
  const service = t.owner >= 0 ? serviceOf(index.swarm, owner) : undefined;
  const ports = service ? ingressPorts(service) : [];
  if (!service || !ports.length) return { paths: [], reasons: [] };
  const route = meshRoute(index, s);
  const list = ports.map((p) => `${p.publishedPort}->${p.targetPort}/${p.protocol}`).join(", ");
  const reasons: Reason[] = [
    {
      rule: "SW-8",
      text: `${service.name} publishes ${list} on the routing mesh: every swarm node answers, and IPVS picks one of its running tasks, not always ${owner.name}`,
      layer: "ports",
    },
  ];
  if (route.verdict === "blocked") {
    reasons.push({ rule: route.rule, text: route.text, layer: "ports" });
    return { paths: [], reasons };
  }
  const paths = ports.map((p): Path => ({
    kind: "published",
    verdict: route.verdict === "unknown" ? "unknown" : "reachable",
    network: null,
    address: route.address,
    port: p.publishedPort,
    targetPort: p.targetPort,
    protocol: p.protocol,
    rule: "SW-8",
    caveat: "ipvs",
  }));
  return { paths, reasons };
}
