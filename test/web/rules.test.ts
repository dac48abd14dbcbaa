import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RULE_IDS, ruleAnchor } from "../../server/model/reachability/index.ts";
import { renderRulesPage } from "../../server/http/rules-page.ts";
import { RULES } from "../../web/teach/rules.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DOC = readFileSync(`${REPO}docs/rules.md`, "utf8");

/** The entries of docs/rules.md: heading → body up to the next heading. */
function entries(): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of DOC.split(/^### /m).slice(1)) {
    const [head, ...body] = block.split("\n");
    out.set(head.trim(), body.join("\n").split(/^## /m)[0].trim());
  }
  return out;
}

describe("the rules reference, the RuleId union and the teaching text agree", () => {
  it("has teaching text for every rule ID and no text for an ID the model does not know", () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) expect(RULES[id].length, id).toBeGreaterThan(10);
  });

  it("has one docs/rules.md entry per rule ID, each with a statement and its evidence", () => {
    const docs = entries();
    expect([...docs.keys()].sort()).toEqual([...RULE_IDS].sort());
    for (const [id, body] of docs) {
      const [statement, evidence] = body.split(/\n\n+/);
      expect(statement.length, `${id} has a statement`).toBeGreaterThan(20);
      expect(evidence, `${id} says what shows it`).toMatch(/^Evidence: /);
      // Every test it names exists, and names the rule (or builds the scenario that does).
      for (const [, path] of evidence.matchAll(/`(test\/[^`]+\.ts)`/g)) {
        const text = readFileSync(`${REPO}${path}`, "utf8");
        if (path !== "test/engine/ground-truth.test.ts") expect(text, `${path} names ${id}`).toContain(id);
      }
    }
  });

  it("cites only known rule IDs in the code and its comments", () => {
    const files = execFileSync("git", ["ls-files", "server", "web"], { cwd: REPO, encoding: "utf8" })
      .split("\n")
      .filter((f) => f.endsWith(".ts"));
    const known = new Set<string>(RULE_IDS);
    const unknown: string[] = [];
    for (const f of files)
      for (const [id] of readFileSync(`${REPO}${f}`, "utf8").matchAll(
        /\b(?:DB|UB|ICC|INT|MN|H|NO|CN|MV|IV|PP|HC|OV|V6|SW|CS)-\d+\b/g,
      ))
        if (!known.has(id)) unknown.push(`${f}: ${id}`);
    expect(unknown).toEqual([]);
  });

  it("renders every entry with the anchor the page's badges link to", () => {
    const html = renderRulesPage(DOC);
    for (const id of RULE_IDS) expect(html, id).toContain(`id="${ruleAnchor(id)}"`);
    expect(new Set(RULE_IDS.map(ruleAnchor)).size).toBe(RULE_IDS.length);
    // Markdown text is escaped, never taken as HTML.
    expect(renderRulesPage("### A\n\n<script>x</script> `<b>`\n")).toContain(
      "&lt;script&gt;x&lt;/script&gt; <code>&lt;b&gt;</code>",
    );
  });
});
