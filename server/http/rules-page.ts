import { existsSync, readFileSync } from "node:fs";
import { ruleAnchor } from "../model/reachability/index.ts";
import { escapeXml } from "../model/escape/xml.ts";

/** docs/rules.md: copied beside the bundle by `npm run build` (the package ships dist/), else the checkout's. */
const RULES_MD = [new URL("./rules.md", import.meta.url), new URL("../../docs/rules.md", import.meta.url)];

/** Inline markdown of docs/rules.md: `code` and **bold**, on text already escaped for HTML. */
function inline(text: string): string {
  return escapeXml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

/**
 * docs/rules.md as a page: the subset that file uses (headings, paragraphs, lists, inline code), each rule's
 * heading carrying the anchor the page's badges link to. Served by the collector, so it works offline.
 */
export function renderRulesPage(markdown: string): string {
  const html: string[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = (): void => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(" "))}</p>`);
    paragraph = [];
    if (list) html.push(`<ul>${list.map((li) => `<li>${inline(li)}</li>`).join("")}</ul>`);
    list = null;
  };
  for (const line of markdown.split("\n")) {
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1].length;
      const id = level === 3 ? ` id="${ruleAnchor(heading[2])}"` : "";
      html.push(`<h${level}${id}>${inline(heading[2])}</h${level}>`);
    } else if (line.startsWith("- ")) {
      if (paragraph.length) flush();
      (list ??= []).push(line.slice(2));
    } else if (list && line.startsWith("  ")) list[list.length - 1] += ` ${line.trim()}`;
    else if (line.trim() === "") flush();
    else paragraph.push(line.trim());
  }
  flush();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>reachgraph: reachability rules</title>
<link rel="stylesheet" href="/rules.css"></head><body>
${html.join("\n")}
</body></html>
`;
}

/** The rules page's stylesheet: served beside it, since the CSP allows no inline style. */
export const RULES_CSS = `body { font: 15px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h3 { margin: 1.6em 0 0.2em; font-family: ui-monospace, monospace; }
h3:target { background: color-mix(in srgb, Highlight 30%, transparent); }
code { font-size: 90%; }
`;

let page: string | null = null;

/** The rendered rules page, read once from docs/rules.md. */
export function rulesPage(): string {
  page ??= renderRulesPage(readFileSync(RULES_MD.find((url) => existsSync(url)) ?? RULES_MD[1], "utf8"));
  return page;
}
