// Runs a command in-process with a given environment, and returns what reached stdout and stderr.

import type { CommandIO } from "../../../scripts/lib/cli/io.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for "never printed" assertions. */
  all: string;
}

export async function runCommand(
  main: (argv: string[], io: CommandIO) => Promise<number>,
  argv: string[],
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { env, cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr, all: stdout + stderr };
}

/** The code of the first `error CODE:` line printed. */
export function errorCodeOf(r: RunResult): string | undefined {
  return /^error ([A-Z0-9_]+):/m.exec(r.stderr)?.[1];
}
