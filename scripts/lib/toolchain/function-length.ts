// Functions a reader can hold in their head: finds every function in a source text longer than
// MAX_FUNCTION_LINES, with TypeScript's own parser. Pure (text in, findings out), so the test can
// hand it a 121-line function; scripts/check-functions.ts walks scripts/ and bin/ with it.
//
// How lines count: a function's length is its full span, from the line its declaration starts on
// (the name, or the parameters of an arrow) to the line of its closing brace, blank lines and
// comments included. A nested function counts toward its own length and also toward its outer
// function's span: moving a block into a closure does not shorten the outer function.
import ts from "typescript";
import type { Diagnostic } from "../cli/diagnostics.ts";
import { CODES, type ToolchainCode } from "./codes.ts";

export const MAX_FUNCTION_LINES = 120;

export interface LongFunction {
  file: string;
  /** Best name a reader can search for: `name`, `Class.method`, or `<anonymous>`. */
  name: string;
  /** 1-based line where the function starts. */
  line: number;
  /** Lines from start to closing brace, both included. */
  length: number;
}

function nameOf(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  const own = node.name && !ts.isComputedPropertyName(node.name) ? node.name.getText(sf) : undefined;
  const parent = node.parent;
  if (ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
    const owner = ts.isClassLike(parent) && parent.name ? `${parent.name.text}.` : "";
    return `${owner}${ts.isConstructorDeclaration(node) ? "constructor" : (own ?? "<computed>")}`;
  }
  if (own) return own;
  // An arrow or function expression takes the name of what it is assigned to or passed as.
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(sf);
  }
  if (ts.isBinaryExpression(parent)) return parent.left.getText(sf);
  if (ts.isCallExpression(parent)) return `<callback of ${parent.expression.getText(sf).slice(0, 60)}>`;
  return "<anonymous>";
}

/** Every function-like node in `text` longer than `max` lines. */
export function findLongFunctions(file: string, text: string, max = MAX_FUNCTION_LINES): LongFunction[] {
  const kind = file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const start = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(fn.getEnd()).line;
      const length = end - start + 1;
      if (length > max) out.push({ file, name: nameOf(fn, sf), line: start + 1, length });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function longFunctionDiagnostic(f: LongFunction, max = MAX_FUNCTION_LINES): Diagnostic {
  return {
    code: "FUNCTION_TOO_LONG" satisfies ToolchainCode,
    severity: "error",
    file: f.file,
    line: f.line,
    column: 0,
    message: `function ${f.name} is ${f.length} lines long`,
    expected: `at most ${max} lines`,
    actual: `${f.length} lines`,
    fix: CODES.FUNCTION_TOO_LONG.fix,
  };
}
