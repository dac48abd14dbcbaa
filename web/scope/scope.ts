import type { ContainerState } from "../../server/model/topology.ts";

/** What part of a big topology the graph shows: filters, collapsed compose projects, a focus; plus the search. */
export interface Scope {
  /** Search text; finds, never hides. */
  query: string;
  /** Network names; empty means every network. */
  networks: string[];
  drivers: string[];
  projects: string[];
  states: ContainerState[];
  /** A fleet's engines ({@link EngineEntry} keys), machines (`Container.node`) and swarm services, by name. */
  engines: string[];
  nodes: string[];
  services: string[];
  /** Collapsed compose projects (`shop`), replica sets (`shop/web`) and swarm services (`service:web`), each one node. */
  collapsed: string[];
  /** The container whose neighbourhood alone is shown, or null. */
  focus: string | null;
}

export const EMPTY_SCOPE: Scope = {
  query: "",
  networks: [],
  drivers: [],
  projects: [],
  states: [],
  engines: [],
  nodes: [],
  services: [],
  collapsed: [],
  focus: null,
};

/** The filters, none set: what "Clear filters" and a search hit that the filters hide go back to. */
export const NO_FILTERS = {
  networks: [],
  drivers: [],
  projects: [],
  states: [],
  engines: [],
  nodes: [],
  services: [],
  focus: null,
} satisfies Partial<Scope>;

/** The scope's filters, each a list of accepted values. */
export type FilterKey = "networks" | "drivers" | "projects" | "states" | "engines" | "nodes" | "services";
export const FILTER_KEYS: readonly FilterKey[] = [
  "networks",
  "drivers",
  "projects",
  "states",
  "engines",
  "nodes",
  "services",
];

/** In `Scope.collapsed`: every compose project. */
export const ALL_PROJECTS = "*";

/** In `Scope.collapsed`: a swarm service, drawn as one node standing for its tasks. */
export const serviceGroup = (service: string): string => `service:${service}`;

/** ID of the node a collapsed project, replica set or swarm service is drawn as. */
export const collapsedId = (group: string): string => `compose:${group}`;

/** What decides a container's collapsed group: its compose labels and its swarm service. */
export interface Collapsible {
  compose?: { project: string; service: string };
  swarm?: { service: string };
}

/** The collapsed group a container falls into, if any: its swarm service, its replica set, then its project. */
export function collapsedGroupOf(c: Collapsible, collapsed: ReadonlySet<string>): string | null {
  if (c.swarm && collapsed.has(serviceGroup(c.swarm.service))) return serviceGroup(c.swarm.service);
  if (!c.compose) return null;
  const replicas = `${c.compose.project}/${c.compose.service}`;
  if (collapsed.has(replicas)) return replicas;
  return collapsed.has(c.compose.project) || collapsed.has(ALL_PROJECTS) ? c.compose.project : null;
}

/** Whether anything narrows the graph (a filter or a focus). */
export function narrowed(scope: Scope): boolean {
  return scope.focus !== null || FILTER_KEYS.some((k) => scope[k].length > 0);
}
