// The docs as a reader of a clone walks them: the README stays the catalog page, every link lands
// inside the repository on a heading that exists, and facts about the package are generated.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_FACTS_DOC, packageFactsTable, withPackageFacts, type PackageManifest } from "../../scripts/lib/toolchain/package-facts.ts";
import { projectRoot } from "../../scripts/lib/project.ts";
import { plan, stale } from "../../scripts/lib/toolchain/toolchain.ts";
import { docFiles, headingAnchors, markdownFiles, prose, readDoc, sentences, withoutGeneratedRegions } from "../docs-text.ts";

const README_MAX_LINES = 600;

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Markdown links `[text](target)` of the prose and of generated regions, outside code. */
function links(file: string, text: string): Link[] {
  const body = text.replace(/^( *)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, (s) => s.replace(/[^\n]/g, ""));
  const out: Link[] = [];
  body.split("\n").forEach((l, i) => {
    const line = l.replace(/`[^`]*`/g, "code");
    for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ file, line: i + 1, target: m[1]! });
  });
  return out;
}

/** Why a link does not land, or undefined when it does. */
function brokenLink(link: Link, root = projectRoot): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return undefined; // https:, mailto:: not a file
  const [path, anchor] = link.target.split("#", 2) as [string, string | undefined];
  const target = path === "" ? join(root, link.file) : resolve(dirname(join(root, link.file)), decodeURI(path));
  const inside = relative(root, target);
  if (inside.startsWith("..") || resolve(target) === resolve(root, "..")) return `${link.target} leaves the repository (a clone has nothing there)`;
  if (!existsSync(target)) return `${link.target}: no such file in the repository`;
  if (anchor !== undefined && target.endsWith(".md") && !headingAnchors(readFileSync(target, "utf8")).has(anchor)) {
    return `${link.target}: ${inside} has no heading with the anchor #${anchor}`;
  }
  return undefined;
}

describe("README", () => {
  it(`is the catalog page: under ${README_MAX_LINES} lines (the CLI reference and the contributor guide live elsewhere)`, () => {
    const lines = readDoc("README.md").split("\n").length;
    expect(lines, `README.md has ${lines} lines; move reference material to docs/ or CONTRIBUTING.md`).toBeLessThan(README_MAX_LINES);
  });

  it("points to the CLI reference and the contributor guide", () => {
    const readme = readDoc("README.md");
    for (const doc of ["docs/cli.md", "CONTRIBUTING.md"]) {
      expect(existsSync(join(projectRoot, doc)), doc).toBe(true);
      expect(readme).toContain(`](${doc}`);
    }
  });
});

describe("links between the docs", () => {
  it("finds the links it checks, and tells a broken one", () => {
    const found = links("README.md", "See [a](docs/cli.md#install), `[not](a-link)` and\n```\n[nor](this)\n```\n[b](https://example.com).");
    expect(found.map((l) => l.target)).toEqual(["docs/cli.md#install", "https://example.com"]);
    expect(brokenLink({ file: "README.md", line: 1, target: "docs/cli.md#no-such-heading" })).toContain("no heading with the anchor #no-such-heading");
    expect(brokenLink({ file: "README.md", line: 1, target: ["..", "outside", "NOTES.md"].join("/") })).toContain("leaves the repository");
    expect(brokenLink({ file: "docs/cli.md", line: 1, target: "../README.md#scan-gate" })).toBeUndefined();
  });

  it("gives headings GitLab's anchors", () => {
    const anchors = headingAnchors("# A\n## `harbor-ci scan`: gate on Harbor's scan\n## Tests -- and more\n## Tests -- and more\n");
    expect([...anchors]).toEqual(["a", "harbor-ci-scan-gate-on-harbors-scan", "tests-and-more", "tests-and-more-1"]);
  });

  for (const file of markdownFiles()) {
    it(`${file}: every relative link lands on a file of the repository, and on a heading that exists`, () => {
      const broken = links(file, readDoc(file))
        .map((l) => ({ at: `${l.file}:${l.line}`, why: brokenLink(l) }))
        .filter((b) => b.why !== undefined);
      expect(broken).toEqual([]);
    });
  }

  it("no doc sends a reader to a file outside the repository (a clone has none)", () => {
    const outside: string[] = [];
    for (const file of markdownFiles()) {
      readDoc(file)
        .split("\n")
        .forEach((l, i) => {
          if (/\.\.\/shared\b|\bshared\/(FACTS|STYLE|reference)\b|\bFACTS\.md\b/.test(l)) outside.push(`${file}:${i + 1}: ${l.trim()}`);
        });
    }
    expect(outside).toEqual([]);
  });
});

describe("package facts in the docs", () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as PackageManifest & { dependencies?: Record<string, string> };

  it(`${PACKAGE_FACTS_DOC} holds the generated facts, as package.json says them today`, () => {
    const doc = readDoc(PACKAGE_FACTS_DOC);
    expect(withPackageFacts(doc, pkg), "the markers of the generated package facts").toBe(doc);
    const names = Object.keys(pkg.dependencies ?? {});
    for (const name of names) expect(doc).toContain(`\`${name}\``);
    if (names.length === 0) expect(doc).toContain("none: npm installs nothing else");
  });

  it("follows package.json when the dependencies change (none, one, several)", () => {
    expect(packageFactsTable({ dependencies: {} })).toContain("| Runtime dependencies | none: npm installs nothing else with the package");
    expect(packageFactsTable({ dependencies: { yaml: "^2" } })).toContain("| Runtime dependencies | 1: `yaml`");
    expect(packageFactsTable({ engines: { node: ">=18 || >=20" } })).toContain("`>=18 \\|\\| >=20`");
  });

  it("npm run generate rewrites the facts when package.json changes, and check then names docs/cli.md stale", () => {
    const dir = mkdtempSync(join(tmpdir(), "hci-docs-"));
    try {
      cpSync(join(projectRoot, "templates"), join(dir, "templates"), { recursive: true });
      cpSync(join(projectRoot, "README.md"), join(dir, "README.md"));
      mkdirSync(join(dir, "docs"));
      cpSync(join(projectRoot, PACKAGE_FACTS_DOC), join(dir, PACKAGE_FACTS_DOC));
      writeFileSync(join(dir, "package.json"), JSON.stringify({ ...pkg, dependencies: { "left-pad": "^1.3.0" } }));
      const p = plan({ root: dir, noGitlabSchema: true });
      expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const doc = stale(p.files).find((f) => f.path === join(dir, PACKAGE_FACTS_DOC));
      expect(doc, "docs/cli.md is stale").toBeDefined();
      expect(doc!.content).toContain("| Runtime dependencies | 1: `left-pad`");

      writeFileSync(join(dir, PACKAGE_FACTS_DOC), "# CLI\n\nno markers\n");
      expect(plan({ root: dir, noGitlabSchema: true }).diagnostics.map((d) => d.code)).toContain("DOCS_MARKERS_MISSING");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A count of the package's dependencies or packages typed in prose, outside generated regions. */
  const TYPED_COUNT =
    /\b(?:no|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(?:runtime\s+|npm\s+|production\s+)?(?:dependenc(?:y|ies)|packages)\b/i;

  it("finds a typed count of dependencies, and leaves other numbers alone", () => {
    const typed = (s: string) => sentences(s).filter((x) => TYPED_COUNT.test(x.text));
    expect(typed("It needs Node.js 20; nothing else is installed but its two runtime dependencies.")).toHaveLength(1);
    expect(typed("The CLI brings 31 packages.")).toHaveLength(1);
    expect(
      typed("A 20 s dependency step.\n\n<!-- BEGIN GENERATED PACKAGE FACTS (npm run generate) -->\n5 dependencies\n<!-- END GENERATED PACKAGE FACTS -->"),
    ).toEqual([]);
  });

  for (const file of docFiles()) {
    it(`${file}: states no count of the package's dependencies by hand (the generated table does)`, () => {
      const typed = sentences(readDoc(file))
        .filter((s) => TYPED_COUNT.test(s.text))
        .map((s) => `${file}:${s.line}: ${s.text}`);
      expect(typed).toEqual([]);
    });
  }

  it("keeps generated regions out of the prose the facts checks read", () => {
    const text = "a\n<!-- BEGIN GENERATED X (npm run generate) -->\nsecret 5 dependencies\n<!-- END GENERATED X -->\nb\n";
    expect(withoutGeneratedRegions(text).split("\n")).toHaveLength(text.split("\n").length);
    expect(prose(text)).not.toContain("dependencies");
  });
});
