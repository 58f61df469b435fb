#!/usr/bin/env node
// Thin entry point: the CLI is TypeScript, run through tsx so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../scripts/cli.ts");
process.exitCode = await main(process.argv.slice(2));
