import type { Topology } from "../../server/model/topology.ts";
import type { State } from "../store.ts";
import { h } from "../dom.ts";
import { createExportMenu } from "../tools/export-menu.ts";
import type { DriverPanel } from "./driver-panel.ts";
import type { ExampleEntry, TeachSource } from "./source.ts";

export interface TeachBar {
  /** Shows a bundled example as if picked from the list; false when there is no such example. */
  showExample(slug: string): Promise<boolean>;
}

/** The header's teaching tools: pick an example topology, open the driver panel, save a snapshot, export the view. */
export function createTeachBar(
  el: HTMLElement,
  source: TeachSource,
  drivers: DriverPanel,
  shown: () => State,
): TeachBar {
  const select = h(
    "select",
    { id: "example-select", "aria-label": "Topology to show" },
    h("option", { value: "" }, "server topology"),
  );
  const status = h("span", { class: "teach-status", role: "status" });
  let entries: ExampleEntry[] = [];
  select.addEventListener("change", () => void pick(select.value));

  async function pick(slug: string): Promise<void> {
    const entry = entries.find((e) => e.slug === slug);
    if (!entry) {
      source.showExample(null);
      status.textContent = "";
      return;
    }
    status.textContent = "loading…";
    try {
      const res = await fetch(`/api/examples/${encodeURIComponent(slug)}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const topology = (await res.json()) as Topology;
      if (select.value !== slug) return;
      source.showExample({ entry, topology });
      status.textContent = "";
      el.dataset.example = slug;
    } catch (error) {
      status.textContent = `example ${slug} failed to load: ${(error as Error).message}`;
    }
  }

  const listed = fetch("/api/examples")
    .then((res) => (res.ok ? (res.json() as Promise<ExampleEntry[]>) : []))
    .then((list) => {
      entries = list;
      const group = h("optgroup", { label: "Examples (read-only)" });
      for (const e of list) group.append(h("option", { value: e.slug, title: e.description }, e.title));
      select.append(group);
      el.dataset.examples = String(list.length);
    })
    .catch(() => undefined);

  const driversButton = h("button", { type: "button", id: "drivers-open" }, "Drivers");
  driversButton.addEventListener("click", () => (drivers.isOpen() ? drivers.close() : drivers.open()));
  const save = h(
    "a",
    {
      class: "button",
      id: "save-snapshot",
      href: "/api/snapshot",
      download: "",
      title: "Download the server's topology with its verdicts (examples and what-ifs are not in it)",
    },
    "Save snapshot",
  );
  el.replaceChildren(select, status, driversButton, save, createExportMenu(shown));
  return {
    async showExample(slug) {
      await listed;
      if (!entries.some((e) => e.slug === slug)) return false;
      select.value = slug;
      await pick(slug);
      return source.get().example?.entry.slug === slug;
    },
  };
}
