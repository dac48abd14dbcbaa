import { printTable } from "../stats.ts";
import type { StressSection } from "./section.ts";

/**
 * `npm run stress`: runs each section in turn (bounded in count and time, loopback and the engines only),
 * prints one table of figures and exits 1 when a figure missed its target or a section failed.
 * A new section is one more entry here: a module that exports `run(): Promise<StressSection>`.
 */
const sections: { title: string; load: () => Promise<{ run(): Promise<StressSection> }> }[] = [
  { title: "faults", load: () => import("./faults.ts") },
  { title: "sse", load: () => import("./sse.ts") },
  { title: "hostile", load: () => import("./hostile.ts") },
  { title: "soak", load: () => import("./soak.ts") },
];

/** `--only a,b`: just those sections (e.g. `npm run stress -- --only hostile`); default every one. */
const at = process.argv.indexOf("--only");
const only = at >= 0 ? (process.argv[at + 1] ?? "").split(",").filter(Boolean) : null;
const unknown = only?.filter((name) => !sections.some((s) => s.title === name)) ?? [];
if (only && (only.length === 0 || unknown.length)) {
  console.error(
    `--only: "${process.argv[at + 1] ?? ""}" is not a list of sections; expected some of ${sections.map((s) => s.title).join(", ")}`,
  );
  process.exit(2);
}

const rows: { section: string; figure: string; value: string; target: string; ok: string }[] = [];
let failed = false;
for (const { title, load } of sections.filter((s) => !only || only.includes(s.title))) {
  try {
    const section = await (await load()).run();
    for (const f of section.figures) {
      rows.push({
        section: section.title,
        figure: f.name,
        value: String(f.value),
        target: f.target ?? "",
        ok: f.ok ? "ok" : "MISSED",
      });
      if (!f.ok) failed = true;
    }
  } catch (error) {
    failed = true;
    rows.push({
      section: title,
      figure: "section failed",
      value: (error as Error).message.split("\n")[0],
      target: "runs",
      ok: "MISSED",
    });
  }
}
printTable("stress report", rows);
process.exit(failed ? 1 : 0);
