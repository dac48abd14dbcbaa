import type { Topology } from "../topology.ts";
import { renderDot } from "./dot.ts";
import type { TextFormat } from "./format-names.ts";
import { renderJson } from "./json.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderMermaid } from "./mermaid.ts";
import { renderSvg } from "./svg.ts";
import type { ExportOptions, ExportView } from "./view.ts";
import { exportView } from "./view.ts";

const RENDER: Record<TextFormat, (view: ExportView) => string> = {
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
