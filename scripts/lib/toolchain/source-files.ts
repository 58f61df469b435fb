// The product's source files that the code checks read: every .ts and .js file under scripts/
// and bin/, as repository-relative paths (forward slashes) with their absolute path.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return walk(p);
    return /\.(ts|js)$/.test(d.name) ? [p] : [];
  });
}

export function productSourceFiles(root: string): Array<{ path: string; rel: string }> {
  return [...walk(join(root, "scripts")), ...walk(join(root, "bin"))].map((path) => ({ path, rel: relative(root, path).split("\\").join("/") }));
}
