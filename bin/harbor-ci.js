#!/usr/bin/env node
// Thin entry point: the CLI is TypeScript, run through tsx so there is no build step to forget.
// Whatever escapes main() is still reported as a coded problem, never as a bare stack trace.
try {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../scripts/cli.ts");
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Same rule as scripts/lib/failure.ts debugEnabled: set, and not 0 or false.
  const flag = process.env.HARBOR_CI_DEBUG ?? "";
  const debug = (flag !== "" && flag !== "0" && flag.toLowerCase() !== "false") || process.argv.includes("--debug");
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  process.stderr.write(`error INTERNAL: harbor-ci could not start (${message})\n  fix:      run \`npm ci\` in the project, then again with --debug and report the output\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
  process.exitCode = 1;
}
