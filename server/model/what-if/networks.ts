import { quoteShell } from "../escape/shell.ts";
import type { Network, Topology } from "../topology.ts";
import { findNetwork, isOn } from "./lookup.ts";
import type { IccWhatIf, InternalWhatIf, WhatIfResult } from "./types.ts";
import { WhatIfError } from "./types.ts";

const ICC = "com.docker.network.bridge.enable_icc";

/** Networks are not changed in place: only user-made bridge/overlay networks can be recreated with new options. */
function recreatable(net: Network, what: string): void {
  if (net.builtIn || net.system)
    throw new WhatIfError(
      `cannot set ${what} on ${net.name}: it belongs to the engine${net.defaultBridge ? " (docker0's icc is the daemon's --icc, DB-6)" : ""}`,
    );
  if (!net.knownDriver)
    throw new WhatIfError(
      `cannot set ${what} on ${net.name}: plugin driver ${net.driver} decides its policy`,
    );
}

/**
 * The commands that recreate a network with other options: disconnect its members, remove it, create it again
 * with the same driver and subnets, reconnect them (networks cannot be changed in place).
 */
function recreateCommand(topology: Topology, net: Network, flags: string[]): string {
  const members = topology.containers.filter((c) => c.interfaces.some((i) => !i.implicit && isOn(i, net)));
  const name = quoteShell(net.name);
  const create = [
    "docker network create",
    `--driver ${net.driver}`,
    ...net.subnets.map((s) => `--subnet ${s.subnet}`),
    ...(net.attachable ? ["--attachable"] : []),
    ...flags,
    name,
  ].join(" ");
  return [
    ...members.map((c) => `docker network disconnect ${name} ${quoteShell(c.name)}`),
    `docker network rm ${name}`,
    create,
    ...members.map((c) => `docker network connect ${name} ${quoteShell(c.name)}`),
  ].join(" && ");
}

const withNetwork = (t: Topology, net: Network): Topology => ({
  ...t,
  networks: t.networks.map((n) => (n.id === net.id ? net : n)),
});

/** `enable_icc` on a user-defined bridge: off drops same-network traffic (ICC-1) but not names or host paths. */
export function iccWhatIf(topology: Topology, w: IccWhatIf): WhatIfResult {
  const net = findNetwork(topology, w.network);
  recreatable(net, "icc");
  if (net.driver !== "bridge")
    throw new WhatIfError(
      `cannot set icc on ${net.name}: enable_icc is a bridge option, it is ${net.driver}`,
    );
  const options = { ...net.options };
  if (w.enabled) delete options[ICC];
  else options[ICC] = "false";
  const flags = [...(net.internal ? ["--internal"] : []), ...(w.enabled ? [] : [`--opt ${ICC}=false`])];
  return {
    topology: withNetwork(topology, { ...net, icc: w.enabled, options }),
    changes: [
      {
        whatIf: w,
        text: `${net.name} recreated with icc ${w.enabled ? "on" : "off"}`,
        rules: w.enabled ? ["UB-1"] : ["ICC-1", "ICC-2", "ICC-3"],
        command: recreateCommand(topology, net, flags),
        effective: net.icc !== w.enabled,
      },
    ],
  };
}

/**
 * `--internal`: members still reach each other (INT-1) and the host (INT-3), nothing else (INT-2, INT-4); an
 * internal overlay has no docker_gwbridge (OV-2).
 */
export function internalWhatIf(topology: Topology, w: InternalWhatIf): WhatIfResult {
  const net = findNetwork(topology, w.network);
  recreatable(net, "internal");
  if (net.driver !== "bridge" && net.driver !== "overlay")
    throw new WhatIfError(
      `cannot make ${net.driver} network ${net.name} internal here: expected a bridge or overlay network (MV-7)`,
    );
  const next: Network = { ...net, internal: w.enabled };
  let t = withNetwork(topology, next);
  if (net.driver === "overlay" && w.enabled) {
    const byId = new Map(t.networks.map((n) => [n.id, n]));
    t = {
      ...t,
      containers: t.containers.map((c) => {
        if (!c.interfaces.some((i) => i.implicit)) return c;
        const open = c.interfaces.some((i) => {
          const n = byId.get(i.networkId);
          return !i.implicit && n?.driver === "overlay" && !n.internal && !n.ingress;
        });
        return open ? c : { ...c, interfaces: c.interfaces.filter((i) => !i.implicit) };
      }),
    };
  }
  const flags = [
    ...(w.enabled ? ["--internal"] : []),
    ...(net.driver === "bridge" && !net.icc ? [`--opt ${ICC}=false`] : []),
  ];
  return {
    topology: t,
    changes: [
      {
        whatIf: w,
        text: `${net.name} recreated ${w.enabled ? "as an internal network" : "without --internal"}`,
        rules: w.enabled ? ["INT-1", "INT-2", "INT-3", "INT-4", "INT-5"] : ["UB-8", "PP-4", "HC-5"],
        command: recreateCommand(topology, net, flags),
        effective: net.internal !== w.enabled,
      },
    ],
  };
}
