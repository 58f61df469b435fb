// What a network command needs from the outside world, injectable so that tests run commands
// in-process against a local server and read exactly what would reach the terminal.

import { formatProblem, CliError } from "./diagnostics.ts";
import { debugEnabled, describeFailure } from "./failure.ts";
import { inertOutput } from "./inert.ts";
import { type Redactor, redactingWriter } from "./redact.ts";

export interface CommandIO {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function processIO(): CommandIO {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  };
}

/** An HTTP call as shown by --dry-run and --verbose (never with credentials). */
export interface CallRecord {
  method: string;
  url: string;
  /** Who the call authenticates as (user name only), e.g. `admin` or `GITLAB_TOKEN`. */
  as?: string;
  body?: unknown;
  /** False for the writes that --dry-run leaves out. */
  sent: boolean;
}

export function formatCall(call: CallRecord, redactor: Redactor): string {
  const parts = [`${call.method.padEnd(5)} ${call.url}`];
  if (call.as) parts.push(`as ${call.as}`);
  if (call.body !== undefined) parts.push(`body ${JSON.stringify(redactor.redactValue(call.body))}`);
  parts.push(call.sent ? "(sent)" : "(not sent: dry run)");
  return redactor.scrub(parts.join("  "));
}

/** Output of one command run: every line scrubbed of the secrets the redactor knows. */
export class Output {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  private readonly debug: boolean;
  constructor(
    io: CommandIO,
    readonly redactor: Redactor,
  ) {
    this.debug = debugEnabled(io.env);
    this.out = redactingWriter(io.stdout, redactor);
    this.err = redactingWriter(io.stderr, redactor);
  }
  // Every line is inert (cli/inert.ts): server text never reaches a terminal as control sequences.
  line(text = ""): void {
    this.out(inertOutput(text) + "\n");
  }
  warn(text: string): void {
    this.err(inertOutput(text) + "\n");
  }
  /** Prints an error the way every command does and returns the exit code to use. */
  fail(err: unknown): number {
    if (err instanceof CliError) {
      this.err(inertOutput(formatProblem(err)) + "\n");
      return err.exitCode;
    }
    const { text, exitCode } = describeFailure(err, this.debug);
    this.err(text + "\n");
    return exitCode;
  }
}
