// Text from a server (a description, a package name, an error message) is shown inert: control
// characters and escape sequences (ESC [2J clears the screen, OSC 8 makes links, C1 controls act
// like ESC on some terminals) are written as visible `\x1b`-style escapes, never sent raw to a
// terminal or a job log. Bidirectional overrides, which reorder what a reader sees, are shown too.
import { CliError } from "./diagnostics.ts";

/** C0 controls (incl. ESC, CR, LF, TAB), DEL, C1 controls, and the bidirectional override and isolate characters. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOf(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every control character shown as an escape (`\x1b[2J`), so that it prints on one line and does nothing. */
export function inert(text: string): string {
  return text.replace(UNSAFE, escapeOf);
}

/** As inert, but keeps line breaks (LF) of a multi-line text of our own that embeds untrusted pieces. */
export function inertLines(text: string): string {
  return text
    .split("\n")
    .map((l) => inert(l))
    .join("\n");
}

/** What a command prints: inert, but its own line breaks and tabs kept (Output applies it to every line). */
export function inertOutput(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch === "\n" || ch === "\t" ? ch : escapeOf(ch)));
}

/** An error whose texts (often quoting a server's answer) are shown inert; other values pass unchanged. */
export function inertProblem(err: unknown): unknown {
  if (!(err instanceof CliError)) return err;
  return new CliError({
    code: err.code,
    message: inert(err.message),
    ...(err.expected !== undefined ? { expected: inert(err.expected) } : {}),
    ...(err.actual !== undefined ? { actual: inert(err.actual) } : {}),
    ...(err.fix !== undefined ? { fix: inert(err.fix) } : {}),
    exitCode: err.exitCode,
    cause: err,
  });
}
