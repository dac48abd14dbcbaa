export {
  containerKey,
  HOST_ID,
  HOST_KEY,
  hostKey,
  isProbeHelper,
  missingKey,
  networkKey,
  projectGraph,
} from "./project.ts";
export type { ProjectInput, ProjectOptions } from "./project.ts";
export { serviceKey } from "./collapse.ts";
export { isFleet, nodeGroupKey } from "./fleet-groups.ts";
export { networkResolver } from "./network-of.ts";
export type { NetworkOf } from "./network-of.ts";
export { applyForces, SPACING, spreadOf } from "./force.ts";
export type { ForceEdge, ForceNode, Forces } from "./force.ts";
export { MAX_LABEL, middleEllipsis, shortName } from "./short-name.ts";
export type { Graph, GraphGroup, GraphLink, GraphNode, GroupBy, LinkKind, NodeKind } from "./types.ts";
export { applyFleetFilter, fleetChoices, fleetFilterProblem, hasFleetFilter } from "./filter.ts";
export type { FleetChoices, FleetFilter } from "./filter.ts";
