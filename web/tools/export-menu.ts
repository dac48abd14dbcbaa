import type { TextFormat } from "../../server/model/export/index.ts";
import { exportText } from "../../server/model/export/index.ts";
import { h } from "../dom.ts";
import type { State } from "../store.ts";
import { exportRequest } from "./export-view.ts";
import { svgToPng } from "./png.ts";

type Format = TextFormat | "png";

/** Every format `reachgraph export` offers, in its order. */
const FORMATS: { format: Format; label: string; ext: string; type: string }[] = [
  { format: "svg", label: "SVG", ext: "svg", type: "image/svg+xml" },
  { format: "png", label: "PNG", ext: "png", type: "image/png" },
  { format: "mermaid", label: "Mermaid", ext: "mmd", type: "text/plain" },
  { format: "dot", label: "DOT (Graphviz)", ext: "dot", type: "text/vnd.graphviz" },
  { format: "md", label: "Markdown", ext: "md", type: "text/markdown" },
  { format: "json", label: "JSON", ext: "json", type: "application/json" },
];

/** Saves data as a file through a temporary object URL. */
function download(data: Blob, name: string): void {
  const url = URL.createObjectURL(data);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The Export menu: the pure exporters run in the browser on the current view (filters, focus, hidden system
 * and empty networks, what-ifs), with the CLI's --redact and --hide-system; PNG is the SVG drawn on a canvas.
 */
export function createExportMenu(state: () => State): HTMLElement {
  const summary = h("summary", null, "Export");
  const menu = h("details", { class: "menu export-menu" }, summary);
  const scope = h("p", { class: "export-scope muted" });
  const redact = h("input", { type: "checkbox", class: "export-redact" });
  const hideSystem = h("input", { type: "checkbox", class: "export-hide-system" });
  const status = h("p", { class: "export-status", role: "status" });
  const list = h(
    "div",
    { class: "menu-items", role: "menu" },
    scope,
    h("label", null, redact, " redact addresses"),
    h("label", null, hideSystem, " hide system networks"),
  );
  // Filled by the summary's click (a key press on it clicks too), which runs before the menu opens: the
  // toggle event is queued as a task, so the menu would first show with an empty or stale scope line.
  summary.addEventListener("click", () => {
    if (menu.open) return;
    const s = state();
    hideSystem.checked = !s.view.showSystem;
    const req = exportRequest(s, { redact: false, hideSystem: false });
    scope.textContent = req
      ? `current view: ${req.shown} of ${req.total} containers`
      : "nothing to export yet";
    status.textContent = "";
  });
  for (const f of FORMATS) {
    const item = h("button", { type: "button", role: "menuitem", "data-format": f.format }, f.label);
    item.addEventListener("click", () => {
      const req = exportRequest(state(), { redact: redact.checked, hideSystem: hideSystem.checked });
      if (!req) return;
      const stamp = req.topology.source.capturedAt.replace(/[:.]/g, "-");
      const name = `reachgraph-${stamp}.${f.ext}`;
      if (f.format !== "png") {
        const text = exportText(f.format, req.topology, req.options);
        download(new Blob([text], { type: `${f.type};charset=utf-8` }), name);
        menu.open = false;
        return;
      }
      status.textContent = "drawing the PNG…";
      svgToPng(exportText("svg", req.topology, req.options)).then(
        (png) => {
          download(png, name);
          status.textContent = "";
          menu.open = false;
        },
        (error: unknown) => (status.textContent = `PNG failed: ${(error as Error).message}`),
      );
    });
    list.append(item);
  }
  list.append(status);
  menu.append(list);
  return menu;
}
