import type { Container } from "../../server/model/topology.ts";
import { h } from "../dom.ts";
import type { Scope } from "../scope/scope.ts";
import { ALL_PROJECTS, collapsedId, serviceGroup, serviceIdOf } from "../scope/scope.ts";
import type { State } from "../store.ts";

export interface ScopeActions {
  set(scope: Partial<Scope>): void;
  select(id: string | null): void;
}

const button = (id: string, text: string, label?: string): HTMLButtonElement =>
  h("button", { type: "button", id, "aria-label": label }, text);

/**
 * What can be done with the selection at scale: focus on a container, collapse its compose project or replica
 * set, expand a collapsed node; and chips that undo a focus or a collapse.
 */
export function createScopeActions(actions: ScopeActions): { el: HTMLElement; update(state: State): void } {
  const focus = button("scope-focus", "Focus", "Focus on the selected container: its networks, one hop out");
  const project = button("scope-collapse-project", "Collapse project");
  const replicas = button("scope-collapse-replicas", "Collapse replicas");
  const all = button("scope-collapse-all", "Collapse all projects");
  const service = button("scope-service", "Collapse service", "Collapse the selected task's swarm service");
  service.hidden = true;
  const chips = h("span", { class: "scope-chips", "aria-live": "polite" });
  const el = h("div", { class: "scope-actions", role: "group", "aria-label": "Focus and collapse" });
  el.append(focus, project, replicas, service, all, chips);
  let state: State | null = null;
  let selected: Container | undefined;

  focus.addEventListener("click", () => {
    if (selected) actions.set({ focus: selected.id });
  });
  const collapse = (group: string): void => {
    if (!state) return;
    actions.set({ collapsed: [...new Set([...state.scope.collapsed, group])] });
    actions.select(collapsedId(group));
  };
  project.addEventListener("click", () => selected?.compose && collapse(selected.compose.project));
  replicas.addEventListener("click", () => {
    if (selected?.compose) collapse(`${selected.compose.project}/${selected.compose.service}`);
  });
  // A swarm service: one node for its tasks; selected again, the same button expands it.
  service.addEventListener("click", () => {
    if (!state) return;
    const expand = collapsedServiceOf(state);
    if (expand !== null) {
      actions.set({ collapsed: state.scope.collapsed.filter((g) => g !== serviceGroup(expand)) });
      actions.select(null);
    } else if (selected?.swarm) {
      const name = selected.swarm.service;
      actions.set({ collapsed: [...new Set([...state.scope.collapsed, serviceGroup(name)])] });
      actions.select(serviceIdOf(state, name));
    }
  });
  all.addEventListener("click", () => {
    const collapsedAll = state?.scope.collapsed.includes(ALL_PROJECTS);
    actions.set({ collapsed: collapsedAll ? [] : [ALL_PROJECTS] });
  });
  chips.addEventListener("click", (event) => {
    const chip = (event.target as Element).closest<HTMLElement>("button[data-undo]");
    if (!chip || !state) return;
    const undo = chip.dataset.undo ?? "";
    if (undo === "focus") actions.set({ focus: null });
    else actions.set({ collapsed: state.scope.collapsed.filter((g) => g !== undo) });
  });

  return {
    el,
    update(next) {
      const changed = next.selectedId !== state?.selectedId || next.topology !== state?.topology;
      const scopeChanged = next.scope !== state?.scope;
      state = next;
      if (changed) {
        const id = next.selectedId;
        selected = id ? next.topology?.containers.find((c) => c.id === id) : undefined;
        focus.disabled = !selected;
        project.disabled = !selected?.compose;
        replicas.disabled = !selected?.compose;
        const expand = collapsedServiceOf(next);
        service.hidden = !next.topology?.swarm && !next.topology?.containers.some((c) => c.swarm);
        service.disabled = expand === null && !selected?.swarm;
        service.textContent = expand !== null ? "Expand service" : "Collapse service";
        service.setAttribute(
          "aria-label",
          expand !== null
            ? `Expand the swarm service ${expand} into its tasks`
            : "Collapse the selected task's swarm service",
        );
      }
      if (!scopeChanged && !changed) return;
      all.textContent = next.scope.collapsed.includes(ALL_PROJECTS)
        ? "Expand all projects"
        : "Collapse all projects";
      const focusName = next.scope.focus
        ? (next.topology?.containers.find((c) => c.id === next.scope.focus)?.name ??
          next.scope.focus.slice(0, 12))
        : null;
      chips.replaceChildren(
        ...(focusName ? [chip("focus", `focus: ${focusName}`, `Leave the focus on ${focusName}`)] : []),
        ...next.scope.collapsed.map((g) =>
          chip(g, g === ALL_PROJECTS ? "all projects collapsed" : `${g} collapsed`, `Expand ${g}`),
        ),
      );
    },
  };
}

function chip(undo: string, text: string, label: string): HTMLElement {
  return h(
    "button",
    { type: "button", class: "scope-chip", "data-undo": undo, "aria-label": label },
    `${text} ✕`,
  );
}

/** The swarm service the selected collapsed vertex stands for (its ID is the service's), or null. */
function collapsedServiceOf(state: State): string | null {
  const service = state.topology?.swarm?.services.find((s) => s.id === state.selectedId);
  return service && state.scope.collapsed.includes(serviceGroup(service.name)) ? service.name : null;
}
