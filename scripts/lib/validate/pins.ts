// `harbor-ci validate` follows the version each include pins: the inputs of `build-push@1.2.0`
// are checked against 1.2.0's published schemas, not against whatever this CLI bundles.
//
// - A pin to the installed package's version (or a variable such as `$CI_COMMIT_SHA`, which is
//   the checkout itself in the library's own pipeline) uses the bundled schemas.
// - Another version is read from the library project at that ref with the `versions` command's
//   client (scripts/lib/gitlab-api/releases.ts: repository tree and raw files at a ref), when GitLab is
//   configured (GITLAB_URL, or CI_SERVER_URL in a job; GITLAB_TOKEN for a private project).
// - `~latest`, `1` and `1.2` resolve as GitLab resolves them, from the releases
//   (Gitlab::Ci::Components::InstancePath#find_version_sha, lib/gitlab/ci/components/instance_path.rb):
//   `~latest` is `catalog_resource.versions.latest`, `1`/`1.2` are `versions.latest(major, minor)`
//   (app/models/ci/catalog/resources/version.rb): released semantic versions only, in semantic
//   version order, prereleases excluded (gitlab-org/gitlab!152771, GitLab 17.1; 17.0 still counted
//   them). scripts/lib/gitlab-api/catalog.ts#analysePins holds that rule; it is reused here.
// - Offline, or when GitLab cannot be read, the bundled schemas are used and a warning names the
//   version they belong to.
// - "Cannot see" is not "does not exist": GitLab answers 404 Project Not Found for a project the
//   caller may not read (lib/api/helpers.rb `find_project!`; docs.gitlab.com/api/rest/troubleshooting/
//   #status-codes), so a 404 leads to GET /projects/:id first. A project GitLab does not show is
//   the warning LIBRARY_NOT_READABLE, whatever the pin (1.2.0, 1.2, ~latest, a SHA, a branch);
//   UNKNOWN_VERSION only when GitLab has shown the project and the version is not in it.
import type { Diagnostic } from "../cli/diagnostics.ts";
import { CliError } from "../cli/diagnostics.ts";
import { analysePins, parseComponentReference, type ReleaseInfo } from "../gitlab-api/catalog.ts";
import { createGitlab, gitlabFromEnv, type GitlabConnection } from "../gitlab-api/client.ts";
import { CatalogReader, type VersionContents } from "../gitlab-api/releases.ts";
import type { InputsSchema } from "../ci/inputs-schema.ts";

export interface PinnedInclude {
  file: string;
  line: number;
  component: string;
  version: string;
  /** The whole `component:` value: `$CI_SERVER_FQDN/my-group/harbor-ci-components/build-push@1.2.0`. */
  reference?: string;
}

/** What the pins need from GitLab: the `versions` command's CatalogReader does it. */
export interface CatalogSource {
  /** GET /projects/:id answered 200 (false: 404, the project is hidden or absent); asked once. */
  visible(): Promise<boolean>;
  releases(): Promise<ReleaseInfo[]>;
  contentsAt(ref: string): Promise<VersionContents>;
}

export interface FollowPinsOptions {
  includes: readonly PinnedInclude[];
  /** The installed package's version: its bundled schemas are that version's. */
  installedVersion: string;
  bundled: Map<string, InputsSchema>;
  env: Record<string, string | undefined>;
  /** false: never ask GitLab (--offline). */
  online?: boolean;
  /**
   * The published (scoped) package name, for the fix that runs the CLI of another version. The
   * checkout's unscoped name is no such name: on the default registry it is someone else's.
   */
  packageName?: string;
  /** For tests: the catalog of a project path; default the GitLab client from the environment. */
  catalog?: (projectPath: string) => CatalogSource | undefined;
}

export interface VersionSource {
  version: string;
  /** The release a moving version resolved to. */
  resolved?: string;
  source: "bundled" | "gitlab" | "bundled-fallback";
}

export interface FollowedPins {
  schemasFor(version: string): Map<string, InputsSchema> | undefined;
  diagnostics: Diagnostic[];
  versions: VersionSource[];
}

const MOVING = /^(~latest|\d+(\.\d+)?)$/;

/** The GitLab client of the `versions` command, when GITLAB_URL or CI_SERVER_URL is set. */
export function catalogFromEnv(env: Record<string, string | undefined>): ((projectPath: string) => CatalogSource) | undefined {
  if (!env.GITLAB_URL && !env.CI_SERVER_URL) return undefined;
  const { url, token } = gitlabFromEnv(env, undefined, true);
  // validate is a quick check: two retries and a 10 s timeout, then the offline fallback.
  const conn: GitlabConnection = { url, ...(token ? { token } : {}), retry: { retries: 2, baseDelayMs: 500, maxDelayMs: 2_000 }, timeoutMs: 10_000 };
  const api = createGitlab(conn);
  return (projectPath) => new CatalogReader(api, conn, projectPath);
}

function projectPathOf(include: PinnedInclude, env: Record<string, string | undefined>): string | undefined {
  const parsed = include.reference ? parseComponentReference(include.reference) : undefined;
  if (!parsed) return undefined;
  const path = parsed.projectPath.replace(/\$\{?CI_PROJECT_PATH\}?/g, env.CI_PROJECT_PATH ?? "$CI_PROJECT_PATH");
  return path.includes("$") ? undefined : path;
}

/** What followPins' steps share: the options, the GitLab catalog (if any) and what they found. */
interface PinWalk {
  options: FollowPinsOptions;
  online: boolean;
  catalog: ((projectPath: string) => CatalogSource | undefined) | undefined;
  /** Why GitLab's client could not be made (a bad GITLAB_URL, say), for the fallback warning. */
  catalogProblem: string | undefined;
  /** Each project's releases, asked once however many moving pins it has. */
  releases: Map<string, Promise<ReleaseInfo[]>>;
  byVersion: Map<string, Map<string, InputsSchema>>;
  diagnostics: Diagnostic[];
  versions: VersionSource[];
}

/** One pinned version and the includes that pin it: diagnostics are reported once per version. */
interface PinGroup {
  version: string;
  first: PinnedInclude;
  where: { file: string; line: number; column: number };
  /** `build-push@1.2.0, scan@1.2.0`: the components pinned to this version. */
  pins: string;
}

export async function followPins(options: FollowPinsOptions): Promise<FollowedPins> {
  const walk = openCatalog(options);
  const groups = new Map<string, PinnedInclude[]>();
  for (const include of options.includes) groups.set(include.version, [...(groups.get(include.version) ?? []), include]);
  for (const [version, includes] of groups) await followVersion(walk, pinGroup(version, includes));
  const { installedVersion, bundled } = options;
  return {
    schemasFor: (version) => walk.byVersion.get(version) ?? (version === installedVersion ? bundled : undefined),
    diagnostics: walk.diagnostics,
    versions: walk.versions,
  };
}

function openCatalog(options: FollowPinsOptions): PinWalk {
  const online = options.online ?? true;
  let catalog: PinWalk["catalog"];
  let catalogProblem: string | undefined;
  if (online) {
    try {
      catalog = options.catalog ?? catalogFromEnv(options.env);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      catalogProblem = `${err.code}: ${err.message}`;
    }
  }
  return { options, online, catalog, catalogProblem, releases: new Map(), byVersion: new Map(), diagnostics: [], versions: [] };
}

function pinGroup(version: string, includes: PinnedInclude[]): PinGroup {
  const first = includes[0]!;
  const pins = includes
    .map((i) => `${i.component}@${version}`)
    .filter((p, i, all) => all.indexOf(p) === i)
    .join(", ");
  return { version, first, where: { file: first.file, line: first.line, column: 0 }, pins };
}

async function followVersion(walk: PinWalk, group: PinGroup): Promise<void> {
  const { version, first } = group;
  const { installedVersion, env } = walk.options;
  if (version === installedVersion || version.includes("$")) {
    walk.versions.push({ version, source: "bundled" });
    return;
  }
  const projectPath = projectPathOf(first, env);
  const source = projectPath ? walk.catalog?.(projectPath) : undefined;
  if (!source || !projectPath) {
    fallback(
      walk,
      group,
      !walk.online
        ? "--offline"
        : (walk.catalogProblem ?? (projectPath ? "GitLab is not configured (no GITLAB_URL or CI_SERVER_URL)" : "the include's project path is a variable")),
    );
    return;
  }
  try {
    const ref = await resolveRef(walk, group, source, projectPath);
    if (ref === undefined) return;
    const contents = await source.contentsAt(ref);
    walk.byVersion.set(version, new Map(Object.entries(contents.schemas) as Array<[string, InputsSchema]>));
    walk.versions.push({ version, ...(ref !== version ? { resolved: ref } : {}), source: "gitlab" });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    await readFailed(walk, group, source, projectPath, err);
  }
}

/**
 * The ref whose schemas to read: the version itself, or the release a moving version (`~latest`,
 * `1`, `1.2`) resolves to. undefined when nothing is left to read: no release matches (reported),
 * or the release is the installed version (bundled schemas).
 */
async function resolveRef(walk: PinWalk, group: PinGroup, source: CatalogSource, projectPath: string): Promise<string | undefined> {
  const { version, first, where, pins } = group;
  if (!MOVING.test(version)) return version;
  if (!walk.releases.has(projectPath)) walk.releases.set(projectPath, source.releases());
  const [report] = analysePins(
    [{ reference: first.reference ?? "", host: "", projectPath, component: first.component, version, line: first.line }],
    await walk.releases.get(projectPath)!,
  );
  if (!report?.resolves) {
    walk.diagnostics.push({
      code: "UNKNOWN_VERSION",
      severity: "error",
      ...where,
      message: `${pins}: no release of ${projectPath} matches \`${version}\`, so GitLab cannot include it`,
      expected: version === "~latest" ? "at least one released semantic version" : `a released version ${version}.x (prereleases do not count)`,
      actual: report?.detail ?? "no release",
      fix: "pin a published version; `harbor-ci versions` lists them",
    });
    return undefined;
  }
  if (report.resolves === walk.options.installedVersion) {
    walk.versions.push({ version, resolved: report.resolves, source: "bundled" });
    return undefined;
  }
  return report.resolves;
}

/** GitLab answered an error: a hidden project, a missing version, or GitLab not readable. */
async function readFailed(walk: PinWalk, group: PinGroup, source: CatalogSource, projectPath: string, err: CliError): Promise<void> {
  const { version, where, pins } = group;
  if (err.code === "GITLAB_REF_NOT_FOUND" || err.code === "GITLAB_NOT_FOUND") {
    let shown: boolean | CliError;
    try {
      shown = await source.visible();
    } catch (probe) {
      if (!(probe instanceof CliError)) throw probe;
      shown = probe;
    }
    if (shown === false) {
      unreadable(walk, group, projectPath);
      return;
    }
    if (shown instanceof CliError) {
      fallback(walk, group, `GitLab could not be read (${shown.code}: ${shown.message})`);
      return;
    }
  }
  if (err.code === "GITLAB_REF_NOT_FOUND") {
    walk.diagnostics.push({
      code: "UNKNOWN_VERSION",
      severity: "error",
      ...where,
      message: `${pins}: \`${version}\` is not a tag, branch or commit of ${projectPath}, so GitLab cannot include it`,
      actual: version,
      fix: "pin a published version; `harbor-ci versions` lists them",
    });
    return;
  }
  fallback(walk, group, `GitLab could not be read (${err.code}: ${err.message})`);
}

/** A warning that the pin's inputs were checked against the installed version's schemas. */
function fallback(walk: PinWalk, group: PinGroup, why: string): void {
  const { version, where, pins } = group;
  const { installedVersion, packageName } = walk.options;
  walk.versions.push({ version, source: "bundled-fallback" });
  walk.diagnostics.push({
    code: "PIN_CHECKED_AGAINST_INSTALLED",
    severity: "warning",
    ...where,
    message: `${pins}: inputs checked against the schemas of ${installedVersion} (this harbor-ci), not of ${version}: ${why}`,
    expected: `the schemas of ${version}`,
    actual: `the schemas of ${installedVersion}`,
    fix: `set GITLAB_URL (a job has CI_SERVER_URL) and GITLAB_TOKEN (read_api) to read ${version}'s schemas from the library project, or run the CLI of that version: npx --package=${packageName ?? "@<scope>/harbor-ci-components"}@${version} -- harbor-ci validate`,
  });
}

/** GitLab shows no such project to this caller: a hidden project is not a missing version. */
function unreadable(walk: PinWalk, group: PinGroup, projectPath: string): void {
  const { version, where, pins } = group;
  const { installedVersion, packageName, env } = walk.options;
  walk.versions.push({ version, source: "bundled-fallback" });
  const anonymous = !env.GITLAB_TOKEN;
  walk.diagnostics.push({
    code: "LIBRARY_NOT_READABLE",
    severity: "warning",
    ...where,
    message: `${pins}: GitLab shows no project ${projectPath} to ${anonymous ? "an anonymous caller (no GITLAB_TOKEN)" : "the user of GITLAB_TOKEN"}: it answers 404 Project Not Found for a private or internal project the caller may not read as for a missing one, so ${version} was not checked against its own schemas; inputs checked against the schemas of ${installedVersion} (this harbor-ci)`,
    expected: `read access to ${projectPath}: a token with the read_api scope of a user who can read it (Reporter; Guest on an internal project)`,
    actual: anonymous ? "no GITLAB_TOKEN" : "GITLAB_TOKEN's user cannot read it, or the project path is wrong",
    fix: `give validate a token that can read ${projectPath}: export GITLAB_TOKEN=<a token with the read_api scope> (in a job, a masked CI/CD variable: CI_JOB_TOKEN cannot read repository files through GitLab's API, whatever the library's job token allowlist says); check the include's project path; or run the CLI of that version, which bundles its schemas: npx --package=${packageName ?? "@<scope>/harbor-ci-components"}@${version === "~latest" ? "latest" : version} -- harbor-ci validate`,
  });
}
