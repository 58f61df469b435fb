// Error codes of the release rules, the release job's scripts (scripts/release/) and
// `release-notes`; the shape and the rules: scripts/lib/cli/codes.ts.
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  CHANGELOG_UNREADABLE: {
    summary: "CHANGELOG.md cannot be read",
    fix: "pass --changelog with the path of CHANGELOG.md",
    exitCode: 2,
  },
  MISSING_RELEASE_NOTES: {
    summary: "CHANGELOG.md has no `## <tag>` section for the release tag",
    fix: "rename `## Unreleased` to `## <tag>` (with the date) before tagging",
  },
  NPM_FAILED: {
    summary: "npm failed while packing, looking up or publishing the package",
    fix: "read npm's error lines in the message (credentials are scrubbed); fix the registry, token or package it names",
  },
  PACK_UNREADABLE: {
    summary: "the packed tarball cannot be unpacked to set the package's name",
    fix: "check that tar is installed in the job image",
  },
  PACKAGE_NAME_INVALID: {
    summary: "the npm package name (HARBOR_CI_PACKAGE_NAME, or made from the root namespace) is not a scoped npm name",
    fix: "set the CI/CD variable HARBOR_CI_PACKAGE_NAME to a name such as @my-group/harbor-ci-components",
    exitCode: 2,
  },
  PACKAGE_VERSION_EXISTS: {
    summary: "that version of the package is already published with other contents",
    fix: "a published version never changes: tag a new version (and set it in package.json)",
  },
  PACKAGE_VERSION_MISMATCH: {
    summary: "package.json's version is not the release tag, so the npm package and the Catalog release would disagree",
    fix: "set the version in package.json to the tag before tagging",
  },
  RELEASE_VARIABLE_INVALID: {
    summary: "a CI/CD variable the release needs (CI_API_V4_URL, CI_PROJECT_ID) has a value it cannot use",
    fix: "run the release job in a GitLab tag pipeline, or export the variable with the value the error expects",
    exitCode: 2,
  },
  RELEASE_VARIABLE_MISSING: {
    summary: "a CI/CD variable the release needs is not set",
    fix: "run the release job in a tag pipeline of GitLab, or export the variable",
    exitCode: 2,
  },
  TAG_NOT_SEMVER: {
    summary: "the release tag is not a semantic version, so the CI/CD Catalog cannot publish it",
    fix: "tag MAJOR.MINOR.PATCH, e.g. 1.4.2 (no leading v)",
  },
  PACKAGE_NAME_MISMATCH: {
    summary: "package.json's name is not the scope the library's top-level group publishes (@<group, lower-case>/harbor-ci-components)",
    fix: "set package.json's name and scan-gate's `package` default to the name the release expects (npm run check names both)",
  },
} as const satisfies CodeTable;

export type ReleaseCode = keyof typeof CODES;
