// The subsystems of scripts/lib/ and what each may import: the layout a newcomer reads in
// CONTRIBUTING.md, kept true by `npm run check` (scripts/check-subsystems.ts). Pure: it judges
// import edges it is given, so the test can hand it a broken layout.
import type { Diagnostic } from "../cli/diagnostics.ts";

export type Subsystem = "cli" | "ci" | "http" | "release" | "gitlab-api" | "harbor-api" | "scan" | "setup" | "validate" | "toolchain";

/** What each subsystem knows, and the subsystems it may import (scripts/lib/project.ts: anyone). */
export const SUBSYSTEMS: Record<Subsystem, { knows: string; imports: Subsystem[] }> = {
  cli: { knows: "CLI plumbing: arguments, diagnostics, output and redaction, reading files a user named", imports: [] },
  ci: {
    knows: "the offline GitLab CI model: YAML 1.1, inputs, interpolation, version bands, RE2, includes, rendering",
    imports: ["cli"],
  },
  http: { knows: "HTTP transport: base URLs, bounded bodies, retries, network options", imports: ["cli"] },
  release: { knows: "release rules: tags, CHANGELOG notes, the npm package's name and registry", imports: ["cli"] },
  "gitlab-api": { knows: "GitLab's REST API: catalog, releases, CI Lint, integrations", imports: ["cli", "http", "ci"] },
  "harbor-api": { knows: "Harbor's REST API: one transport, one file per resource", imports: ["cli", "http"] },
  scan: { knows: "the scan gate: image reference, Harbor's overview, allow list, gate, reports", imports: ["cli", "harbor-api"] },
  setup: { knows: "`setup`: a Harbor robot and GitLab's Harbor integration, planned then applied", imports: ["cli", "http", "gitlab-api", "harbor-api"] },
  validate: { knows: "`validate`: a consumer's pipeline checked offline and at its pinned versions", imports: ["cli", "ci", "release", "http", "gitlab-api"] },
  toolchain: {
    knows: "the developer toolchain: inputs.ts -> schemas, spec:inputs, README tables, shell blocks, template rules",
    imports: ["cli", "ci", "release"],
  },
};

/** Commands that are part of the developer toolchain; every other command ships in the package. */
export const DEVELOPER_ENTRY_POINTS = ["scripts/commands/generate.ts", "scripts/commands/check.ts"];

/** At most this many files directly in scripts/lib/: the rest belongs to a subsystem. */
export const MAX_TOP_LEVEL_FILES = 12;

export interface ImportEdge {
  /** Repository-relative paths with forward slashes. */
  from: string;
  to: string;
  line: number;
}

function subsystemOf(file: string): Subsystem | "top" | undefined {
  const m = /^scripts\/lib\/(?:([^/]+)\/)?[^/]+$/.exec(file) ?? /^scripts\/lib\/([^/]+)\//.exec(file);
  if (!m) return undefined;
  if (m[1] === undefined) return "top";
  return m[1] in SUBSYSTEMS ? (m[1] as Subsystem) : undefined;
}

export function checkSubsystems(files: string[], edges: ImportEdge[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of files) {
    const m = /^scripts\/lib\/([^/]+)\//.exec(file);
    if (m && !((m[1] as string) in SUBSYSTEMS)) {
      out.push({
        code: "UNKNOWN_SUBSYSTEM",
        severity: "error",
        file,
        line: 0,
        column: 0,
        message: `scripts/lib/${m[1]}/ is not a known subsystem`,
        expected: `one of: ${Object.keys(SUBSYSTEMS).join(", ")}`,
        actual: m[1],
        fix: "put the file in the subsystem that knows its subject, or declare the new subsystem in scripts/lib/toolchain/subsystems.ts with what it may import",
      });
    }
  }
  const top = files.filter((f) => /^scripts\/lib\/[^/]+\.ts$/.test(f));
  if (top.length > MAX_TOP_LEVEL_FILES) {
    out.push({
      code: "FLAT_LIB",
      severity: "error",
      file: "scripts/lib",
      line: 0,
      column: 0,
      message: `scripts/lib/ holds ${top.length} files directly`,
      expected: `at most ${MAX_TOP_LEVEL_FILES}`,
      actual: top.join(", "),
      fix: "move files into the subsystem folder that knows their subject",
    });
  }
  for (const e of edges) {
    const from = subsystemOf(e.from);
    const to = subsystemOf(e.to);
    if (from === undefined || from === "top" || to === undefined || to === "top" || from === to) continue;
    if (!SUBSYSTEMS[from].imports.includes(to)) {
      out.push({
        code: "SUBSYSTEM_IMPORT",
        severity: "error",
        file: e.from,
        line: e.line,
        column: 0,
        message: `the ${from} subsystem imports ${to} (${e.to})`,
        expected: `${from} imports only ${SUBSYSTEMS[from].imports.join(", ") || "nothing outside itself"} (and scripts/lib/project.ts)`,
        actual: `${e.from} -> ${e.to}`,
        fix: `move the shared piece into a subsystem both may import, or, if ${from} really needs ${to}, say so in SUBSYSTEMS (scripts/lib/toolchain/subsystems.ts)`,
      });
    }
  }
  out.push(...toolchainInPackage(edges));
  return out;
}

/** The installed CLI's entry: what it can load, without the developer commands, must not reach the toolchain. */
export const PACKAGE_ENTRY_POINT = "scripts/cli.ts";

function toolchainInPackage(edges: ImportEdge[]): Diagnostic[] {
  const via = new Map<string, string[]>([[PACKAGE_ENTRY_POINT, [PACKAGE_ENTRY_POINT]]]);
  const queue = [PACKAGE_ENTRY_POINT];
  const out: Diagnostic[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const e of edges) {
      if (e.from !== file || via.has(e.to) || DEVELOPER_ENTRY_POINTS.includes(e.to)) continue;
      const path = [...(via.get(file) as string[]), e.to];
      via.set(e.to, path);
      if (subsystemOf(e.to) === "toolchain") {
        out.push({
          code: "TOOLCHAIN_IN_PACKAGE",
          severity: "error",
          file: e.from,
          line: e.line,
          column: 0,
          message: `the installed CLI can load the developer toolchain (${e.to}), which needs development dependencies`,
          expected: `the toolchain reached only through ${DEVELOPER_ENTRY_POINTS.join(", ")}`,
          actual: path.join(" -> "),
          fix: "move what the command needs out of scripts/lib/toolchain/ into the subsystem that knows it (often ci/)",
        });
        continue;
      }
      queue.push(e.to);
    }
  }
  return out;
}

export const SUBSYSTEM_MARKERS = {
  begin: "<!-- BEGIN GENERATED SUBSYSTEMS (npm run generate) -->",
  end: "<!-- END GENERATED SUBSYSTEMS -->",
};

/** CONTRIBUTING.md's table of subsystems, from SUBSYSTEMS: what each knows and may import. */
export function subsystemsTable(): string {
  const rows = ["| `scripts/lib/…` | What it knows | May import |", "| --- | --- | --- |"];
  for (const [name, s] of Object.entries(SUBSYSTEMS)) {
    rows.push(`| \`${name}/\` | ${s.knows} | ${s.imports.map((i) => `\`${i}\``).join(", ") || "nothing outside itself"} |`);
  }
  return rows.join("\n") + "\n";
}
