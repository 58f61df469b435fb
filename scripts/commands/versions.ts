// harbor-ci versions: thin wrapper over scripts/lib/gitlab-api/catalog.ts (pure) and releases.ts (API).

import { LocalFileError, readRegularFile } from "../lib/cli/user-files.ts";
import { resolve } from "node:path";
import type { Command } from "./command.ts";
import {
  analysePins,
  diffSchemaMaps,
  findComponentPins,
  formatInputChange,
  latestRelease,
  pinMatchesProject,
  sortReleases,
  type ComponentChange,
  type PinReport,
  type ReleaseInfo,
} from "../lib/gitlab-api/catalog.ts";
import { checkGitlabPath, createGitlab, gitlabFromEnv, type GitlabConnection } from "../lib/gitlab-api/client.ts";
import { CatalogReader } from "../lib/gitlab-api/releases.ts";
import { usageError } from "../lib/cli/diagnostics.ts";
import { Output, processIO, type CommandIO } from "../lib/cli/io.ts";
import { NETWORK_HELP, NETWORK_OPTIONS, networkSettings } from "../lib/http/options.ts";
import { intOption, parseCommandArgs } from "../lib/cli/args.ts";
import { Redactor } from "../lib/cli/redact.ts";

const DEFAULT_LIMIT = 10;

const OPTIONS = {
  project: { type: "string" },
  "gitlab-url": { type: "string" },
  limit: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  pipeline: { type: "string" },
  "fail-if-behind": { type: "boolean" },
  json: { type: "boolean" },
  ...NETWORK_OPTIONS,
} as const;

const help = `Usage: harbor-ci versions [--project <id|path>] [--from <version> [--to <version>]] [--pipeline <file>]

Browses the published versions of the component library (GitLab releases):
  - without --from: lists the newest releases and the components each one holds;
  - with --from A [--to B]: input changes per component between two versions (added, removed,
    default/type/required/options/pattern changed; changes that can break a pipeline are marked);
    --to defaults to the latest release;
  - with --pipeline FILE: whether the versions FILE pins (include: - component: <host>/<path>/<name>@<version>)
    are behind the latest release. \`1\` and \`1.2\` resolve to the newest matching release, like GitLab.
Components and inputs of a version are read from its tag: templates/<name>/template.yml and
templates/<name>/inputs.schema.json.

Options:
  --project <id|path>  The library's GitLab project. Default: $HARBOR_CI_CATALOG_PROJECT, then $CI_PROJECT_PATH.
  --gitlab-url <url>   GitLab base URL. Default: $GITLAB_URL (in a job: $CI_SERVER_URL).
  --limit <n>          Releases listed. Default ${DEFAULT_LIMIT}.
  --from <version>     Older version (a tag; any branch or commit works too).
  --to <version>       Newer version. Default: the latest release.
  --pipeline <file>    Pipeline file whose pinned versions to check, e.g. .gitlab-ci.yml.
  --fail-if-behind     With --pipeline: exit 1 when a pin is behind the latest release.
  --json               Print the result as JSON.

${NETWORK_HELP}

Environment:
  GITLAB_TOKEN   Token with the \`read_api\` scope; optional for a public project.

Examples:
  harbor-ci versions --project my-group/harbor-ci-components
  harbor-ci versions --project my-group/harbor-ci-components --from 1.2.0 --to 2.0.0
  harbor-ci versions --project my-group/harbor-ci-components --pipeline .gitlab-ci.yml --fail-if-behind
`;

function date(r: ReleaseInfo): string {
  return (r.releasedAt ?? "").slice(0, 10) || "-";
}

function formatDiff(from: string, to: string, changes: ComponentChange[], withoutSchema: string[]): string[] {
  const lines = [`Input changes from ${from} to ${to}:`];
  for (const c of changes) {
    if (c.status === "unchanged") {
      lines.push(`  ${c.component}: no input changes`);
      continue;
    }
    lines.push(`  ${c.component} (${c.status}${c.status === "removed" ? ", breaking" : ""})`);
    for (const i of c.inputs) lines.push(`    ${formatInputChange(i)}`);
  }
  if (changes.length === 0) lines.push("  no components at either version");
  for (const c of withoutSchema) lines.push(`  ${c}: no inputs.schema.json published; inputs not compared`);
  const breaking = changes.reduce((n, c) => n + (c.status === "removed" ? 1 : c.inputs.filter((i) => i.breaking).length), 0);
  lines.push(breaking === 0 ? "no breaking changes" : `${breaking} change(s) can break a pipeline that worked with ${from}`);
  return lines;
}

function formatPins(file: string, reports: PinReport[], others: number, latest: string | undefined): string[] {
  const lines = [`Pinned versions in ${file} (latest release: ${latest ?? "none"}):`];
  for (const r of reports) lines.push(`  ${file}:${r.line}  ${r.component}@${r.version}  ${r.status}  ${r.detail}`);
  if (reports.length === 0) lines.push("  no component of this library is included");
  if (others > 0) lines.push(`  ${others} component(s) of other projects not checked`);
  const behind = reports.filter((r) => r.status === "behind").length;
  lines.push(behind === 0 ? "no pin is behind" : `${behind} pin(s) behind the latest release`);
  return lines;
}

export async function versionsMain(argv: string[], io: CommandIO): Promise<number> {
  const redactor = new Redactor().add(io.env.GITLAB_TOKEN);
  const out = new Output(io, redactor);
  try {
    const { values } = parseCommandArgs("versions", argv, OPTIONS);
    const project = values.project ?? io.env.HARBOR_CI_CATALOG_PROJECT ?? io.env.CI_PROJECT_PATH;
    if (!project) {
      throw usageError(
        "CATALOG_PROJECT_MISSING",
        "no library project: pass --project (HARBOR_CI_CATALOG_PROJECT and CI_PROJECT_PATH are not set)",
        "pass --project my-group/harbor-ci-components",
      );
    }
    checkGitlabPath(
      project,
      values.project !== undefined ? "--project" : io.env.HARBOR_CI_CATALOG_PROJECT !== undefined ? "HARBOR_CI_CATALOG_PROJECT" : "CI_PROJECT_PATH",
    );
    if (values.to && !values.from) throw usageError("OPTION_INVALID", "--to needs --from", "add --from <older version>");
    if (values["fail-if-behind"] && !values.pipeline) throw usageError("OPTION_INVALID", "--fail-if-behind needs --pipeline", "add --pipeline .gitlab-ci.yml");
    const limit = intOption("limit", values.limit, DEFAULT_LIMIT, 1, 1000);
    let pipelineText: string | undefined;
    if (values.pipeline) {
      try {
        pipelineText = readRegularFile(resolve(io.cwd, values.pipeline));
      } catch (err) {
        const why = err instanceof LocalFileError ? err.detail : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
        throw usageError("PIPELINE_UNREADABLE", `cannot read ${values.pipeline} (${why})`, "pass the path of a pipeline file, e.g. --pipeline .gitlab-ci.yml");
      }
    }
    const { url, token } = gitlabFromEnv(io.env, values["gitlab-url"], true);
    const conn: GitlabConnection = {
      url,
      ...(token ? { token } : {}),
      ...networkSettings(values),
      onRetry: (i) => out.warn(`retry: attempt ${i.attempt} to ${i.what} failed (${i.reason}); retrying in ${i.delayMs} ms`),
      // -v: every API call, on stderr so that --json stays parseable.
      ...(values.verbose ? { onRequest: (method: string, url: string) => out.warn(`  call  ${method.padEnd(5)} ${url}`) } : {}),
    };
    const reader = new CatalogReader(createGitlab(conn), conn, project);

    const releases = sortReleases(await reader.releases());
    const latest = latestRelease(releases);
    const result: Record<string, unknown> = { project, latest: latest?.tag ?? null };
    const lines: string[] = [];
    let exit = 0;

    if (!values.from && !values.pipeline) {
      const shown = releases.slice(0, limit);
      const listed = [];
      lines.push(`Releases of ${project} (latest: ${latest?.tag ?? "none"}):`);
      if (shown.length === 0) lines.push("  no release published yet");
      for (const r of shown) {
        const contents = await reader.contentsAt(r.tag);
        listed.push({ tag: r.tag, releasedAt: r.releasedAt ?? null, components: contents.components });
        lines.push(`  ${r.tag.padEnd(12)} ${date(r)}  ${contents.components.join(", ") || "(no components)"}${r.upcoming ? "  (upcoming)" : ""}`);
      }
      if (releases.length > shown.length) lines.push(`  ... ${releases.length - shown.length} older release(s) (--limit)`);
      result.releases = listed;
    }

    if (values.from) {
      const to = values.to ?? latest?.tag;
      if (!to) throw usageError("CATALOG_NO_RELEASE", `${project} has no release to compare ${values.from} with`, "pass --to <version>");
      const [a, b] = [await reader.contentsAt(values.from), await reader.contentsAt(to)];
      const changes = diffSchemaMaps(a.schemas, b.schemas);
      // Components present without a schema on either side are not compared; say so.
      const withoutSchema = [...new Set([...a.withoutSchema, ...b.withoutSchema])].sort();
      result.diff = { from: values.from, to, components: changes, withoutSchema };
      lines.push(...formatDiff(values.from, to, changes, withoutSchema));
    }

    if (pipelineText !== undefined) {
      const path = await reader.projectPath();
      const pins = findComponentPins(pipelineText);
      const ours = pins.filter((p) => pinMatchesProject(p, path));
      const reports = analysePins(ours, releases);
      result.pins = reports;
      lines.push(...formatPins(values.pipeline!, reports, pins.length - ours.length, latest?.tag));
      if (values["fail-if-behind"] && reports.some((r) => r.status === "behind")) exit = 1;
    }

    if (values.json) out.line(JSON.stringify(result, null, 2));
    else for (const l of lines) out.line(l);
    return exit;
  } catch (err) {
    return out.fail(err);
  }
}

export const command: Command = {
  summary: "list published versions, input changes between two, and whether a pipeline's pins are behind",
  help,
  run: (argv) => versionsMain(argv, processIO()),
};
