import type { Topology } from "../topology.ts";
import { renderDot } from "./dot.ts";
import { renderJson } from "./json.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderMermaid } from "./mermaid.ts";
import { renderSvg } from "./svg.ts";
import type { ExportOptions } from "./view.ts";
import { exportView } from "./view.ts";

/** Formats written as text by the pure core; PNG is the SVG rasterised at the edge (server/export). */
export const TEXT_FORMATS = ["svg", "mermaid", "dot", "md", "json"] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

const RENDER = {
  svg: renderSvg,
  mermaid: renderMermaid,
  dot: renderDot,
  md: renderMarkdown,
  json: renderJson,
};

/** Renders the topology in one text format. Throws when `options.project` names no compose project. */
export function exportText(format: TextFormat, topology: Topology, options: ExportOptions = {}): string {
  return RENDER[format](exportView(topology, options));
}
