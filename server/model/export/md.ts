/** Markdown text: characters that would start emphasis, links, HTML, headings or table cells are escaped. */
export function mdText(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/([\\`*_[\]<>#|~])/g, "\\$1");
}

/** An inline code span that survives backticks and table pipes in the value. */
export function mdCode(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A GFM table; cells are already escaped. */
export function mdTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}
