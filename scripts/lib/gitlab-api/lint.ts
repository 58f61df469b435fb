// GitLab's CI Lint API (lib/api/lint.rb): POST /projects/:id/ci/lint {content[, dry_run, ref]}
//   -> {valid, errors, warnings, merged_yaml, includes} (lib/api/entities/ci/lint/result.rb).
// Needs the Developer role (create_pipeline) and the `api` scope.
// gitbeaker 43: Lint.lint(projectId, content, options).
// Linting in a project's context resolves its `include:` entries (components included) as a
// pipeline of that project would.

import { gitlabCall, gitlabId, type GitlabApi, type GitlabConnection, type GitlabContext } from "./client.ts";
import { expectShape } from "./shapes.ts";

export interface LintDocument {
  /** What the report calls it: `.gitlab-ci.yml`, `component build-push (example 1)`, ... */
  label: string;
  yaml: string;
}

export interface LintVerdict {
  label: string;
  valid: boolean;
  errors: string[];
  warnings: string[];
}

export interface LintOptions {
  /** `dry_run: true`: simulate pipeline creation (rules, needs, ...) instead of a static check. */
  simulate?: boolean;
  /** With `simulate`: the branch or tag to simulate for; default: the project's default branch. */
  ref?: string;
}

/** Sends each document to GitLab's CI Lint API, one after another; stops at the first API failure. */
export async function lintDocuments(
  api: GitlabApi,
  conn: GitlabConnection,
  project: string,
  documents: readonly LintDocument[],
  options: LintOptions = {},
  onCall?: (call: { method: string; url: string; label: string }) => void,
): Promise<LintVerdict[]> {
  const id = gitlabId(project);
  const url = `${conn.url.replace(/\/+$/, "")}/api/v4/projects/${encodeURIComponent(String(id))}/ci/lint`;
  const verdicts: LintVerdict[] = [];
  for (const doc of documents) {
    onCall?.({ method: "POST", url, label: doc.label });
    const ctx: GitlabContext = { what: `lint ${doc.label} with GitLab's CI Lint API`, subject: `project ${project}`, role: "Developer", scope: "api" };
    const answer = await gitlabCall(conn, ctx, () =>
      api.Lint.lint(id, doc.yaml, options.simulate ? { dryRun: true, ...(options.ref ? { ref: options.ref } : {}) } : undefined),
    );
    const result = expectShape<{ valid: boolean; errors?: unknown[]; warnings?: unknown[] }>(answer, "lint", ctx, conn.url);
    verdicts.push({
      label: doc.label,
      valid: result.valid === true,
      errors: Array.isArray(result.errors) ? result.errors.map(String) : [],
      warnings: Array.isArray(result.warnings) ? result.warnings.map(String) : [],
    });
  }
  return verdicts;
}

export function formatVerdicts(verdicts: readonly LintVerdict[]): string[] {
  const lines: string[] = [];
  for (const v of verdicts) {
    lines.push(`${v.valid ? "valid  " : "INVALID"}  ${v.label}`);
    for (const e of v.errors) lines.push(`  error:   ${e}`);
    for (const w of v.warnings) lines.push(`  warning: ${w}`);
  }
  const invalid = verdicts.filter((v) => !v.valid).length;
  lines.push(
    invalid === 0 ? `GitLab says all ${verdicts.length} document(s) are valid` : `GitLab says ${invalid} of ${verdicts.length} document(s) are invalid`,
  );
  return lines;
}
