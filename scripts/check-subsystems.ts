// `npm run check`'s layout check: reads every import under scripts/ and bin/ (static and dynamic,
// with TypeScript's own pre-processor) and judges them with scripts/lib/toolchain/subsystems.ts.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { formatDiagnostic } from "./lib/cli/diagnostics.ts";
import { projectRoot } from "./lib/project.ts";
import { productSourceFiles } from "./lib/toolchain/source-files.ts";
import { checkSubsystems, type ImportEdge } from "./lib/toolchain/subsystems.ts";

const sources = productSourceFiles(projectRoot);
const files = sources.map((s) => s.path);
const rel = (p: string) => relative(projectRoot, p).split("\\").join("/");
const edges: ImportEdge[] = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
    if (!imported.fileName.startsWith(".")) continue;
    const line = text.slice(0, imported.pos).split("\n").length;
    edges.push({ from: rel(file), to: rel(resolve(dirname(file), imported.fileName)), line });
  }
}
const problems = checkSubsystems(files.map(rel), edges);
for (const p of problems) process.stderr.write(formatDiagnostic(p) + "\n");
if (problems.length > 0) process.exit(1);
console.log(`subsystems: ${edges.length} imports in ${files.length} files follow scripts/lib/toolchain/subsystems.ts`);
