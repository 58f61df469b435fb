// Prints one closing line for the whole test run from vitest's JSON reports:
// "tests: N passed, N failed" (CI reads it; vitest's own summary is per project).
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
for (const file of [".cache/vitest-unit.json", ".cache/vitest-package.json", ".cache/vitest-integration.json"]) {
  if (!existsSync(file)) {
    missing.push(file);
    continue;
  }
  const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
if (missing.length) console.log(`(no report: ${missing.join(", ")} — that suite did not run to the end)`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
