import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../../scripts/lib/project.ts";
import {
  checkCodes,
  codeHelpers,
  type CodeTableFile,
  type CodeUse,
  errorsDoc,
  findCodeUses,
  parseCodeTable,
  planErrorCodes,
} from "../../../scripts/lib/toolchain/error-codes.ts";

const codes = (d: Array<{ code: string }>) => d.map((x) => x.code);

const table = (subsystem: string, ...names: string[]): CodeTableFile => ({
  subsystem,
  file: `scripts/lib/${subsystem}/codes.ts`,
  codes: names.map((code, i) => ({ code, summary: `${code} happened`, fix: `undo ${code}`, line: i + 5 })),
});
const use = (code: string, file: string, line = 3): CodeUse => ({ code, file, line, column: 7 });

describe("reading a codes.ts table", () => {
  it("reads each entry's summary, fix and exit code without running the file", () => {
    const text = `import type { CodeTable } from "../cli/codes.ts";
export const CODES = {
  THING_MISSING: { summary: "no thing", fix: "give " + "a thing", exitCode: 2 },
  "THING_BROKEN": { summary: \`the thing broke\`, fix: "mend it" },
} as const satisfies CodeTable;
export type ThingCode = keyof typeof CODES;`;
    const { table: t, diagnostics } = parseCodeTable(text, "scripts/lib/thing/codes.ts", "thing");
    expect(diagnostics).toEqual([]);
    expect(t.codes).toEqual([
      { code: "THING_MISSING", summary: "no thing", fix: "give a thing", exitCode: 2, line: 3 },
      { code: "THING_BROKEN", summary: "the thing broke", fix: "mend it", line: 4 },
    ]);
  });

  it("refuses a table it cannot read literally, naming the line", () => {
    const text = `const fix = "x";\nexport const CODES = {\n  A_B: { summary: "s", fix },\n  ...OTHER,\n};`;
    const d = parseCodeTable(text, "scripts/lib/thing/codes.ts", "thing").diagnostics;
    expect(codes(d)).toEqual(["CODES_TABLE_UNREADABLE"]);
    expect(d[0]).toMatchObject({ file: "scripts/lib/thing/codes.ts", line: 4 });
    expect(codes(parseCodeTable("export const OTHER = {};", "f.ts", "thing").diagnostics)).toEqual(["CODES_TABLE_UNREADABLE"]);
  });
});

describe("finding where codes are raised", () => {
  const source = `
// code: "IN_A_COMMENT" is not raised
function fail(code: ThingCode, message: string) { return new CliError({ code, message }); }
const emit: Emit = (code, at) => out.push({ code, at });
class RefusedError extends Error { constructor(readonly code: ThingCode, message: string) { super(message); } }
export function run(err: { code: string }, big: boolean) {
  if (err.code === "COMPARED_ONLY") return;
  const message = 'code: "IN_A_MESSAGE"';
  fail("BY_HELPER", message);
  usageError(big ? "TERNARY_A" : "TERNARY_B", "m", "f");
  this.emit("BY_METHOD_CALL", here);
  need("NOT_A_HELPER");
  throw new RefusedError("BY_CONSTRUCTOR", message);
  throw new CliError({ code: "BY_PROPERTY", message });
}
const URLS = { a: "FROM_A_TYPED_TABLE" } as const satisfies Record<string, ThingCode>;
`;
  it("discovers the helpers whose first parameter is `code`", () => {
    expect(codeHelpers(source, "x.ts").sort()).toEqual(["RefusedError", "emit", "fail"]);
  });

  it("sees code properties, helper calls, both branches of ?: and code-typed tables, but not comparisons, comments or messages", () => {
    const found = findCodeUses(source, "scripts/lib/thing/x.ts", new Set(["fail", "emit", "usageError", "RefusedError"]));
    expect(found.map((u) => u.code).sort()).toEqual([
      "BY_CONSTRUCTOR",
      "BY_HELPER",
      "BY_METHOD_CALL",
      "BY_PROPERTY",
      "FROM_A_TYPED_TABLE",
      "TERNARY_A",
      "TERNARY_B",
    ]);
    expect(found.find((u) => u.code === "BY_HELPER")).toMatchObject({ file: "scripts/lib/thing/x.ts", line: 9, column: 8 });
  });
});

describe("checking codes against the tables", () => {
  it("accepts a code listed in its subsystem's table, or in a table of a subsystem it may import", () => {
    const tables = [table("ci", "YAML_SYNTAX"), table("validate", "UNKNOWN_INPUT")];
    const uses = [use("UNKNOWN_INPUT", "scripts/lib/validate/pipeline.ts"), use("YAML_SYNTAX", "scripts/lib/validate/pipeline.ts")];
    expect(checkCodes(tables, uses)).toEqual([]);
  });

  it("fails on a code raised but listed nowhere, naming file:line, the code and the table to add it to", () => {
    const d = checkCodes([table("validate")], [use("BRAND_NEW", "scripts/lib/validate/pipeline.ts", 42)]);
    expect(codes(d)).toEqual(["CODE_NOT_LISTED"]);
    expect(d[0]).toMatchObject({ file: "scripts/lib/validate/pipeline.ts", line: 42, column: 7 });
    expect(d[0]?.message).toContain("BRAND_NEW");
    expect(d[0]?.fix).toContain("add it to scripts/lib/validate/codes.ts with a summary and a fix");
  });

  it("fails on a code listed only in a subsystem the file may not import (ci may not use validate's)", () => {
    const d = checkCodes(
      [table("ci"), table("validate", "UNKNOWN_INPUT")],
      [use("UNKNOWN_INPUT", "scripts/lib/ci/render.ts"), use("UNKNOWN_INPUT", "scripts/lib/validate/x.ts")],
    );
    expect(codes(d)).toEqual(["CODE_NOT_LISTED"]);
    expect(d[0]?.actual).toContain("scripts/lib/validate/codes.ts");
  });

  it("says when the subsystem has no table yet", () => {
    const d = checkCodes([], [use("ROBOT_GONE", "scripts/lib/setup/setup.ts")]);
    expect(d[0]?.actual).toContain("scripts/lib/setup/codes.ts does not exist yet");
  });

  it("fails on a code listed but never raised: a stale table", () => {
    const d = checkCodes([table("release", "TAG_NOT_SEMVER", "GONE_AWAY")], [use("TAG_NOT_SEMVER", "scripts/lib/release/changelog.ts")]);
    expect(codes(d)).toEqual(["CODE_NOT_USED"]);
    expect(d[0]).toMatchObject({ file: "scripts/lib/release/codes.ts", line: 6 });
    expect(d[0]?.message).toContain("GONE_AWAY");
  });

  it("fails on a code listed in two tables", () => {
    const d = checkCodes([table("ci", "SAME"), table("validate", "SAME")], [use("SAME", "scripts/lib/validate/x.ts"), use("SAME", "scripts/lib/ci/x.ts")]);
    expect(codes(d)).toEqual(["CODE_LISTED_TWICE"]);
  });

  it("lets a command raise any subsystem's code, and names its own subsystem's table for a new one", () => {
    const tables = [table("ci"), table("gitlab-api", "GITLAB_UNAUTHORIZED")];
    expect(checkCodes(tables, [use("GITLAB_UNAUTHORIZED", "scripts/commands/render.ts")])).toEqual([]);
    const d = checkCodes(tables, [use("GITLAB_UNAUTHORIZED", "scripts/lib/gitlab-api/client.ts"), use("RENDER_NEW", "scripts/commands/render.ts")]);
    expect(codes(d)).toEqual(["CODE_NOT_LISTED"]);
    expect(d[0]?.fix).toContain("scripts/lib/ci/codes.ts");
  });

  it('takes a bare prefix such as `code: "GITLAB"` (of GITLAB_URL_INVALID) for no code', () => {
    const tables = [table("http", "GITLAB_URL_INVALID")];
    const uses = [use("GITLAB_URL_INVALID", "scripts/lib/http/base-url.ts"), use("GITLAB", "scripts/lib/gitlab-api/client.ts")];
    expect(checkCodes(tables, uses)).toEqual([]);
  });

  it("fails on an entry without a fix", () => {
    const t = table("cli", "INTERNAL");
    (t.codes[0] as { fix: string }).fix = " ";
    expect(codes(checkCodes([t], [use("INTERNAL", "scripts/lib/cli/failure.ts")]))).toEqual(["CODE_TEXT_MISSING"]);
  });
});

describe("docs/errors.md", () => {
  it("is a table per subsystem (in the subsystems' order) of code, meaning, fix and exit code, saying it is generated", () => {
    const http = table("http", "NETWORK_RETRIES_EXHAUSTED");
    const cli: CodeTableFile = {
      subsystem: "cli",
      file: "scripts/lib/cli/codes.ts",
      codes: [
        { code: "OPTION_INVALID", summary: "a bad option | flag", fix: "see --help", exitCode: 2, line: 3 },
        { code: "INTERNAL", summary: "a bug", fix: "report it", line: 4 },
      ],
    };
    const doc = errorsDoc([http, cli, table("empty")]);
    expect(doc).toContain("Generated by `npm run generate` (scripts/lib/toolchain/error-codes.ts)");
    expect(doc.indexOf("## cli")).toBeLessThan(doc.indexOf("## http"));
    expect(doc).not.toContain("## empty");
    expect(doc).toContain("| Code | What it means | Fix | Exit code |");
    expect(doc).toContain("| `INTERNAL` | a bug | report it |  |\n| `OPTION_INVALID` | a bad option \\| flag | see --help | 2 |");
    expect(doc).toContain("| `NETWORK_RETRIES_EXHAUSTED` | NETWORK_RETRIES_EXHAUSTED happened | undo NETWORK_RETRIES_EXHAUSTED |  |");
  });

  it("is planned from every scripts/lib/*/codes.ts found, and the uses under scripts/ are judged against them", () => {
    const root = mkdtempSync(join(tmpdir(), "error-codes-"));
    try {
      mkdirSync(join(root, "scripts/lib/newsub"), { recursive: true });
      writeFileSync(
        join(root, "scripts/lib/newsub/codes.ts"),
        'export const CODES = { NEW_THING: { summary: "a new thing", fix: "fix it" }, OLD_THING: { summary: "old", fix: "drop it" }, BY_HELPER: { summary: "h", fix: "f" } } as const;\n' +
          "export function newsubError(code: NewsubCode, message: string) { return new CliError({ code, message }); }\n",
      );
      // A helper declared in codes.ts is found, and so is its call in a file that never says "code".
      writeFileSync(join(root, "scripts/lib/newsub/y.ts"), 'throw newsubError("BY_HELPER", "m");\n');
      writeFileSync(
        join(root, "scripts/lib/newsub/x.ts"),
        'throw new CliError({ code: "NEW_THING", message: "m" });\nthrow new CliError({ code: "UNLISTED" });\n',
      );
      const p = planErrorCodes(root);
      expect(p.files[0]?.path).toBe(join(root, "docs/errors.md"));
      expect(p.files[0]?.content).toContain("| `NEW_THING` | a new thing | fix it |  |");
      expect(p.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual([
        "CODE_NOT_LISTED scripts/lib/newsub/x.ts:2",
        "CODE_NOT_USED scripts/lib/newsub/codes.ts:1",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("plans nothing for a root without scripts/lib (a bare copy of the templates)", () => {
    const root = mkdtempSync(join(tmpdir(), "error-codes-"));
    try {
      expect(planErrorCodes(root)).toEqual({ files: [], diagnostics: [] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the project's own codes", () => {
  it("are each listed once with a fix, and every listed code is raised", () => {
    const d = planErrorCodes(projectRoot).diagnostics;
    expect(d.map((x) => `${x.file}:${x.line} ${x.code} ${x.message}`)).toEqual([]);
  }, 60_000); // parses every file of scripts/ and bin/ with TypeScript
});
