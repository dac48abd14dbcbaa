/**
 * Every rule the model cites: the IDs of docs/rules.md (the project's reference, in its own words, with the
 * test or probe that shows each). The page's teaching text and that file are checked against this list.
 */
export const RULE_IDS = [
  "DB-1",
  "DB-2",
  "DB-3",
  "DB-4",
  "DB-5",
  "DB-6",
  "DB-7",
  "DB-8",
  "UB-1",
  "UB-2",
  "UB-3",
  "UB-4",
  "UB-5",
  "UB-6",
  "UB-7",
  "UB-8",
  "UB-9",
  "UB-10",
  "ICC-1",
  "ICC-2",
  "ICC-3",
  "ICC-4",
  "ICC-5",
  "INT-1",
  "INT-2",
  "INT-3",
  "INT-4",
  "INT-5",
  "INT-6",
  "INT-7",
  "MN-1",
  "MN-2",
  "MN-3",
  "MN-4",
  "H-1",
  "H-2",
  "H-3",
  "NO-1",
  "CN-1",
  "CN-2",
  "CN-3",
  "MV-1",
  "MV-2",
  "MV-3",
  "MV-4",
  "MV-5",
  "MV-6",
  "MV-7",
  "IV-1",
  "IV-2",
  "PP-1",
  "PP-2",
  "PP-3",
  "PP-4",
  "PP-5",
  "PP-6",
  "PP-7",
  "PP-8",
  "PP-9",
  "PP-10",
  "PP-11",
  "HC-1",
  "HC-2",
  "HC-3",
  "HC-4",
  "HC-5",
  "HC-6",
  "OV-1",
  "OV-2",
  "OV-3",
  "OV-4",
  "OV-5",
  "OV-6",
  "OV-7",
  "OV-8",
  "OV-9",
  "OV-10",
  "SW-1",
  "SW-2",
  "SW-3",
  "SW-4",
  "SW-5",
  "SW-6",
  "SW-7",
  "SW-8",
  "SW-9",
  "SW-10",
  "SW-11",
  "SW-12",
  "V6-1",
  "V6-2",
  "V6-3",
  "V6-4",
  "§1.1",
  "§5 stopped",
  "§5 paused",
  "§5 plugin driver",
  "§5 unknown network",
  "§5 multiple subnets",
] as const;

/** A rule ID (`UB-8`), or a named §5 edge case (`§5 paused`); see docs/rules.md. */
export type RuleId = (typeof RULE_IDS)[number];

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);

/** Whether a string is a rule ID (for text read from outside the model, such as a URL or a badge). */
export function isRuleId(value: string): value is RuleId {
  return KNOWN.has(value);
}

/** The anchor of a rule in the rules page (`/rules#rule-ub-8`, `§5 paused` → `rule-s5-paused`). */
export function ruleAnchor(rule: string): string {
  return `rule-${rule
    .replace("§", "s")
    .replace(/[^\w-]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase()}`;
}
