import type { GraphNode } from "./types.ts";

/** A node's fields that most kinds leave at nothing; each builder sets what its kind has. */
export function blankNode(): Pick<
  GraphNode,
  | "style"
  | "state"
  | "internal"
  | "iccOff"
  | "system"
  | "joiner"
  | "noNetwork"
  | "project"
  | "near"
  | "node"
  | "spans"
  | "service"
> {
  return {
    style: null,
    state: null,
    internal: false,
    iccOff: false,
    system: false,
    joiner: false,
    noNetwork: false,
    project: null,
    near: null,
    node: null,
    spans: [],
    service: null,
  };
}
