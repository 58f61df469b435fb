// Error codes: each subsystem lists the codes it raises in scripts/lib/<subsystem>/codes.ts (the
// shape is CodeTable in scripts/lib/cli/codes.ts). This file reads those tables and every code
// literal under scripts/ and bin/ (with TypeScript's parser, so comments and messages never
// count), judges the two against each other, and writes docs/errors.md from the tables.
// Pure where it judges: checkCodes and errorsDoc take what was read, so tests hand them fixtures.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import type { Diagnostic } from "../cli/diagnostics.ts";
import { SUBSYSTEMS } from "./subsystems.ts";

/** The generated table of codes, relative to the project root. */
export const ERRORS_DOC = "docs/errors.md";

/** A code as a code table lists it. */
export interface ListedCode {
  code: string;
  summary: string;
  fix: string;
  exitCode?: number;
  line: number;
}

export interface CodeTableFile {
  subsystem: string;
  /** Repository-relative, forward slashes: scripts/lib/<subsystem>/codes.ts. */
  file: string;
  codes: ListedCode[];
}

/** A code literal where an error is raised. */
export interface CodeUse {
  code: string;
  /** Repository-relative, forward slashes. */
  file: string;
  line: number;
  column: number;
}

const CODE_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
/** A subsystem's code union, e.g. HttpCode, RuleCode (not CodeTable: the tables are read apart). */
const CODE_TYPE = /\b[A-Z][A-Za-z]*Code\b/;

const tableFile = (subsystem: string) => `scripts/lib/${subsystem}/codes.ts`;

/**
 * A command's own codes (its usage errors) belong to the subsystem whose library it runs: a reader
 * of docs/errors.md finds `setup`'s errors under setup. A command may also raise any subsystem's
 * code, since it sits on top of them all. Commands not named here list theirs in cli/.
 */
export const COMMAND_TABLES: Record<string, string> = {
  render: "ci",
  validate: "validate",
  setup: "setup",
  scan: "scan",
  versions: "gitlab-api",
  lint: "gitlab-api",
  "release-notes": "release",
  generate: "toolchain",
  check: "toolchain",
};

/** Which table a file's codes go in, and which tables it may use (its own and those of what it may import). */
export function codeOwner(file: string, tables: ReadonlySet<string>): { table: string; uses: string[] | "all" } {
  const lib = /^scripts\/lib\/([^/]+)\//.exec(file);
  const importable = (sub: string) => {
    const known = (SUBSYSTEMS as Record<string, { imports: string[] } | undefined>)[sub];
    return [sub, ...(known ? known.imports : ["cli"])];
  };
  if (lib) return { table: lib[1] as string, uses: importable(lib[1] as string) };
  const command = /^scripts\/commands\/([^/]+)\.ts$/.exec(file);
  if (command) {
    const named = COMMAND_TABLES[command[1] as string];
    // scan's table may not exist yet (its subsystem arrives separately): then harbor-api's.
    const table = named === "scan" && !tables.has("scan") ? "harbor-api" : (named ?? "cli");
    return { table, uses: "all" };
  }
  if (/^scripts\/release\//.test(file)) return { table: "release", uses: importable("release") };
  if (file === "scripts/cli.ts" || file.startsWith("bin/")) return { table: "cli", uses: ["cli"] };
  // The rest of scripts/ (vendor refresh, local pipeline, runner, benchmarks) is developer tooling.
  return { table: "toolchain", uses: importable("toolchain") };
}

function stringValue(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return stringValue(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = stringValue(node.left);
    const right = stringValue(node.right);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  return undefined;
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isSatisfiesExpression(n) || ts.isAsExpression(n) || ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

const propertyName = (name: ts.PropertyName): string | undefined => (ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined);

/** The CODES table of one codes.ts, read without running it (fixtures and a broken table included). */
export function parseCodeTable(text: string, file: string, subsystem: string): { table: CodeTableFile; diagnostics: Diagnostic[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const diagnostics: Diagnostic[] = [];
  const unreadable = (node: ts.Node | undefined, message: string): void => {
    diagnostics.push({
      code: "CODES_TABLE_UNREADABLE",
      severity: "error",
      file,
      line: node ? line(node) : 0,
      column: 0,
      message,
      expected: 'export const CODES = { SOME_CODE: { summary: "…", fix: "…" }, … } as const satisfies CodeTable;',
      fix: "write each entry as a plain object of string literals (summary, fix; exitCode a number literal), as scripts/lib/cli/codes.ts does",
    });
  };
  const table: CodeTableFile = { subsystem, file, codes: [] };
  let found: ts.Expression | undefined;
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === "CODES" && d.initializer) found = d.initializer;
  }
  const object = found && unwrap(found);
  if (!object || !ts.isObjectLiteralExpression(object)) {
    unreadable(found, `${file} has no \`export const CODES = { … }\` object`);
    return { table, diagnostics };
  }
  for (const p of object.properties) {
    const name = ts.isPropertyAssignment(p) ? propertyName(p.name) : undefined;
    const value = ts.isPropertyAssignment(p) ? unwrap(p.initializer) : undefined;
    if (name === undefined || !value || !ts.isObjectLiteralExpression(value)) {
      unreadable(p, `an entry of CODES in ${file} is not \`NAME: { summary, fix }\``);
      continue;
    }
    const entry: ListedCode = { code: name, summary: "", fix: "", line: line(p) };
    for (const f of value.properties) {
      const key = ts.isPropertyAssignment(f) ? propertyName(f.name) : undefined;
      if (!ts.isPropertyAssignment(f) || key === undefined) continue;
      if (key === "exitCode" && ts.isNumericLiteral(f.initializer)) entry.exitCode = Number(f.initializer.text);
      else if (key === "summary" || key === "fix") {
        const s = stringValue(f.initializer);
        if (s === undefined) unreadable(f, `${name}.${key} in ${file} is not a string literal`);
        else entry[key] = s;
      }
    }
    table.codes.push(entry);
  }
  return { table, diagnostics };
}

const parsed = (text: string | ts.SourceFile, file: string): ts.SourceFile =>
  typeof text === "string" ? ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) : text;

/** Names of functions (and classes whose constructor) take `code` first: the helpers that raise a coded error. */
export function codeHelpers(text: string | ts.SourceFile, file: string): string[] {
  const source = parsed(text, file);
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && !ts.isFunctionTypeNode(node)) {
      const first = node.parameters[0];
      if (first && ts.isIdentifier(first.name) && first.name.text === "code") {
        const parent = node.parent;
        const name =
          (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name
            ? node.name
            : ts.isConstructorDeclaration(node) // `new SomeError(code, …)`
              ? node.parent.name
              : parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
                ? parent.name
                : undefined;
        if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) names.push(name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/**
 * Every code literal where an error is raised: the value of a `code:` property (each branch of a
 * `?:`), the first argument of a call (or `new`) of a helper named in `helpers`, and the strings of an
 * expression that `satisfies` (or is `as`) a code union type. Comparisons such as
 * `err.code === "X"` read a code another part raised, so they are not uses.
 */
export function findCodeUses(text: string | ts.SourceFile, file: string, helpers: ReadonlySet<string>): CodeUse[] {
  const source = parsed(text, file);
  const uses: CodeUse[] = [];
  const collect = (expr: ts.Expression): void => {
    const e = unwrap(expr);
    if (ts.isConditionalExpression(e)) {
      collect(e.whenTrue);
      collect(e.whenFalse);
    } else if ((ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && CODE_NAME.test(e.text)) {
      const at = source.getLineAndCharacterOfPosition(e.getStart(source));
      uses.push({ code: e.text, file, line: at.line + 1, column: at.character + 1 });
    }
  };
  const deep = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) collect(node);
    else ts.forEachChild(node, deep);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && propertyName(node.name) === "code") collect(node.initializer);
    // A table of codes typed with a subsystem's code union (`… satisfies Record<K, HttpCode>`).
    if ((ts.isSatisfiesExpression(node) || ts.isAsExpression(node)) && CODE_TYPE.test(node.type.getText(source))) deep(node.expression);
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.[0]) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name !== undefined && helpers.has(name)) collect(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

const addFix = (table: string) =>
  `add it to ${tableFile(table)} with a summary and a fix (the shape: CodeTable in scripts/lib/cli/codes.ts), then run \`npm run generate\``;

/** Codes used but listed nowhere the file may use, codes listed but never raised, codes listed twice, entries without text. */
export function checkCodes(tables: CodeTableFile[], uses: CodeUse[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bySubsystem = new Map(tables.map((t) => [t.subsystem, t]));
  const names = new Set(bySubsystem.keys());
  const usedFrom = new Map<string, Set<string>>(); // "table code" pairs a raise may count for
  const err = (d: Omit<Diagnostic, "severity" | "column"> & { column?: number }): void => {
    out.push({ severity: "error", column: 0, ...d });
  };
  for (const use of uses) {
    const owner = codeOwner(use.file, names);
    const allowed = owner.uses === "all" ? [...names] : owner.uses.filter((s) => names.has(s));
    const listedIn = allowed.filter((s) => bySubsystem.get(s)?.codes.some((c) => c.code === use.code));
    for (const s of listedIn) {
      if (!usedFrom.has(s)) usedFrom.set(s, new Set());
      usedFrom.get(s)?.add(use.code);
    }
    if (listedIn.length > 0) continue;
    // `code: "GITLAB"` names the prefix of codes a helper writes out (http/base-url.ts), not a code.
    if (!use.code.includes("_") && tables.some((t) => t.codes.some((c) => c.code.startsWith(`${use.code}_`)))) continue;
    const elsewhere = tables.filter((t) => t.codes.some((c) => c.code === use.code)).map((t) => t.file);
    err({
      code: "CODE_NOT_LISTED",
      file: use.file,
      line: use.line,
      column: use.column,
      message: `error code ${use.code} is raised here but listed in no code table this file may use`,
      expected: `${use.code} in ${owner.uses === "all" ? "any scripts/lib/*/codes.ts" : owner.uses.map(tableFile).join(" or ")}`,
      actual: elsewhere.length
        ? `listed only in ${elsewhere.join(", ")}, a subsystem ${use.file} may not import`
        : `listed nowhere${bySubsystem.has(owner.table) ? "" : ` (${tableFile(owner.table)} does not exist yet)`}`,
      fix: addFix(owner.table),
    });
  }
  const firstTable = new Map<string, string>();
  for (const t of tables) {
    for (const c of t.codes) {
      const where = { file: t.file, line: c.line };
      if (!CODE_NAME.test(c.code)) {
        err({
          code: "CODE_NAME_INVALID",
          ...where,
          message: `${c.code} is not a code name`,
          expected: "SCREAMING_SNAKE_CASE",
          actual: c.code,
          fix: "rename it",
        });
      }
      if (c.summary.trim() === "" || c.fix.trim() === "") {
        err({
          code: "CODE_TEXT_MISSING",
          ...where,
          message: `${c.code} has no ${c.summary.trim() === "" ? "summary" : "fix"}`,
          fix: "write a one-line summary (what went wrong) and the usual fix",
        });
      }
      const first = firstTable.get(c.code);
      if (first !== undefined) {
        err({
          code: "CODE_LISTED_TWICE",
          ...where,
          message: `${c.code} is listed in ${first} and again in ${t.file}`,
          expected: "each code in one table, so that it has one meaning and one row in docs/errors.md",
          actual: `${first}, ${t.file}`,
          fix: "keep it in the table of the subsystem that raises it; a subsystem may raise the codes of those it may import (scripts/lib/toolchain/subsystems.ts)",
        });
      } else firstTable.set(c.code, t.file);
      if (!usedFrom.get(t.subsystem)?.has(c.code)) {
        err({
          code: "CODE_NOT_USED",
          ...where,
          message: `${c.code} is listed in ${t.file} but no code under scripts/ or bin/ that may use this table raises it`,
          expected: `\`code: "${c.code}"\` or a code helper called with "${c.code}" in scripts/lib/${t.subsystem}/ or a file that may import it`,
          actual: "no such use",
          fix: `delete the entry (the table is stale), or, if the code is raised in a way this check does not see, raise it through a helper whose first parameter is named \`code\``,
        });
      }
    }
  }
  return out;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** docs/errors.md: one table per subsystem, in the order of SUBSYSTEMS, then any other in name order. */
export function errorsDoc(tables: CodeTableFile[]): string {
  const order = Object.keys(SUBSYSTEMS);
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  const sorted = [...tables].filter((t) => t.codes.length > 0).sort((a, b) => rank(a.subsystem) - rank(b.subsystem) || a.subsystem.localeCompare(b.subsystem));
  const total = sorted.reduce((n, t) => n + t.codes.length, 0);
  const lines = [
    "# Error codes",
    "",
    "<!-- Generated by `npm run generate` (scripts/lib/toolchain/error-codes.ts) from scripts/lib/*/codes.ts.",
    "     Do not edit: change the codes.ts tables; `npm run check` fails when this file is stale. -->",
    "",
    "Every error `harbor-ci` and `npm run check` print starts with a stable code, then says what it saw",
    "and the fix: `error CODE: message`, with `expected:`, `actual:` and `fix:` lines. This page lists",
    `every code (${total}), grouped by the part of the library that raises it, with what it means and`,
    "the usual fix. Exit codes: 2 for a usage or configuration error (given below where a code always",
    "has it), 1 for the rest; `scan` documents its own in [the CLI reference](cli.md).",
    "",
  ];
  for (const t of sorted) {
    const knows = (SUBSYSTEMS as Record<string, { knows: string } | undefined>)[t.subsystem]?.knows;
    lines.push(`## ${t.subsystem}`, "");
    if (knows) lines.push(`${knows.charAt(0).toUpperCase()}${knows.slice(1)}. Listed in \`${t.file}\`.`, "");
    else lines.push(`Listed in \`${t.file}\`.`, "");
    lines.push("| Code | What it means | Fix | Exit code |", "| --- | --- | --- | --- |");
    for (const c of [...t.codes].sort((a, b) => a.code.localeCompare(b.code))) {
      lines.push(`| \`${c.code}\` | ${cell(c.summary)} | ${cell(c.fix)} | ${c.exitCode ?? ""} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === "node_modules" ? [] : walk(p);
    return /\.(ts|js)$/.test(d.name) && !/\.d\.ts$/.test(d.name) ? [p] : [];
  });
}

/** What generate writes (docs/errors.md) and what is wrong; nothing when the root has no scripts/lib (a bare copy of the templates). */
export function planErrorCodes(root: string): { files: Array<{ path: string; content: string }>; diagnostics: Diagnostic[] } {
  const lib = join(root, "scripts", "lib");
  if (!existsSync(lib)) return { files: [], diagnostics: [] };
  const rel = (p: string) => relative(root, p).split("\\").join("/");
  const diagnostics: Diagnostic[] = [];
  const tables: CodeTableFile[] = [];
  // Every scripts/lib/*/codes.ts, whoever added it: a new subsystem's table is found without a list.
  for (const d of readdirSync(lib, { withFileTypes: true })) {
    const path = join(lib, d.name, "codes.ts");
    if (!d.isDirectory() || !existsSync(path)) continue;
    const parsed = parseCodeTable(readFileSync(path, "utf8"), rel(path), d.name);
    tables.push(parsed.table);
    diagnostics.push(...parsed.diagnostics);
  }
  // codes.ts files too: one may hold its subsystem's helper (scan's scanError).
  const sources = [...walk(join(root, "scripts")), ...walk(join(root, "bin"))].map((p) => ({ file: rel(p), raw: readFileSync(p, "utf8") }));
  // Parsing is the cost: a helper is declared only where `code` is written, and a file that
  // names neither `code` nor a helper raises nothing.
  const parsedOnce = new Map<string, ts.SourceFile>();
  const sourceOf = (s: { file: string; raw: string }) => {
    if (!parsedOnce.has(s.file)) parsedOnce.set(s.file, parsed(s.raw, s.file));
    return parsedOnce.get(s.file) as ts.SourceFile;
  };
  const saysCode = (raw: string) => /\bcode\b/.test(raw);
  const helpers = new Set(sources.filter((s) => saysCode(s.raw)).flatMap((s) => codeHelpers(sourceOf(s), s.file)));
  const raising = sources.filter((s) => saysCode(s.raw) || [...helpers].some((h) => s.raw.includes(`${h}(`)));
  const uses = raising.flatMap((s) => findCodeUses(sourceOf(s), s.file, helpers));
  diagnostics.push(...checkCodes(tables, uses));
  return { files: [{ path: join(root, ERRORS_DOC), content: errorsDoc(tables) }], diagnostics };
}
