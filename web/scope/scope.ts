import type { ContainerState, Topology } from "../../server/model/topology.ts";

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

export const EMPTY_SCOPE: Scope = { query: "", ...NO_FILTERS, collapsed: [] };

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

/** In `Scope.collapsed`: a swarm service, drawn by the shared projection as one vertex for its tasks. */
export const serviceGroup = (service: string): string => `service:${service}`;

/** The swarm services (by name) a scope collapses: `ProjectOptions.collapse`. */
export const collapsedServices = (scope: Scope): string[] =>
  scope.collapsed.filter((g) => g.startsWith("service:")).map((g) => g.slice("service:".length));

/** The ID a collapsed swarm service's vertex is drawn with (the shared projection's): the service's. */
export const serviceIdOf = (state: { topology: Topology | null }, name: string): string | null =>
  state.topology?.swarm?.services.find((s) => s.name === name)?.id ?? null;

/** ID of the node a collapsed project or replica set is drawn as. */
export const collapsedId = (group: string): string => `compose:${group}`;

/** The collapsed group a container falls into, if any: its replica set first, then its project. */
export function collapsedGroupOf(
  compose: { project: string; service: string } | undefined,
  collapsed: ReadonlySet<string>,
): string | null {
  if (!compose) return null;
  const replicas = `${compose.project}/${compose.service}`;
  if (collapsed.has(replicas)) return replicas;
  return collapsed.has(compose.project) || collapsed.has(ALL_PROJECTS) ? compose.project : null;
}

/** Whether anything narrows the graph (a filter or a focus). */
export function narrowed(scope: Scope): boolean {
  return scope.focus !== null || FILTER_KEYS.some((k) => scope[k].length > 0);
}
