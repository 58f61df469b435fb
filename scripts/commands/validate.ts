import { join } from "node:path";
import type { Command } from "./command.ts";
import { parseCommandArgs } from "../lib/args.ts";
import { formatDiagnostic, usageError } from "../lib/diagnostics.ts";
import { projectRoot } from "../lib/project.ts";
import { loadSchemas, validatePipeline } from "../lib/validate.ts";
import { bandOption } from "../lib/gitlab-versions.ts";

const OPTIONS = {
  format: { type: "string" },
  "gitlab-version": { type: "string" },
  library: { type: "string" },
  schemas: { type: "string" },
} as const;

export const command: Command = {
  summary: "check a pipeline's includes of these components offline (inputs, names, pinning)",
  help: `Usage: harbor-ci validate [.gitlab-ci.yml] [--gitlab-version X.Y] [--format text|json] [--library NAME] [--schemas DIR]

Finds every \`include: - component: .../<library>/<name>@<version>\` in the pipeline (following
local includes), checks its inputs against the components' published JSON Schemas with GitLab's
own messages, suggests the nearest name for an unknown component or input, and warns about
references that are not pinned (~latest, 1, 1.2, branches).
Exit code: 1 when there are errors, 0 otherwise (warnings included). Offline: nothing is sent.

Without --gitlab-version, inputs are checked as every supported GitLab version (17.0 on) would
check them, and an error only some versions report says which: (rejected by GitLab 17.0–18.2).

Options:
  --gitlab-version X.Y  check as this GitLab version only (17.0 or later)
  --format json      machine-readable output for editors and CI
  --library NAME     the project path suffix that identifies this library (default: harbor-ci-components)
  --schemas DIR      folder with <component>/inputs.schema.json (default: this package's templates/)

Examples:
  npx harbor-ci validate
  npx harbor-ci validate ci/pipeline.yml --format json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("validate", argv, OPTIONS, true);
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw usageError("OPTION_INVALID", `--format ${format} is not a format`, "use --format text or --format json");
    if (positionals.length > 1) throw usageError("OPTION_INVALID", "give at most one pipeline file", "harbor-ci validate .gitlab-ci.yml");
    const file = positionals[0] ?? ".gitlab-ci.yml";
    const schemas = loadSchemas(values.schemas ?? join(projectRoot, "templates"));
    const band = bandOption(values["gitlab-version"]);
    const result = validatePipeline({ file, projectDir: process.cwd(), schemas, library: values.library ?? "harbor-ci-components", bands: band ? [band] : undefined });
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = result.diagnostics.length - errors;
    if (format === "json") {
      process.stdout.write(JSON.stringify({ file, errors, warnings, includes: result.includes, diagnostics: result.diagnostics }, null, 2) + "\n");
    } else {
      for (const d of result.diagnostics) process.stdout.write(formatDiagnostic(d) + "\n");
      process.stdout.write(`${file}: ${result.includes.length} component include(s), ${errors} error(s), ${warnings} warning(s)\n`);
    }
    return errors ? 1 : 0;
  },
};
