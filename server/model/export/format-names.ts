/** Formats written as text by the pure core; PNG is the SVG rasterised at the edge (server/export). */
export const TEXT_FORMATS = ["svg", "mermaid", "dot", "md", "json"] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];
