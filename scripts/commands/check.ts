import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Command } from "./command.ts";
import { OPTIONS_HELP, planFromArgs } from "./generate.ts";
import { createTwoFilesPatch } from "diff";
import { report, stale } from "../lib/toolchain/toolchain.ts";
import { checkPackageVersion, packageInfo } from "../lib/release/package-info.ts";
import { checkPackageName } from "../lib/release/npm.ts";

export const command: Command = {
  summary: "fail when a generated file is stale or a template breaks a rule (writes nothing)",
  help: `Usage: harbor-ci check [--root DIR] [--gitlab-schema PATH | --no-gitlab-schema]

Writes nothing. Exits 1 and prints, for every generated file that differs from what
\`npm run generate\` would write, a diff and the command that fixes it; and every template rule
violation with its code, file:line:column, expected and actual values and the fix.

${OPTIONS_HELP}

Example:
  npm run check
  GITLAB_CI_SCHEMA=/path/to/a/newer/ci.json npm run check`,
  async run(argv) {
    const started = Date.now();
    const result = planFromArgs("check", argv);
    // In a tag pipeline the package version must be the tag (the npm package is that release).
    const versionProblem = checkPackageVersion(process.env.CI_COMMIT_TAG, packageInfo().version);
    if (versionProblem) result.diagnostics.push(versionProblem);
    // In the library's own pipeline: the committed package name is the one this group publishes.
    const nameProblem = checkPackageName(packageInfo().name, process.env.CI_PROJECT_ROOT_NAMESPACE, process.env.CI_COMMIT_TAG);
    if (nameProblem) result.diagnostics.push(nameProblem);
    const outdated = stale(result.files);
    for (const file of outdated) {
      const path = relative(process.cwd(), file.path);
      const current = existsSync(file.path) ? readFileSync(file.path, "utf8") : "";
      process.stdout.write(`stale: ${path} (fix: npm run generate)\n`);
      process.stdout.write(createTwoFilesPatch(path, path, current, file.content, "on disk", "generated", { context: 3 }));
    }
    for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    if (result.diagnostics.length) process.stdout.write(report(result.diagnostics) + "\n");
    const components = result.schemas.size;
    if (outdated.length || errors.length) {
      process.stdout.write(
        `check failed: ${outdated.length} stale file(s)${outdated.length ? " (run `npm run generate`)" : ""}, ${errors.length} rule violation(s)\n`,
      );
      return 1;
    }
    process.stdout.write(`check passed: ${components} component(s), ${result.files.length} generated file(s) up to date, ${Date.now() - started} ms\n`);
    return 0;
  },
};
