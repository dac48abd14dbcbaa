import type { ContainerState, Topology } from "../../server/model/topology.ts";
import { h } from "../dom.ts";
import type { FilterKey, Scope } from "../scope/scope.ts";
import { CONTAINER_STATES } from "../../server/model/topology.ts";
import { narrowed, NO_FILTERS } from "../scope/scope.ts";

/** `fleet`: shown only when there is a choice (two engines, nodes or services), so one engine's page is unchanged. */
const FILTERS: Array<{ key: FilterKey; id: string; all: string; label: string; fleet?: boolean }> = [
  { key: "networks", id: "filter-network", all: "all networks", label: "Show only containers on a network" },
  { key: "drivers", id: "filter-driver", all: "all drivers", label: "Show only networks of a driver" },
  { key: "projects", id: "filter-project", all: "all projects", label: "Show only a compose project" },
  { key: "states", id: "filter-state", all: "all states", label: "Show only containers in a state" },
  {
    key: "engines",
    id: "filter-engine",
    all: "all engines",
    label: "Show only containers an engine reported",
    fleet: true,
  },
  { key: "nodes", id: "filter-node", all: "all nodes", label: "Show only containers on a node", fleet: true },
  {
    key: "services",
    id: "filter-service",
    all: "all services",
    label: "Show only a swarm service's tasks",
    fleet: true,
  },
];

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The values each filter offers for a topology. */
function options(topology: Topology): Record<FilterKey, string[]> {
  const nodes = [
    ...topology.containers.flatMap((c) => (c.node ? [c.node] : [])),
    ...(topology.swarm?.nodes.map((n) => n.hostname) ?? []),
  ];
  return {
    networks: sorted(topology.networks.map((n) => n.name)),
    drivers: sorted(topology.networks.map((n) => n.driver)),
    projects: sorted(topology.containers.flatMap((c) => (c.compose ? [c.compose.project] : []))),
    states: [...CONTAINER_STATES] as ContainerState[],
    engines: sorted(topology.engines.map((e) => e.key)),
    nodes: sorted(nodes),
    services: sorted([
      ...topology.containers.flatMap((c) => (c.swarm ? [c.swarm.service] : [])),
      ...(topology.swarm?.services.map((s) => s.name) ?? []),
    ]),
  };
}

/** Filter selects (network, driver, compose project, state; a fleet's engine, node, service) and a Clear button. */
export function createFilters(set: (scope: Partial<Scope>) => void): {
  el: HTMLElement;
  update(topology: Topology | null, scope: Scope): void;
} {
  const selects = new Map<FilterKey, HTMLSelectElement>();
  const optionSets = new Map<FilterKey, string>();
  const clear = h("button", { type: "button", id: "filter-clear", hidden: "" }, "Clear filters");
  for (const f of FILTERS) {
    const select = h("select", { id: f.id, "aria-label": f.label, "data-filter": f.key });
    select.addEventListener("change", () =>
      set({ [f.key]: select.value ? [select.value] : [], focus: null }),
    );
    selects.set(f.key, select);
  }
  clear.addEventListener("click", () => set(NO_FILTERS));
  const el = h(
    "div",
    { class: "filters", role: "group", "aria-label": "Filters" },
    ...selects.values(),
    clear,
  );

  let topology: Topology | null = null;
  return {
    el,
    update(next, scope) {
      if (next !== topology && next) {
        topology = next;
        const all = options(next);
        for (const f of FILTERS) {
          const values = [...new Set([...all[f.key], ...scope[f.key]])];
          const select = selects.get(f.key) as HTMLSelectElement;
          if (f.fleet) select.hidden = values.length < 2 && scope[f.key].length === 0;
          const key = values.join("\n");
          if (optionSets.get(f.key) === key) continue;
          optionSets.set(f.key, key);
          select.replaceChildren(
            h("option", { value: "" }, f.all),
            ...values.map((v) => h("option", { value: v }, v)),
          );
        }
      }
      for (const f of FILTERS) {
        const select = selects.get(f.key) as HTMLSelectElement;
        const value = scope[f.key][0] ?? "";
        if (select.value !== value) select.value = value;
      }
      clear.hidden = !narrowed(scope) || scope.focus !== null;
    },
  };
}
