export {
  containerKey,
  HOST_ID,
  HOST_KEY,
  isProbeHelper,
  missingKey,
  networkKey,
  projectGraph,
} from "./project.ts";
export type { ProjectOptions } from "./project.ts";
export { applyForces, SPACING, spreadOf } from "./force.ts";
export type { ForceEdge, ForceNode, Forces } from "./force.ts";
export { MAX_LABEL, middleEllipsis, shortName } from "./short-name.ts";
export type { Graph, GraphGroup, GraphLink, GraphNode, GroupBy, LinkKind, NodeKind } from "./types.ts";
