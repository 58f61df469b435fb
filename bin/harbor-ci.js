#!/usr/bin/env node
// Thin entry point. In a source checkout (scripts/cli.ts exists) the CLI runs from its TypeScript
// sources through tsx, so there is no build to forget while developing. The published package
// ships no sources, only dist/cli.js, the CLI and its dependencies bundled into one file
// (`npm run build`, run by `npm pack`; scripts/build.ts), and needs no TypeScript compiler or
// loader, nor any other package. Whatever escapes main() is still reported as a coded problem,
// never as a bare stack trace.
import { existsSync } from "node:fs";

// Same rule as scripts/lib/cli/failure.ts debugEnabled: set, and not 0 or false.
const flag = process.env.HARBOR_CI_DEBUG ?? "";
const debug = (flag !== "" && flag !== "0" && flag.toLowerCase() !== "false") || process.argv.includes("--debug");

try {
  const source = new URL("../scripts/cli.ts", import.meta.url);
  let main;
  if (existsSync(source)) {
    const { register } = await import("tsx/esm/api");
    register();
    ({ main } = await import(source.href));
  } else {
    // With --debug, stack traces name the TypeScript sources (dist/cli.js.map), as in a checkout.
    // Only then: reading the map costs time on every start.
    if (debug) process.setSourceMapsEnabled(true);
    ({ main } = await import("../dist/cli.js"));
  }
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  process.stderr.write(
    `error INTERNAL: harbor-ci could not start (${message})\n  fix:      run \`npm ci\` in the project (or reinstall the package), then again with --debug and report the output\n`,
  );
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
  process.exitCode = 1;
}
