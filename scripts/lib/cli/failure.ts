// The last line of defence: any failure becomes a coded diagnostic. A stack trace is shown only
// when asked for (--debug or HARBOR_CI_DEBUG=1), for a bug report; never by default.

import { CliError, DiagnosticError, formatDiagnostic, formatProblem } from "./diagnostics.ts";

export const DEBUG_ENV = "HARBOR_CI_DEBUG";

export function debugEnabled(env: Record<string, string | undefined>): boolean {
  const v = env[DEBUG_ENV];
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/** A stack frame line as V8 prints it (`    at fn (file:line:col)`). */
export const STACK_FRAME = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)\s*$/m;

/** The text to print for `err`, and the exit code. Never a stack unless `debug`. */
export function describeFailure(err: unknown, debug: boolean): { text: string; exitCode: number } {
  if (err instanceof CliError) return { text: formatProblem(err), exitCode: err.exitCode };
  if (err instanceof DiagnosticError) return { text: err.diagnostics.map(formatDiagnostic).join("\n"), exitCode: 1 };
  const name = err instanceof Error ? err.name : typeof err;
  // First line only: some messages (SyntaxError from JSON, Node's fs errors) embed more.
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 300);
  const text = formatProblem({
    code: "INTERNAL",
    message: `harbor-ci failed unexpectedly (${name}: ${message})`,
    fix: `this is a bug in harbor-ci: run the command again with --debug (or ${DEBUG_ENV}=1) and report the output`,
  });
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : "";
  return { text: text + stack, exitCode: 1 };
}
