import { join } from "node:path";
import type { Command } from "../cli.ts";
import { last, parseArgs, UsageError } from "../lib/args.ts";
import { formatDiagnostic } from "../lib/diagnostics.ts";
import { projectRoot } from "../lib/project.ts";
import { loadSchemas, validatePipeline } from "../lib/validate.ts";

export const command: Command = {
  summary: "check a pipeline's includes of these components offline (inputs, names, pinning)",
  help: `Usage: harbor-ci validate [.gitlab-ci.yml] [--format text|json] [--library NAME] [--schemas DIR]

Finds every \`include: - component: .../<library>/<name>@<version>\` in the pipeline (following
local includes), checks its inputs against the components' published JSON Schemas with GitLab's
own messages, suggests the nearest name for an unknown component or input, and warns about
references that are not pinned (~latest, 1, 1.2, branches).
Exit code: 1 when there are errors, 0 otherwise (warnings included). Offline: nothing is sent.

Options:
  --format json      machine-readable output for editors and CI
  --library NAME     the project path suffix that identifies this library (default: harbor-ci-components)
  --schemas DIR      folder with <component>/inputs.schema.json (default: this package's templates/)

Examples:
  npx harbor-ci validate
  npx harbor-ci validate ci/pipeline.yml --format json`,
  async run(argv) {
    try {
      const args = parseArgs(argv, { values: ["format", "library", "schemas"] });
      const format = last(args, "format") ?? "text";
      if (format !== "text" && format !== "json") throw new UsageError(`--format ${format}: use text or json`);
      if (args.positional.length > 1) throw new UsageError("give at most one pipeline file");
      const file = args.positional[0] ?? ".gitlab-ci.yml";
      const schemas = loadSchemas(last(args, "schemas") ?? join(projectRoot, "templates"));
      const result = validatePipeline({ file, projectDir: process.cwd(), schemas, library: last(args, "library") ?? "harbor-ci-components" });
      const errors = result.diagnostics.filter((d) => d.severity === "error").length;
      const warnings = result.diagnostics.length - errors;
      if (format === "json") {
        process.stdout.write(JSON.stringify({ file, errors, warnings, includes: result.includes, diagnostics: result.diagnostics }, null, 2) + "\n");
      } else {
        for (const d of result.diagnostics) process.stdout.write(formatDiagnostic(d) + "\n");
        process.stdout.write(`${file}: ${result.includes.length} component include(s), ${errors} error(s), ${warnings} warning(s)\n`);
      }
      return errors ? 1 : 0;
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`harbor-ci validate: ${e.message}\nRun \`harbor-ci validate --help\` for usage.\n`);
        return 2;
      }
      throw e;
    }
  },
};
