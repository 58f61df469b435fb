// One error shape for every check: a stable code, where, what was expected and found, and the fix.

export interface Location {
  file: string;
  /** 1-based; 0 when the problem is the whole file. */
  line: number;
  /** 1-based; 0 when the problem is the whole line or file. */
  column: number;
}

export interface Diagnostic extends Location, ApiProblem {
  severity: "error" | "warning";
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column || 1}` : d.file;
  return `${where}: ${formatProblem(d, d.severity)}`;
}

/** Thrown where a check cannot go on; carries its diagnostics. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "DiagnosticError";
  }
}

/** 1-based line and column of a character offset in a text. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// Errors of the commands (usage, configuration, GitLab and Harbor answers): no file location.
export interface ApiProblem {
  /** Stable, SCREAMING_SNAKE: `GITLAB_INSUFFICIENT_SCOPE`, `HARBOR_PROJECT_NOT_FOUND`, ... */
  code: string;
  /** What happened, one sentence naming the subject. */
  message: string;
  expected?: string;
  actual?: string;
  fix?: string;
}

export class CliError extends Error implements ApiProblem {
  readonly code: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly fix?: string;
  /** Exit code of the command that fails with this error: 2 = usage or configuration, 1 = the rest. */
  readonly exitCode: number;

  constructor(problem: ApiProblem & { exitCode?: number; cause?: unknown }) {
    super(problem.message, problem.cause === undefined ? undefined : { cause: problem.cause });
    this.name = "CliError";
    this.code = problem.code;
    if (problem.expected !== undefined) this.expected = problem.expected;
    if (problem.actual !== undefined) this.actual = problem.actual;
    if (problem.fix !== undefined) this.fix = problem.fix;
    this.exitCode = problem.exitCode ?? 1;
  }
}

/** A usage or configuration error (missing option or variable): exit code 2. */
export function usageError(code: string, message: string, fix: string, extra: Partial<ApiProblem> = {}): CliError {
  return new CliError({ code, message, fix, ...extra, exitCode: 2 });
}

export function formatProblem(p: ApiProblem, prefix = "error"): string {
  const lines = [`${prefix} ${p.code}: ${p.message}`];
  if (p.expected !== undefined) lines.push(`  expected: ${p.expected}`);
  if (p.actual !== undefined) lines.push(`  actual:   ${p.actual}`);
  if (p.fix !== undefined) lines.push(`  fix:      ${p.fix}`);
  return lines.join("\n");
}
