// Publishing the CLI as an npm package to the library project's own GitLab package registry:
// which name, which registry URL, which .npmrc. Pure; scripts/release/publish-npm.ts runs it.
//
// GitLab's npm registry API (docs.gitlab.com/user/packages/npm_registry/ and
// docs.gitlab.com/api/packages/npm/): the project-level endpoint is
// `${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/packages/npm/`; `npm publish` sends
// `PUT <endpoint>/@scope%2fname`, authenticated in a pipeline with the job token
// (`//<host>/api/v4/projects/<id>/packages/npm/:_authToken=${CI_JOB_TOKEN}` in .npmrc).
// Through the project-level endpoint any name can be published, but the name is the top-level
// group's scope (lower-cased), so that the instance-level endpoint `${CI_API_V4_URL}/packages/npm/`
// serves it too: scan-gate installs from there, whatever group the consumer project is in. The
// name is a literal committed in package.json and in scan-gate's default `package` (a component
// is included at a tag: its default cannot be computed when the release runs).
import { CliError, type Diagnostic, usageError } from "../cli/diagnostics.ts";
import { checkReleaseTag } from "./changelog.ts";
import { checkPackageVersion } from "./package-info.ts";

/** The package's name after `@scope/`, whatever the installation. */
export const PACKAGE_BASENAME = "harbor-ci-components";

/** npm's rules for a scoped name (validate-npm-package-name): lowercase, URL-safe, <= 214 chars. */
const SCOPED_NAME = /^@[a-z0-9][a-z0-9._~-]*\/[a-z0-9][a-z0-9._~-]*$/;

/**
 * The name an installation publishes: `@<top-level group path, lower-cased>/harbor-ci-components`.
 * npm refuses upper-case names; GitLab's instance-level npm endpoint finds the group of a scope
 * case-insensitively (lib/api/helpers/packages/npm.rb `top_namespace_from` ->
 * `Namespace.top_most.by_path`, app/models/namespace.rb: `lower(path) = path.downcase`), then the
 * package by its exact name. So `My-Group` publishes `@my-group/...`, which that endpoint serves.
 */
export function scopedPackageName(rootNamespace: string): string {
  return `@${rootNamespace.trim().toLowerCase()}/${PACKAGE_BASENAME}`;
}

/** Why a name is not one npm and GitLab's instance-level endpoint accept; undefined when it is. */
export function scopedNameProblem(name: string): string | undefined {
  if (!SCOPED_NAME.test(name)) return "not `@scope/name` in lowercase letters, digits and . _ ~ -";
  if (name.length > 214) return "longer than 214 characters";
  return undefined;
}

/**
 * The name this checkout publishes (package.json's `name`, the same literal as scan-gate's default
 * `package`, which `npm run check` keeps equal) when this project's top-level group is
 * `rootNamespace`: a problem when the two disagree, because consumers would then ask the
 * registry for a package the release never published. Severity error in a tag pipeline (the
 * release stops before publishing), warning elsewhere (a fork's branch pipeline still runs).
 */
export function checkPackageName(
  committedName: string,
  rootNamespace: string | undefined,
  tag: string | undefined,
  file = "package.json",
): Diagnostic | undefined {
  const severity = tag ? "error" : "warning";
  const bad = scopedNameProblem(committedName);
  if (bad) {
    return {
      code: "PACKAGE_NAME_INVALID",
      severity: "error",
      file,
      line: 0,
      column: 0,
      message: `package.json's name \`${committedName}\` is not a scoped npm package name: ${bad}`,
      expected: `@<top-level group, lower-case>/${PACKAGE_BASENAME}`,
      actual: committedName,
      fix: `set "name" in package.json to ${rootNamespace ? scopedPackageName(rootNamespace) : `@<your-top-level-group>/${PACKAGE_BASENAME}`} and scan-gate's \`package\` @default (templates/scan-gate/inputs.ts) to the same, then run npm run generate`,
    };
  }
  const root = rootNamespace?.trim();
  if (!root) return undefined;
  const expected = scopedPackageName(root);
  if (expected === committedName) return undefined;
  return {
    code: "PACKAGE_NAME_MISMATCH",
    severity,
    file,
    line: 0,
    column: 0,
    message: `package.json names the package ${committedName}, but this project's top-level group \`${root}\` (CI_PROJECT_ROOT_NAMESPACE) publishes ${expected}: scan-gate's default \`package\` would name a package GitLab's instance-level npm endpoint cannot find`,
    expected: `"name": "${expected}"`,
    actual: `"name": "${committedName}"`,
    fix: `set "name" in package.json and scan-gate's \`package\` @default (templates/scan-gate/inputs.ts) to ${expected}, run npm run generate, commit, and tag that commit`,
  };
}

/**
 * The name the release publishes: package.json's, checked against the top-level group (see
 * checkPackageName). HARBOR_CI_PACKAGE_NAME no longer renames the package (a name only the
 * release knew is what broke scan-gate's default); a value other than the name is refused.
 */
export function packageNameFrom(env: Record<string, string | undefined>, committedName: string): string {
  const problem = checkPackageName(committedName, required(env, "CI_PROJECT_ROOT_NAMESPACE", "the package's scope is the top-level group"), "release");
  if (problem) throw new CliError({ ...problem, exitCode: 1 });
  const explicit = env.HARBOR_CI_PACKAGE_NAME?.trim();
  if (explicit && explicit !== committedName) {
    throw usageError(
      "PACKAGE_NAME_MISMATCH",
      `HARBOR_CI_PACKAGE_NAME is ${explicit}, but the components install ${committedName} (package.json's name)`,
      `remove the CI/CD variable HARBOR_CI_PACKAGE_NAME: the name is package.json's, the same literal as scan-gate's default \`package\``,
      { expected: committedName, actual: explicit },
    );
  }
  return committedName;
}

export interface ReleaseSettings {
  name: string;
  version: string;
  /** With a trailing slash: `https://gitlab.example.com/api/v4/projects/42/packages/npm/`. */
  registry: string;
  /** `latest`, or `next` for a prerelease (npm refuses a prerelease without an explicit tag). */
  distTag: string;
}

function required(env: Record<string, string | undefined>, name: string, why: string): string {
  const value = env[name]?.trim();
  if (!value) throw usageError("RELEASE_VARIABLE_MISSING", `${name} is not set: ${why}`, `run the release job in a tag pipeline of GitLab, or export ${name}`);
  return value;
}

/** Everything the release needs from the environment, checked before anything is built or sent. */
export function releaseSettings(env: Record<string, string | undefined>, local: { name: string; version: string }): ReleaseSettings {
  const packageVersion = local.version;
  const tag = required(env, "CI_COMMIT_TAG", "the package is published from a release tag only");
  const bad = checkReleaseTag(tag);
  if (bad) throw new CliError({ ...bad, exitCode: 1 });
  const mismatch = checkPackageVersion(tag, packageVersion);
  if (mismatch) throw new CliError({ ...mismatch, exitCode: 1 });
  const api = required(env, "CI_API_V4_URL", "it locates GitLab's npm registry API").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(api)) {
    throw usageError(
      "RELEASE_VARIABLE_INVALID",
      `CI_API_V4_URL \`${api}\` is not an http(s) URL`,
      "give GitLab's API URL, e.g. https://gitlab.example.com/api/v4",
      {
        expected: "http(s)://host[:port]/api/v4",
        actual: api,
      },
    );
  }
  const project = required(env, "CI_PROJECT_ID", "the package goes to this project's package registry");
  if (!/^\d+$/.test(project)) {
    throw usageError("RELEASE_VARIABLE_INVALID", `CI_PROJECT_ID \`${project}\` is not a project ID`, "give the numeric ID of the library project", {
      expected: "digits",
      actual: project,
    });
  }
  required(env, "CI_JOB_TOKEN", "GitLab authenticates the publish with the job token");
  return {
    name: packageNameFrom(env, local.name),
    version: packageVersion,
    registry: `${api}/projects/${project}/packages/npm/`,
    distTag: tag.includes("-") ? "next" : "latest",
  };
}

/** `https://host/api/v4/projects/1/packages/npm/` -> `//host/api/v4/projects/1/packages/npm/` (npm's key for its auth). */
export function registryAuthKey(registry: string): string {
  return registry.replace(/^https?:/, "");
}

/**
 * The .npmrc the release uses: the scope mapped to the registry, and the job token by REFERENCE
 * (npm expands `${CI_JOB_TOKEN}` when it reads the file), so that the token is in no file.
 */
export function releaseNpmrc(settings: ReleaseSettings, tokenVariable = "CI_JOB_TOKEN"): string {
  const scope = settings.name.split("/")[0]!;
  return `${scope}:registry=${settings.registry}\n${registryAuthKey(settings.registry)}:_authToken=\${${tokenVariable}}\n`;
}

/** The published manifest: the installation's name, the tag's version, no build-time fields. */
export function publishedManifest(manifest: Record<string, unknown>, settings: ReleaseSettings): Record<string, unknown> {
  const out: Record<string, unknown> = { ...manifest, name: settings.name, version: settings.version };
  // `private` guards the checkout against an accidental `npm publish` to the default registry,
  // under a name someone else may own; the release lifts it for this one registry.
  delete out.private;
  for (const key of ["scripts", "devDependencies", "overrides", "//overrides"]) delete out[key];
  out.publishConfig = { registry: settings.registry };
  return out;
}
