// harbor-ci lint: thin wrapper over scripts/lib/gitlab-api/lint.ts.

import { LocalFileError, readRegularFile } from "../lib/cli/user-files.ts";
import { resolve } from "node:path";
import type { Command } from "./command.ts";
import { checkGitlabPath, createGitlab, gitlabFromEnv, type GitlabConnection } from "../lib/gitlab-api/client.ts";
import { formatVerdicts, lintDocuments, type LintDocument } from "../lib/gitlab-api/lint.ts";
import { usageError } from "../lib/cli/diagnostics.ts";
import { Output, processIO, type CommandIO } from "../lib/cli/io.ts";
import { NETWORK_HELP, NETWORK_OPTIONS, networkSettings } from "../lib/http/options.ts";
import { parseCommandArgs } from "../lib/cli/args.ts";
import { Redactor } from "../lib/cli/redact.ts";

const OPTIONS = {
  project: { type: "string" },
  "gitlab-url": { type: "string" },
  "ci-file": { type: "string" },
  "no-ci-file": { type: "boolean" },
  file: { type: "string", multiple: true },
  simulate: { type: "boolean" },
  ref: { type: "string" },
  ...NETWORK_OPTIONS,
} as const;

const help = `Usage: harbor-ci lint [--project <id|path>] [--ci-file <path>] [--file <path>]... [options]

Sends YAML to GitLab's CI Lint API (POST /projects/:id/ci/lint) and reports GitLab's verdict:
valid or not, errors and warnings. Linting happens in the project's context, so \`include:\`
entries (components included) resolve as in a pipeline of that project.

What is sent: the project's .gitlab-ci.yml, then every --file, then every component of this
library rendered with each README example (with the stages it uses), unless --no-components.

Options:
  --project <id|path>  Project whose context GitLab lints in. Default: $CI_PROJECT_ID, then $CI_PROJECT_PATH.
  --gitlab-url <url>   GitLab base URL. Default: $GITLAB_URL (in a job: $CI_SERVER_URL).
  --ci-file <path>     Pipeline file to lint. Default: .gitlab-ci.yml in the current directory.
  --no-ci-file         Do not send the pipeline file.
  --file <path>        Another YAML document to lint, e.g. a rendered component; repeatable.
  --simulate           Simulate pipeline creation (GitLab's dry_run: rules, needs, ...) instead
                       of a static check.
  --ref <branch|tag>   With --simulate: the ref to simulate for. Default: the default branch.
  --no-components      Do not send the rendered components.

${NETWORK_HELP}

Environment:
  GITLAB_TOKEN   Access token with the \`api\` scope (the lint endpoint is a POST), Developer role.
  GITLAB_URL     Default for --gitlab-url.

Exit codes: 0 every document valid, 1 GitLab says one is invalid (or a call failed),
2 bad options or environment (no token, no project, missing file).

Examples:
  GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... harbor-ci lint --project my-group/my-app
  harbor-ci render build-push --input image_name=my-app > /tmp/build-push.yml
  harbor-ci lint --project my-group/my-app --no-ci-file --file /tmp/build-push.yml
  harbor-ci lint --project 42 --simulate --ref main
`;

function readDocument(path: string, cwd: string, label: string): LintDocument {
  try {
    return { label, yaml: readRegularFile(resolve(cwd, path)) };
  } catch (err) {
    const why = err instanceof LocalFileError ? err.detail : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
    throw usageError("LINT_FILE_UNREADABLE", `cannot read ${path} (${why})`, "check the path, or pass --no-ci-file to skip the pipeline file");
  }
}

/** Extra documents the caller adds (the lead wires rendered components here). */
export type DocumentSource = () => LintDocument[] | Promise<LintDocument[]>;

export async function lintMain(argv: string[], io: CommandIO, componentDocuments?: DocumentSource): Promise<number> {
  const redactor = new Redactor().add(io.env.GITLAB_TOKEN);
  const out = new Output(io, redactor);
  try {
    const { values } = parseCommandArgs("lint", argv, OPTIONS);
    const project = values.project ?? io.env.CI_PROJECT_ID ?? io.env.CI_PROJECT_PATH;
    if (!project) {
      throw usageError(
        "GITLAB_PROJECT_MISSING",
        "no project to lint in: pass --project (CI_PROJECT_ID / CI_PROJECT_PATH are not set)",
        "pass --project my-group/my-app or a numeric ID",
      );
    }
    checkGitlabPath(project, values.project !== undefined ? "--project" : io.env.CI_PROJECT_ID !== undefined ? "CI_PROJECT_ID" : "CI_PROJECT_PATH");
    if (values.ref && !values.simulate) throw usageError("OPTION_INVALID", "--ref only applies with --simulate", "add --simulate, or drop --ref");
    const { url, token } = gitlabFromEnv(io.env, values["gitlab-url"]);

    const documents: LintDocument[] = [];
    if (!values["no-ci-file"]) {
      const path = values["ci-file"] ?? ".gitlab-ci.yml";
      documents.push(readDocument(path, io.cwd, path));
    }
    for (const file of values.file ?? []) documents.push(readDocument(file, io.cwd, file));
    if (componentDocuments) documents.push(...(await componentDocuments()));
    if (documents.length === 0) throw usageError("LINT_NOTHING", "nothing to lint", "drop --no-ci-file or add --file <path>");

    const conn: GitlabConnection = {
      url,
      token,
      ...networkSettings(values),
      onRetry: (i) => out.warn(`retry: attempt ${i.attempt} to ${i.what} failed (${i.reason}); retrying in ${i.delayMs} ms`),
    };
    const verdicts = await lintDocuments(
      createGitlab(conn),
      conn,
      project,
      documents,
      { simulate: !!values.simulate, ...(values.ref ? { ref: values.ref } : {}) },
      values.verbose ? (c) => out.line(`  call  ${c.method} ${c.url}  (${c.label})`) : undefined,
    );
    for (const line of formatVerdicts(verdicts)) out.line(line);
    return verdicts.every((v) => v.valid) ? 0 : 1;
  } catch (err) {
    return out.fail(err);
  }
}

export const command: Command = {
  summary: "ask GitLab's CI Lint API whether the pipeline (and rendered components) are valid",
  help,
  run: async (argv) => {
    // --no-components lints only the files; by default every README example of every component
    // is rendered and sent too.
    const withComponents = !argv.includes("--no-components");
    const rest = argv.filter((a) => a !== "--no-components");
    const { renderedReadmeExamples } = await import("../lib/ci/component-documents.ts");
    return lintMain(rest, processIO(), withComponents ? renderedReadmeExamples : undefined);
  },
};
