// Facts about the npm package that the docs state (what it needs, what it brings, what it ships):
// generated from package.json between markers in docs/cli.md, never typed, so they cannot drift
// when a dependency is added, dropped or bundled. The tarball's size cannot be known without
// packing: test/package checks every size the docs state instead.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../cli/diagnostics.ts";
import { withRegion } from "../cli/regions.ts";
import { planDocRegion } from "./doc-regions.ts";

export const PACKAGE_FACTS_MARKERS = {
  begin: "<!-- BEGIN GENERATED PACKAGE FACTS (npm run generate) -->",
  end: "<!-- END GENERATED PACKAGE FACTS -->",
};

/** The doc holding the package facts, relative to the project root. */
export const PACKAGE_FACTS_DOC = "docs/cli.md";

/** The fields of package.json the table reads. */
export interface PackageManifest {
  engines?: Record<string, string>;
  bin?: string | Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** A value in a table cell: in code, with `|` escaped so it does not split the cell. */
const code = (s: string) => `\`${s.replace(/\|/g, "\\|")}\``;

function dependencyCell(deps: Record<string, string> | undefined, none: string): string {
  const names = Object.keys(deps ?? {}).sort();
  if (names.length === 0) return none;
  return `${names.length}: ${names.map(code).join(", ")}`;
}

/** The generated table: one row per fact, each naming the package.json field it comes from. */
export function packageFactsTable(pkg: PackageManifest): string {
  const rows = ["| Package fact | Value (from `package.json`) |", "| --- | --- |"];
  const node = pkg.engines?.node;
  rows.push(`| Node.js | ${node ? `${code(node)} (\`engines.node\`)` : "any version (no `engines.node`)"} |`);
  const bins = typeof pkg.bin === "string" ? {} : (pkg.bin ?? {});
  for (const [name, path] of Object.entries(bins)) rows.push(`| Command | ${code(name)} (${code(path)}) |`);
  rows.push(
    `| Runtime dependencies | ${dependencyCell(pkg.dependencies, "none: npm installs nothing else with the package")} (\`dependencies\`; npm also installs their own dependencies) |`,
  );
  if (pkg.optionalDependencies && Object.keys(pkg.optionalDependencies).length) {
    rows.push(`| Optional dependencies | ${dependencyCell(pkg.optionalDependencies, "none")} (\`optionalDependencies\`) |`);
  }
  if (pkg.peerDependencies && Object.keys(pkg.peerDependencies).length) {
    rows.push(`| Peer dependencies | ${dependencyCell(pkg.peerDependencies, "none")} (\`peerDependencies\`) |`);
  }
  if (pkg.files?.length) rows.push(`| Files | ${pkg.files.map(code).join(", ")} (\`files\`; npm adds \`package.json\` and the README) |`);
  return rows.join("\n") + "\n";
}

/** The text with the table between the markers replaced; undefined when the markers are missing. */
export function withPackageFacts(text: string, pkg: PackageManifest): string | undefined {
  return withRegion(text, PACKAGE_FACTS_MARKERS, packageFactsTable(pkg));
}

/** What generate writes into the doc and what is wrong; nothing when the root has no such doc. */
export function planPackageFacts(root: string, rel: (path: string) => string): { files: Array<{ path: string; content: string }>; diagnostics: Diagnostic[] } {
  const docPath = join(root, PACKAGE_FACTS_DOC);
  // A bare copy of the templates (check --root in tests and benchmarks) has no docs to fill.
  if (!existsSync(docPath)) return { files: [], diagnostics: [] };
  const problem = (code: string, file: string, message: string, fix: string, found: Pick<Diagnostic, "expected" | "actual">): Diagnostic => ({
    code,
    severity: "error",
    file,
    line: 0,
    column: 0,
    message,
    ...found,
    fix,
  });
  const manifestPath = join(root, "package.json");
  let pkg: PackageManifest;
  try {
    pkg = JSON.parse(readFileSync(manifestPath, "utf8")) as PackageManifest;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message.split("\n")[0]!;
    return {
      files: [],
      diagnostics: [
        problem(
          "PACKAGE_JSON_UNREADABLE",
          rel(manifestPath),
          `cannot read the package facts of ${PACKAGE_FACTS_DOC} from package.json: ${why}`,
          "fix package.json (npm reads it too)",
          {
            expected: "a JSON object",
            actual: why,
          },
        ),
      ],
    };
  }
  return planDocRegion(root, rel, {
    doc: PACKAGE_FACTS_DOC,
    markers: PACKAGE_FACTS_MARKERS,
    what: "generated package facts",
    where: "its install section",
    body: () => packageFactsTable(pkg),
  });
}
