/** Small helpers for benchmarks: medians of repeated runs, a table, and `target …` lines. */

export async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values: number[]) => quantile(values, 0.5);

export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

export interface Row {
  [column: string]: string | number;
}

export function printTable(title: string, rows: Row[]): void {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ");
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
}

const targets: string[] = [];

/** Records and prints `target <name>: <measured> (goal <goal>) met|missed`. */
export function target(name: string, measured: string, goal: string, met: boolean): void {
  const text = `target ${name}: ${measured} (goal ${goal}) ${met ? "met" : "missed"}`;
  targets.push(text);
  console.log(text);
}

export function printTargets(): void {
  console.log("\nTargets");
  for (const t of targets) console.log(t);
}
