import { visibleText } from "./controls.ts";

/**
 * Markdown text: characters that would start emphasis, links (`[x](javascript:…)`), images, HTML tags,
 * entity references (`&#x202e;`), headings or table cells are backslash-escaped, and so are the `://`, `@` and
 * `www.` that GFM would turn into links by themselves; line breaks become spaces.
 */
export function mdText(value: string): string {
  return visibleText(value.replace(/[\r\n]+/g, " "))
    .replace(/([\\`*_[\]<>#|~&!@])/g, "\\$1")
    .replace(/:\/\//g, "\\://")
    .replace(/\b(www)\./gi, "$1\\.");
}

/** An inline code span that survives backticks and table pipes in the value (nothing inside is markup). */
export function mdCode(value: string): string {
  const flat = visibleText(value.replace(/[\r\n]+/g, " ")).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
