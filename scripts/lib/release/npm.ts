// Publishing the CLI as an npm package to the library project's own GitLab package registry:
// which name, which registry URL, which .npmrc. Pure; scripts/release/publish-npm.ts runs it.
//
// GitLab's npm registry API (docs.gitlab.com/user/packages/npm_registry/ and
// docs.gitlab.com/api/packages/npm/): the project-level endpoint is
// `${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/packages/npm/`; `npm publish` sends
// `PUT <endpoint>/@scope%2fname`, authenticated in a pipeline with the job token
// (`//<host>/api/v4/projects/<id>/packages/npm/:_authToken=${CI_JOB_TOKEN}` in .npmrc).
// Through the project-level endpoint the name does not have to follow the instance-level naming
// convention (scope = root namespace), but by default the scope is the root namespace anyway, so
// that the group- and instance-level endpoints serve it too.
import { CliError, usageError } from "../cli/diagnostics.ts";
import { checkReleaseTag } from "./changelog.ts";
import { checkPackageVersion } from "./package-info.ts";

/** The package's name after `@scope/`, whatever the installation. */
export const PACKAGE_BASENAME = "harbor-ci-components";

/** npm's rules for a scoped name (validate-npm-package-name): lowercase, URL-safe, <= 214 chars. */
const SCOPED_NAME = /^@[a-z0-9][a-z0-9._~-]*\/[a-z0-9][a-z0-9._~-]*$/;

export interface ReleaseSettings {
  name: string;
  version: string;
  /** With a trailing slash: `https://gitlab.example.com/api/v4/projects/42/packages/npm/`. */
  registry: string;
  /** `latest`, or `next` for a prerelease (npm refuses a prerelease without an explicit tag). */
  distTag: string;
}

/** HARBOR_CI_PACKAGE_NAME, else `@<root namespace>/harbor-ci-components`. */
export function packageNameFrom(env: Record<string, string | undefined>): string {
  const explicit = env.HARBOR_CI_PACKAGE_NAME?.trim();
  const root = env.CI_PROJECT_ROOT_NAMESPACE?.trim();
  if (!explicit && !root) {
    throw usageError(
      "PACKAGE_NAME_MISSING",
      "no package name: neither HARBOR_CI_PACKAGE_NAME nor CI_PROJECT_ROOT_NAMESPACE is set",
      `set the CI/CD variable HARBOR_CI_PACKAGE_NAME=@<your-scope>/${PACKAGE_BASENAME} (or run in a GitLab pipeline)`,
    );
  }
  const name = explicit || `@${root!.toLowerCase()}/${PACKAGE_BASENAME}`;
  if (!SCOPED_NAME.test(name) || name.length > 214) {
    throw usageError(
      "PACKAGE_NAME_INVALID",
      `\`${name}\` is not a scoped npm package name${explicit ? " (HARBOR_CI_PACKAGE_NAME)" : " (made from CI_PROJECT_ROOT_NAMESPACE)"}`,
      `set the CI/CD variable HARBOR_CI_PACKAGE_NAME to a name such as @my-group/${PACKAGE_BASENAME} (lowercase letters, digits, . _ ~ -)`,
      { expected: "@scope/name, lowercase and URL-safe", actual: name },
    );
  }
  return name;
}

function required(env: Record<string, string | undefined>, name: string, why: string): string {
  const value = env[name]?.trim();
  if (!value) throw usageError("RELEASE_VARIABLE_MISSING", `${name} is not set: ${why}`, `run the release job in a tag pipeline of GitLab, or export ${name}`);
  return value;
}

/** Everything the release needs from the environment, checked before anything is built or sent. */
export function releaseSettings(env: Record<string, string | undefined>, packageVersion: string): ReleaseSettings {
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
    name: packageNameFrom(env),
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
