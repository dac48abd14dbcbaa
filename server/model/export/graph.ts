import { projectGraph } from "../graph/index.ts";
import type { Graph } from "../graph/index.ts";
import type { ExportView } from "./view.ts";

/** The graph every drawn export (SVG, Mermaid, DOT) shows: the page's projection of the export's view. */
export function buildExportGraph(view: ExportView): Graph {
  // The view already left out what the options hide; everything it kept is drawn.
  return projectGraph(view, { collapse: view.options.collapse ?? false });
}
