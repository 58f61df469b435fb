#!/usr/bin/env node
// Thin entry point. In a source checkout (scripts/cli.ts exists) the CLI runs from its TypeScript
// sources through tsx, so there is no build to forget while developing. The published package
// ships no sources, only the compiled dist/ (`npm run build`, run by `npm pack`), and needs no
// TypeScript compiler or loader.
import { existsSync } from "node:fs";

const source = new URL("../scripts/cli.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../dist/cli.js"));
}
process.exitCode = await main(process.argv.slice(2));
