// Prints the closing line CI reads, `N passed, N failed`, from vitest's JSON report plus the named checks.
// Usage: node scripts/test-summary.mjs REPORT [check=0|1 ...]  (1 = the check failed)
import { existsSync, readFileSync } from "node:fs";

const [report, ...checks] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (report && existsSync(report)) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed += json.numPassedTests ?? 0;
  failed += (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  for (const suite of json.testResults ?? []) {
    // A file that failed to load has no assertions but must count as a failure.
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
} else {
  failed += 1;
  console.log(`no test report at ${report}: the test command did not run`);
}
for (const check of checks) {
  const [name, code] = check.split("=");
  if (code === "0") passed += 1;
  else {
    failed += 1;
    console.log(`check failed: ${name}`);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
