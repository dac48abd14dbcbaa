import type { TextFormat } from "../../server/model/export/index.ts";
import { exportText } from "../../server/model/export/index.ts";
import type { Topology } from "../../server/model/topology.ts";
import { h } from "../dom.ts";

const FORMATS: { format: TextFormat; label: string; ext: string; type: string }[] = [
  { format: "svg", label: "SVG", ext: "svg", type: "image/svg+xml" },
  { format: "mermaid", label: "Mermaid", ext: "mmd", type: "text/plain" },
  { format: "dot", label: "DOT (Graphviz)", ext: "dot", type: "text/vnd.graphviz" },
  { format: "md", label: "Markdown", ext: "md", type: "text/markdown" },
  { format: "json", label: "JSON", ext: "json", type: "application/json" },
];

/** Saves text as a file through a temporary object URL. */
function download(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The Export menu: the pure exporters run in the browser on what the page shows (what-ifs included). */
export function createExportMenu(topology: () => Topology | null): HTMLElement {
  const menu = h("details", { class: "menu export-menu" }, h("summary", null, "Export"));
  const list = h("div", { class: "menu-items", role: "menu" });
  for (const f of FORMATS) {
    const item = h("button", { type: "button", role: "menuitem", "data-format": f.format }, f.label);
    item.addEventListener("click", () => {
      const t = topology();
      if (!t) return;
      const stamp = t.source.capturedAt.replace(/[:.]/g, "-");
      download(exportText(f.format, t), `reachgraph-${stamp}.${f.ext}`, f.type);
      menu.open = false;
    });
    list.append(item);
  }
  menu.append(list);
  return menu;
}
