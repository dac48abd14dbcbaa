import type { Scenario, ScenarioContainer, ScenarioNetwork } from "./scenario.ts";
import { SLEEP } from "./scenario.ts";

/** The label value the redaction tests look for; fake, but shaped like a credential label. */
export const FAKE_SECRET_LABEL = { key: "com.example.api-token", value: "not-a-real-secret" };

/** DB-3/DB-4: two containers on docker0, the second holding a legacy `--link target:alias`. */
export async function defaultBridgeWithLink(s: Scenario) {
  const legacyTarget = await s.container("legacy-target");
  const legacyLinker = await s.container("legacy-linker", {
    links: [`${legacyTarget.name}:legacy-db`],
    command: SLEEP,
  });
  return { legacyTarget, legacyLinker };
}

/** UB-1/UB-2: a user-defined bridge with `--network-alias`, `--hostname`, and a peer. */
export async function userBridge(s: Scenario) {
  const app = await s.network("app");
  const api = await s.container("api", {
    network: app.name,
    aliases: ["api-alias"],
    hostname: "api-host",
    labels: { [FAKE_SECRET_LABEL.key]: FAKE_SECRET_LABEL.value, "com.example.tier": "backend" },
  });
  const worker = await s.container("worker", { network: app.name, command: SLEEP });
  return { app, api, worker };
}

/** INT-1..5 and ICC-1: an internal network (with an ignored `-p`) and an icc=false network. */
export async function isolatedNetworks(s: Scenario) {
  const internal = await s.network("internal", { internal: true });
  const noicc = await s.network("noicc", { icc: false });
  // INT-5: publishing on an internal-only container is accepted and silently not programmed.
  const db = await s.container("db", { network: internal.name, publish: ["80"] });
  const quietA = await s.container("quiet-a", { network: noicc.name });
  const quietB = await s.container("quiet-b", { network: noicc.name, command: SLEEP });
  return { internal, noicc, db, quietA, quietB };
}

/** MN-1, H-1, NO-1, CN-1: a multi-network container, host and none mode, and a `container:` joiner. */
export async function namespaceModes(
  s: Scenario,
  networks: { first: ScenarioNetwork; more: ScenarioNetwork[] },
  provider: ScenarioContainer,
) {
  const multi = await s.container("multi", {
    network: networks.first.name,
    connect: networks.more.map((n, i) => ({ network: n.name, aliases: i === 0 ? ["multi-alias"] : [] })),
  });
  const hostMode = await s.container("host-mode", { network: "host", command: SLEEP });
  const noneMode = await s.container("none-mode", { network: "none", command: SLEEP });
  const joiner = await s.container("joiner", { network: `container:${provider.name}`, command: SLEEP });
  return { multi, hostMode, noneMode, joiner };
}

/** MV-1: a macvlan network whose parent is a veth pair made for this run (never the uplink). */
export async function macvlanOnVeth(s: Scenario) {
  const { parent } = await s.veth();
  const mv = await s.network("mv", { driver: "macvlan", parent });
  const mv1 = await s.container("mv1", { network: mv.name });
  const mv2 = await s.container("mv2", { network: mv.name, command: SLEEP });
  return { mv, mv1, mv2 };
}

/** OV-1/OV-2/OV-9: an attachable overlay (initialising a swarm if needed); members also get docker_gwbridge. */
export async function attachableOverlay(s: Scenario) {
  const ovl = await s.network("ovl", { driver: "overlay", attachable: true });
  const o1 = await s.container("o1", { network: ovl.name, aliases: ["ovl-web"] });
  const o2 = await s.container("o2", { network: ovl.name, command: SLEEP });
  return { ovl, o1, o2 };
}

/** §5: a stopped container and a created-never-started one keep their memberships without addresses. */
export async function lifecycleStates(s: Scenario, network: ScenarioNetwork) {
  const stopped = await s.container("stopped", {
    network: network.name,
    aliases: ["stopped-alias"],
    lifecycle: "stopped",
  });
  const created = await s.container("created", { network: network.name, lifecycle: "created" });
  return { stopped, created };
}

/** §4: containers labelled the way docker compose labels them, on a compose-labelled network. */
export async function composeProject(s: Scenario) {
  const project = s.name("shop");
  const shopDefault = await s.network("shop_default", {
    labels: {
      "com.docker.compose.network": "default",
      "com.docker.compose.project": project,
      "com.docker.compose.version": "2.29.7",
    },
  });
  const labels = (service: string, number: number, oneoff = false) => ({
    "com.docker.compose.project": project,
    "com.docker.compose.service": service,
    "com.docker.compose.container-number": String(number),
    "com.docker.compose.oneoff": oneoff ? "True" : "False",
    "com.docker.compose.project.working_dir": "/srv/shop",
    "com.docker.compose.project.config_files": "/srv/shop/compose.yaml",
    "com.docker.compose.version": "2.29.7",
  });
  // Compose v2 aliases every container by its name and its service (§4 "Aliases per network").
  const service = (short: string, svc: string, number: number, oneoff = false) =>
    s.container(short, {
      network: shopDefault.name,
      aliases: [s.name(short), ...(oneoff ? [] : [svc])],
      labels: labels(svc, number, oneoff),
      ...(svc === "db" || oneoff ? { command: SLEEP } : {}),
    });
  const web1 = await service("shop-web-1", "web", 1);
  const web2 = await service("shop-web-2", "web", 2);
  const db1 = await service("shop-db-1", "db", 1);
  const run1 = await service("shop-web-run-1", "web", 1, true);
  return { project, shopDefault, web1, web2, db1, run1 };
}

/** PP-1, PP-2, PP-9: 0.0.0.0 and 127.0.0.1 bindings plus an exposed-only port. */
export async function publishedPorts(s: Scenario, network: ScenarioNetwork) {
  const published = await s.container("published", {
    network: network.name,
    publish: ["80", "127.0.0.1::8080"],
    expose: ["9999"],
  });
  return { published };
}

/** §5 duplicate names: two networks with one name (API, CheckDuplicate:false) and a container that cannot start. */
export async function duplicateNetworkNames(s: Scenario) {
  const dupA = await s.network("dup", { allowDuplicateName: true });
  const dupB = await s.network("dup", { allowDuplicateName: true });
  const dupc = await s.container("dupc", { network: dupA.name, lifecycle: "created", command: SLEEP });
  const startError = await s.tryStart(dupc);
  return { dupA, dupB, dupc, startError };
}

/** Every case above on one engine: the scenario the recorder records and the snapshot test checks. */
export async function buildFullScenario(s: Scenario) {
  const legacy = await defaultBridgeWithLink(s);
  const user = await userBridge(s);
  const isolated = await isolatedNetworks(s);
  const overlay = await attachableOverlay(s);
  const modes = await namespaceModes(
    s,
    { first: user.app, more: [isolated.noicc, isolated.internal] },
    user.api,
  );
  const macvlan = await macvlanOnVeth(s);
  const lifecycle = await lifecycleStates(s, user.app);
  const compose = await composeProject(s);
  const ports = await publishedPorts(s, user.app);
  const dup = await duplicateNetworkNames(s);
  const networks = {
    app: user.app,
    internal: isolated.internal,
    noicc: isolated.noicc,
    ovl: overlay.ovl,
    mv: macvlan.mv,
    shopDefault: compose.shopDefault,
    dupA: dup.dupA,
    dupB: dup.dupB,
  };
  const containers = {
    ...legacy,
    api: user.api,
    worker: user.worker,
    db: isolated.db,
    quietA: isolated.quietA,
    quietB: isolated.quietB,
    o1: overlay.o1,
    o2: overlay.o2,
    ...modes,
    mv1: macvlan.mv1,
    mv2: macvlan.mv2,
    ...lifecycle,
    web1: compose.web1,
    web2: compose.web2,
    db1: compose.db1,
    run1: compose.run1,
    ...ports,
    dupc: dup.dupc,
  };
  return { networks, containers, composeProject: compose.project, dupStartError: dup.startError };
}

export type FullScenario = Awaited<ReturnType<typeof buildFullScenario>>;
export type ContainerRole = keyof FullScenario["containers"];
export type NetworkRole = keyof FullScenario["networks"];
