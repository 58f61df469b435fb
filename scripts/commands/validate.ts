import { join } from "node:path";
import type { Command } from "./command.ts";
import { parseCommandArgs } from "../lib/cli/args.ts";
import { formatDiagnostic, usageError } from "../lib/cli/diagnostics.ts";
import { projectRoot } from "../lib/project.ts";
import { loadSchemas } from "../lib/validate/pipeline.ts";
import { bandOption } from "../lib/ci/versions.ts";
import { validateRequest, type ValidateOutcome, type ValidateRequest } from "../lib/validate/validate.ts";

const OPTIONS = {
  format: { type: "string" },
  "gitlab-version": { type: "string" },
  library: { type: "string" },
  schemas: { type: "string" },
  offline: { type: "boolean" },
} as const;

export const command: Command = {
  summary: "check a pipeline's includes of these components offline (inputs, names, pinning)",
  help: `Usage: harbor-ci validate [.gitlab-ci.yml] [--gitlab-version X.Y] [--format text|json] [--library NAME] [--schemas DIR] [--offline]

Finds every \`include: - component: .../<library>/<name>@<version>\` in the pipeline (following
local includes), checks its inputs against the components' published JSON Schemas with GitLab's
own messages, suggests the nearest name for an unknown component or input, and warns about
references that are not pinned (~latest, 1, 1.2, branches).
Exit code: 1 when there are errors, 0 otherwise (warnings included).

Each include is checked against the schemas of the version it pins: this package's own for its
version (harbor-ci --version); another version's are read from the library project at that tag
when GITLAB_URL (in a job: CI_SERVER_URL) is set, with GITLAB_TOKEN (read_api) for a private
project; ~latest, 1 and 1.2 resolve to released versions as GitLab does. Without GitLab (or with
--offline) such includes are checked against this package's schemas, with a warning naming the
version. Nothing else is sent.

Without --gitlab-version, inputs are checked as every supported GitLab version (17.0 on) would
check them, and an error only some versions report says which: (rejected by GitLab 17.0–18.2).

Options:
  --gitlab-version X.Y  check as this GitLab version only (17.0 or later)
  --format json      machine-readable output for editors and CI
  --library NAME     the project path suffix that identifies this library (default: harbor-ci-components)
  --schemas DIR      folder with <component>/inputs.schema.json for every version (default: this
                     package's templates/, and GitLab for other versions)
  --offline          never ask GitLab; other versions are checked against this package's schemas

Examples:
  npx harbor-ci validate
  npx harbor-ci validate ci/pipeline.yml --format json`,
  async run(argv) {
    const { request, format } = parseValidateRequest(argv);
    const outcome = await validateRequest(request, process.env);
    writeOutcome(request.file, outcome, format);
    return outcome.errors ? 1 : 0;
  },
};

function parseValidateRequest(argv: string[]): { request: ValidateRequest; format: "text" | "json" } {
  const { values, positionals } = parseCommandArgs("validate", argv, OPTIONS, true);
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw usageError("OPTION_INVALID", `--format ${format} is not a format`, "use --format text or --format json");
  if (positionals.length > 1) throw usageError("OPTION_INVALID", "give at most one pipeline file", "harbor-ci validate .gitlab-ci.yml");
  const schemas = loadSchemas(values.schemas ?? join(projectRoot, "templates"));
  const band = bandOption(values["gitlab-version"]);
  const request: ValidateRequest = {
    file: positionals[0] ?? ".gitlab-ci.yml",
    projectDir: process.cwd(),
    schemas,
    schemasGiven: !!values.schemas,
    library: values.library ?? "harbor-ci-components",
    bands: band ? [band] : undefined,
    offline: !!values.offline,
  };
  return { request, format };
}

function writeOutcome(file: string, outcome: ValidateOutcome, format: "text" | "json"): void {
  const { errors, warnings, includes, versions, diagnostics } = outcome;
  if (format === "json") {
    process.stdout.write(JSON.stringify({ file, errors, warnings, includes, versions, diagnostics }, null, 2) + "\n");
    return;
  }
  for (const d of diagnostics) process.stdout.write(formatDiagnostic(d) + "\n");
  process.stdout.write(`${file}: ${includes.length} component include(s), ${errors} error(s), ${warnings} warning(s)\n`);
}
