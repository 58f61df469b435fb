// `npm run check`'s function-length check: no function under scripts/ or bin/ is longer than
// MAX_FUNCTION_LINES (scripts/lib/toolchain/function-length.ts says how lines count).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { formatDiagnostic } from "./lib/cli/diagnostics.ts";
import { projectRoot } from "./lib/project.ts";
import { productSourceFiles } from "./lib/toolchain/source-files.ts";
import { findLongFunctions, longFunctionDiagnostic, MAX_FUNCTION_LINES } from "./lib/toolchain/function-length.ts";

const sources = productSourceFiles(projectRoot);
const files = sources.map((s) => s.path);
const rel = (p: string) => relative(projectRoot, p).split("\\").join("/");
const long = files.flatMap((f) => findLongFunctions(rel(f), readFileSync(f, "utf8")));
for (const f of long) process.stderr.write(formatDiagnostic(longFunctionDiagnostic(f)) + "\n");
if (long.length > 0) process.exit(1);
console.log(`functions: none longer than ${MAX_FUNCTION_LINES} lines in ${files.length} files under scripts/ and bin/`);
