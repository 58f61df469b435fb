// One error shape for the commands that talk to GitLab and Harbor: a stable code (tests assert it,
// not the wording), what happened, expected vs actual, and the fix.

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

/** An HTTP answer outside 2xx, kept raw so that callers can map it to a CliError with context. */
export class HttpStatusError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${url} returned HTTP ${status}`);
    this.name = "HttpStatusError";
  }
}
