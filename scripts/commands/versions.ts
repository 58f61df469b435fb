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

/** What the user asked for, checked: the project, what to show, and how to reach GitLab. */
interface VersionsRequest {
  project: string;
  limit: number;
  from?: string;
  to?: string;
  /** --pipeline's path and text. */
  pipeline?: { file: string; text: string };
  failIfBehind: boolean;
  json: boolean;
  verbose: boolean;
  conn: Omit<GitlabConnection, "onRetry" | "onRequest">;
}

/** What GitLab answered, before it is written as text or JSON. */
interface VersionsOutcome {
  project: string;
  latest: ReleaseInfo | undefined;
  listing?: { shown: Array<{ release: ReleaseInfo; components: string[] }>; older: number };
  diff?: { from: string; to: string; components: ComponentChange[]; withoutSchema: string[] };
  pins?: { file: string; reports: PinReport[]; others: number };
  exitCode: number;
}

export async function versionsMain(argv: string[], io: CommandIO): Promise<number> {
  const redactor = new Redactor().add(io.env.GITLAB_TOKEN);
  const out = new Output(io, redactor);
  try {
    const request = parseVersionsRequest(argv, io);
    const conn: GitlabConnection = {
      ...request.conn,
      onRetry: (i) => out.warn(`retry: attempt ${i.attempt} to ${i.what} failed (${i.reason}); retrying in ${i.delayMs} ms`),
      // -v: every API call, on stderr so that --json stays parseable.
      ...(request.verbose ? { onRequest: (method: string, url: string) => out.warn(`  call  ${method.padEnd(5)} ${url}`) } : {}),
    };
    const outcome = await readVersions(new CatalogReader(createGitlab(conn), conn, request.project), request);
    writeVersions(out, outcome, request.json);
    return outcome.exitCode;
  } catch (err) {
    return out.fail(err);
  }
}

function parseVersionsRequest(argv: string[], io: CommandIO): VersionsRequest {
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
  let pipeline: VersionsRequest["pipeline"];
  if (values.pipeline) {
    try {
      pipeline = { file: values.pipeline, text: readRegularFile(resolve(io.cwd, values.pipeline)) };
    } catch (err) {
      const why = err instanceof LocalFileError ? err.detail : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      throw usageError("PIPELINE_UNREADABLE", `cannot read ${values.pipeline} (${why})`, "pass the path of a pipeline file, e.g. --pipeline .gitlab-ci.yml");
    }
  }
  const { url, token } = gitlabFromEnv(io.env, values["gitlab-url"], true);
  return {
    project,
    limit,
    ...(values.from ? { from: values.from } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    ...(pipeline ? { pipeline } : {}),
    failIfBehind: !!values["fail-if-behind"],
    json: !!values.json,
    verbose: !!values.verbose,
    conn: { url, ...(token ? { token } : {}), ...networkSettings(values) },
  };
}

/** The releases, the input changes between two versions, and the pipeline's pins, as asked. */
async function readVersions(reader: CatalogReader, request: VersionsRequest): Promise<VersionsOutcome> {
  const { project, from } = request;
  const releases = sortReleases(await reader.releases());
  const latest = latestRelease(releases);
  const outcome: VersionsOutcome = { project, latest, exitCode: 0 };

  if (!from && !request.pipeline) {
    const shown = [];
    for (const release of releases.slice(0, request.limit)) shown.push({ release, components: (await reader.contentsAt(release.tag)).components });
    outcome.listing = { shown, older: releases.length - shown.length };
  }

  if (from) {
    const to = request.to ?? latest?.tag;
    if (!to) throw usageError("CATALOG_NO_RELEASE", `${project} has no release to compare ${from} with`, "pass --to <version>");
    const [a, b] = [await reader.contentsAt(from), await reader.contentsAt(to)];
    // Components present without a schema on either side are not compared; say so.
    const withoutSchema = [...new Set([...a.withoutSchema, ...b.withoutSchema])].sort();
    outcome.diff = { from, to, components: diffSchemaMaps(a.schemas, b.schemas), withoutSchema };
  }

  if (request.pipeline) {
    const path = await reader.projectPath();
    const pins = findComponentPins(request.pipeline.text);
    const ours = pins.filter((p) => pinMatchesProject(p, path));
    const reports = analysePins(ours, releases);
    outcome.pins = { file: request.pipeline.file, reports, others: pins.length - ours.length };
    if (request.failIfBehind && reports.some((r) => r.status === "behind")) outcome.exitCode = 1;
  }
  return outcome;
}

function writeVersions(out: Output, outcome: VersionsOutcome, json: boolean): void {
  const { project, latest, listing, diff, pins } = outcome;
  if (json) {
    const result: Record<string, unknown> = { project, latest: latest?.tag ?? null };
    if (listing) result.releases = listing.shown.map(({ release: r, components }) => ({ tag: r.tag, releasedAt: r.releasedAt ?? null, components }));
    if (diff) result.diff = diff;
    if (pins) result.pins = pins.reports;
    out.line(JSON.stringify(result, null, 2));
    return;
  }
  const lines: string[] = [];
  if (listing) {
    lines.push(`Releases of ${project} (latest: ${latest?.tag ?? "none"}):`);
    if (listing.shown.length === 0) lines.push("  no release published yet");
    for (const { release: r, components } of listing.shown) {
      lines.push(`  ${r.tag.padEnd(12)} ${date(r)}  ${components.join(", ") || "(no components)"}${r.upcoming ? "  (upcoming)" : ""}`);
    }
    if (listing.older > 0) lines.push(`  ... ${listing.older} older release(s) (--limit)`);
  }
  if (diff) lines.push(...formatDiff(diff.from, diff.to, diff.components, diff.withoutSchema));
  if (pins) lines.push(...formatPins(pins.file, pins.reports, pins.others, latest?.tag));
  for (const l of lines) out.line(l);
}

export const command: Command = {
  summary: "list published versions, input changes between two, and whether a pipeline's pins are behind",
  help,
  run: (argv) => versionsMain(argv, processIO()),
};
