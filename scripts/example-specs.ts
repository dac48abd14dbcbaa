/**
 * The small teaching examples `scripts/record-examples.ts` records from the real engine: one focused scenario
 * each, with the rule IDs of docker-reachability.md it shows. Names are short here; the recorder builds them with
 * the test prefix (so cleanup and sweepers find them) and strips the prefix from the recording.
 */
import type { Fleet, FleetRun, FleetService } from "../test/support/fleet.ts";
import type { Scenario } from "../test/support/scenario.ts";
import { SLEEP } from "../test/support/scenario.ts";

export interface ExampleSpec {
  slug: string;
  title: string;
  description: string;
  rules: string[];
  build(s: Scenario): Promise<void>;
}

/** An example recorded from the real three-node swarm (scripts/provision-swarm.sh) as a FleetRecording. */
export interface FleetExampleSpec {
  slug: string;
  title: string;
  description: string;
  rules: string[];
  /** Builds the scenario and waits until its tasks run; returns the services whose tasks the manager lists. */
  build(run: FleetRun, fleet: Fleet): Promise<FleetService[]>;
}

export const FLEET_EXAMPLE_SPECS: FleetExampleSpec[] = [
  {
    slug: "swarm",
    title: "A three-node swarm",
    description:
      "A manager (vm) and two workers (node2, node3). A web service with a task on every node publishes a " +
      "port through the ingress routing mesh and shares the frontend overlay with a dnsrr api service, whose " +
      "tasks on node2 and node3 also reach a standalone database attached to the backend overlay on node3. " +
      "Each host runs its own agent container, on its own local bridge, under the same name: the names are " +
      "qualified by node, and local bridges on different nodes never reach each other.",
    rules: ["OV-1", "OV-2", "OV-6", "OV-7", "UB-1"],
    async build(run, fleet) {
      const hosts = fleet.nodes.map((n) => n.hostname);
      const workers = fleet.workers.map((n) => n.hostname);
      const frontend = await run.manager.network("frontend", { driver: "overlay", attachable: true });
      const backend = await run.manager.network("backend", { driver: "overlay", attachable: true });
      const web = await run.service("web", {
        replicas: hosts.length,
        networks: [{ name: frontend.name }],
        publish: ["target=80"],
        onNodes: hosts,
        maxPerNode: 1,
      });
      const api = await run.service("api", {
        replicas: workers.length,
        endpointMode: "dnsrr",
        networks: [{ name: frontend.name }, { name: backend.name }],
        onNodes: workers,
        maxPerNode: 1,
      });
      const node3 = await run.on(fleet.node("node3"));
      await node3.container("db", { network: backend.name, aliases: ["database"] });
      for (const node of fleet.nodes) {
        const on = await run.on(node);
        const local = await on.network("monitoring");
        await on.container("agent", { network: local.name, command: SLEEP });
      }
      await run.waitRunning(web, hosts.length, hosts);
      await run.waitRunning(api, workers.length, workers);
      return [web, api];
    },
  },
];

export const EXAMPLE_SPECS: ExampleSpec[] = [
  {
    slug: "bridges",
    title: "Default bridge vs user-defined bridges",
    description:
      "Two containers on the default bridge (docker0), one holding a legacy --link, and two user-defined bridges. " +
      "On docker0 peers reach each other by IP but there is no embedded DNS: only the linking container resolves " +
      "the link alias. On a user-defined bridge every port of every member is reachable and names, aliases, the " +
      "short ID and an explicit hostname resolve; a second user-defined bridge is isolated from both.",
    rules: ["DB-1", "DB-2", "DB-3", "DB-7", "UB-1", "UB-2", "UB-3", "UB-8", "UB-9"],
    async build(s) {
      const app = await s.network("app");
      const other = await s.network("other");
      const web = await s.container("legacy-web");
      await s.container("legacy-client", { links: [`${web.name}:db`], command: SLEEP });
      await s.container("api", { network: app.name, aliases: ["backend"], hostname: "api-host" });
      await s.container("worker", { network: app.name, command: SLEEP });
      await s.container("reports", { network: other.name });
    },
  },
  {
    slug: "icc-internal",
    title: "icc off and internal networks",
    description:
      "A bridge with icc off, where peers resolve each other's names but cannot connect, yet still reach a " +
      "published port through the host; an internal bridge, whose members reach each other and the host but " +
      "nothing else, and whose published port is silently not programmed; and an ordinary bridge next to them.",
    rules: ["ICC-1", "ICC-2", "ICC-3", "INT-1", "INT-2", "INT-3", "INT-4", "INT-5", "PP-4"],
    async build(s) {
      const quiet = await s.network("quiet", { icc: false });
      const vault = await s.network("vault", { internal: true });
      const front = await s.network("front");
      await s.container("quiet-a", { network: quiet.name, publish: ["80"] });
      await s.container("quiet-b", { network: quiet.name, command: SLEEP });
      await s.container("vault-db", { network: vault.name, publish: ["80"] });
      await s.container("vault-app", { network: vault.name, command: SLEEP });
      await s.container("web", { network: front.name, command: SLEEP });
    },
  },
  {
    slug: "namespaces",
    title: "host, none and container: modes",
    description:
      "A container in the host's namespace (no interfaces of its own, not in any embedded DNS), one with only " +
      "a loopback interface (none), and a sidecar that joined another container's namespace with " +
      "--network container:app, so peers reach it at app's address and through app's name.",
    rules: ["H-1", "H-2", "H-3", "NO-1", "CN-1", "HC-1", "HC-4"],
    async build(s) {
      const net = await s.network("app-net");
      const app = await s.container("app", { network: net.name });
      await s.container("peer", { network: net.name, command: SLEEP });
      await s.container("host-svc", { network: "host", command: SLEEP });
      await s.container("offline", { network: "none", command: SLEEP });
      await s.container("sidecar", { network: `container:${app.name}`, command: SLEEP });
    },
  },
  {
    slug: "macvlan",
    title: "macvlan children and the host",
    description:
      "Two children of a macvlan network (the parent is a veth pair standing in for a LAN interface) reach each " +
      "other directly, but neither the host nor a bridge container reaches them: macvlan isolates children from " +
      "their parent, and Docker programs no NAT or published ports for macvlan.",
    rules: ["MV-1", "MV-2", "MV-3", "MV-5", "HC-3"],
    async build(s) {
      const { parent } = await s.veth();
      const lan = await s.network("lan", { driver: "macvlan", parent });
      const net = await s.network("bridge-net");
      await s.container("mv-a", { network: lan.name });
      await s.container("mv-b", { network: lan.name, command: SLEEP });
      await s.container("web", { network: net.name, command: SLEEP });
    },
  },
  {
    slug: "overlay",
    title: "Attachable overlay and docker_gwbridge",
    description:
      "Two standalone containers on an attachable overlay reach each other over VXLAN and resolve each other's " +
      "names. Each also gets a docker_gwbridge interface for host traffic, which is no container-to-container " +
      "medium. A bridge container next to them is reachable from the overlay only through its published port.",
    rules: ["OV-1", "OV-2", "OV-3", "OV-4", "HC-2", "PP-4"],
    async build(s) {
      const mesh = await s.network("mesh", { driver: "overlay", attachable: true });
      const local = await s.network("local-net");
      await s.container("o-a", { network: mesh.name, aliases: ["mesh-web"] });
      await s.container("o-b", { network: mesh.name, command: SLEEP });
      await s.container("local", { network: local.name, publish: ["80"] });
    },
  },
  {
    slug: "published-ports",
    title: "Published ports and bind addresses",
    description:
      "A web server publishing one port on every host address and another on 127.0.0.1 only, plus an " +
      "exposed-only port. A container on another bridge reaches the first binding through any host address " +
      "(isolation does not apply to published ports); only the host's own namespace uses the loopback binding.",
    rules: ["PP-1", "PP-2", "PP-4", "PP-9", "PP-11", "H-2"],
    async build(s) {
      const front = await s.network("front");
      const back = await s.network("back");
      await s.container("web", { network: front.name, publish: ["80", "127.0.0.1::8080"], expose: ["9999"] });
      await s.container("client", { network: back.name, command: SLEEP });
      await s.container("host-client", { network: "host", command: SLEEP });
    },
  },
];
