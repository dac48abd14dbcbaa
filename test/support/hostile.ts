/**
 * Hostile strings, and a topology that carries one. Docker restricts container and network names to
 * `[a-zA-Z0-9][a-zA-Z0-9_.-]`, so the wider characters reach reachgraph through what is not restricted:
 * labels, network options, images, compose project names, snapshot files and compose predictions. The topology
 * here is the bundled example (recorded from a real engine) with one string placed in every field that any
 * output shows, as a snapshot file or a hand-edited compose prediction could.
 */
import { exampleTopology } from "../../server/example/example.ts";
import { recordedFleet } from "./fleet-topologies.ts";
import { loadFleetRecording } from "./recording.ts";
import { fleetTopology } from "../../server/example/fleet.ts";
import type { Topology } from "../../server/model/topology.ts";

/** Printed by a shell payload if a command ever runs it; harmless (`echo` is a builtin). */
export const SHELL_MARKER = "RG_INJECTED";
/** Prints the marker only when a shell runs it: quoted, or turned into a network name, it reads `RG_INJ""ECTED`. */
const PAYLOAD = `echo RG_INJ""ECTED`;

/** Each string, and what it tries. */
export const HOSTILE_STRINGS: ReadonlyArray<[what: string, value: string]> = [
  ["mermaid init directive", `%%{init: {"theme":"dark","themeVariables":{"primaryColor":"#f00"}}}%%`],
  ["mermaid directive fetching a URL", `%%{init: {"themeCSS":"@import url(https://evil.example/x.css)"}}%%`],
  ["mermaid comment", "x %% hidden"],
  ["mermaid click statement", `a"]\nclick c_x href "javascript:alert(1)"\n%%`],
  ["mermaid label break-out", `x"]:::evil --> y["`],
  ["mermaid markdown string", "`**bold**`"],
  ["mermaid keywords", "end subgraph graph --> -.- ==>"],
  ["quotes and brackets", `q"'[]{}()<>#;|`],
  ["html tag", "<img src=x onerror=alert(1)>"],
  ["script tag", "<script>alert(1)</script>"],
  ["html entity bidi", "&#x202e;gpj.exe"],
  ["markdown javascript link", "[click](javascript:alert(1))"],
  ["markdown image", "![x](https://evil.example/p.png)"],
  ["markdown autolink", "<javascript:alert(1)>"],
  ["markdown emphasis and heading", "# *em* __strong__ ~~del~~"],
  ["markdown table pipes", "a|b|c"],
  ["backtick runs", "``a`b```"],
  ["dot html label", "<<b>bold</b>>"],
  ["dot quote and backslash", `a\\"; evil [label="x`],
  ["dot escapes", "\\N \\G \\l \\n"],
  ["line breaks", "line1\nline2\r\nline3"],
  ["terminal colour", "\u001b[31mred\u001b[0m"],
  ["terminal OSC 8 hyperlink", "\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007"],
  ["terminal title", "\u001b]0;owned\u0007"],
  ["carriage return overwrite", "safe\rEVIL"],
  ["backspaces", "abc\b\b\bxyz"],
  ["C1 CSI", "\u009b31mc1"],
  ["NUL and DEL", "a\u0000b\u007fc"],
  ["bidi override", "abc\u202egnp.exe"],
  ["bidi isolates and marks", "\u2066x\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d"],
  ["shell substitution", `x-$(${PAYLOAD})`],
  ["shell backticks", `x-\`${PAYLOAD}\``],
  ["shell separators", `x; ${PAYLOAD} && ${PAYLOAD} | cat`],
  ["shell quote break-out", `x'; ${PAYLOAD}; '`],
  ["ordinary unicode", "café-名前-🐳-Ωμέγα"],
];

/** The example topology with `value` in a network name, a container name, its image, compose project, a label and an option. */
export function topologyWith(value: string): Topology {
  const t = exampleTopology();
  const net = t.networks.find((n) => n.name === "rgt-demo-app");
  const c = t.containers.find((x) => x.name === "rgt-demo-api");
  if (!net || !c) throw new Error("the example lacks rgt-demo-app or rgt-demo-api");
  const old = net.name;
  net.name = `net ${value}`;
  net.options = { ...net.options, "com.example.note": `opt ${value}` };
  for (const x of t.containers) for (const i of x.interfaces) if (i.network === old) i.network = net.name;
  c.name = `api ${value}`;
  c.image = `img ${value}`;
  c.labels = { ...c.labels, "com.example.note": `label ${value}` };
  c.compose = { project: `proj ${value}`, service: "api", number: 1, oneoff: false };
  t.source = { ...t.source, label: `source ${value}` };
  return t;
}

/** The machine and the service of the recorded swarm that {@link fleetWith} renames. */
const NODE = "node2";
const SERVICE = "rgt-fleet-web";

/**
 * The recorded three-node swarm with `value` in a node's hostname (`node2 …`, so in its engine key, every
 * container and network placed on it and every `name@node2`) and in a service's name (`web …`, so in its
 * tasks' names and labels). Hostnames and service names reach reachgraph from the engines, unchecked.
 */
export function fleetWith(value: string): Topology {
  const node = `${NODE} ${value}`;
  const service = `web ${value}`;
  const rename = (x: unknown): unknown => {
    if (typeof x === "string") {
      if (x === NODE) return node;
      if (x.endsWith(`@${NODE}`)) return `${x.slice(0, -NODE.length)}${node}`;
      if (x === SERVICE || x.startsWith(`${SERVICE}.`)) return `${service}${x.slice(SERVICE.length)}`;
      return x;
    }
    if (Array.isArray(x)) return x.map(rename);
    if (x && typeof x === "object")
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rename(v)]));
    return x;
  };
  return rename(recordedFleet("swarm")) as Topology;
}

/**
 * The fleet recorded on the real swarm with a worker's control port cut (consistency-control: CS-1, CS-3, CS-4),
 * with `value` where the manager's and the nodes' strings reach the findings: the overlay's name, a service's
 * name (in /services, its tasks' containers and the views' entries), a container's name and a task's error.
 */
export function findingsFleetWith(value: string): Topology {
  const { recording, manifest } = loadFleetRecording("consistency-control");
  const t = fleetTopology(recording, { kind: "live", label: "fleet", capturedAt: manifest.recordedAt });
  const overlay = t.networks.find((n) => n.scope === "swarm" && !n.ingress && n.views?.length);
  const service = t.swarm?.services[0];
  const member = t.containers.find((c) => c.engine && c.interfaces.some((i) => i.networkId === overlay?.id));
  if (!overlay || !service || !member)
    throw new Error("consistency-control lacks an overlay, a service or a member");
  const rename = (from: string, to: string) => (name: string) => (name === from ? to : name);
  const net = rename(overlay.name, `net ${value}`);
  const svc = rename(service.name, `svc ${value}`);
  overlay.name = net(overlay.name);
  for (const c of t.containers) {
    for (const i of c.interfaces) i.network = net(i.network);
    if (c.swarm) c.swarm.service = svc(c.swarm.service);
  }
  for (const view of overlay.views ?? []) for (const e of view.services) e.name = svc(e.name);
  service.name = svc(service.name);
  member.name = `member ${value}`;
  for (const task of t.swarm?.tasks ?? []) task.error = `task ${value}`;
  return t;
}
