// Release rules: a tag is a semantic version, and its notes are its section of CHANGELOG.md.
import semver from "semver";
import type { Diagnostic } from "../cli/diagnostics.ts";

/** A plain semantic version (semver.org, through the `semver` package), without a leading `v`: GitLab's catalog requires plain semver. */
export function isReleaseVersion(version: string): boolean {
  return /^\d/.test(version) && version === version.trim() && semver.valid(version) !== null;
}

export function checkReleaseTag(tag: string): Diagnostic | undefined {
  if (isReleaseVersion(tag)) return undefined;
  const suggestion = /^v(\d+\.\d+\.\d+.*)$/.exec(tag)?.[1];
  return {
    code: "TAG_NOT_SEMVER",
    severity: "error",
    file: "CI_COMMIT_TAG",
    line: 0,
    column: 0,
    message: `tag \`${tag}\` is not a semantic version, so the CI/CD Catalog cannot publish it`,
    expected: "MAJOR.MINOR.PATCH, e.g. 1.4.2 or 2.0.0-rc.1",
    actual: tag,
    fix: suggestion ? `tag the commit \`${suggestion}\` instead (no leading v)` : "delete the tag and push one such as 1.0.0",
  };
}

/** The body of `## <version>` (or `## [<version>]`) in a changelog, up to the next `## `. */
export function releaseNotes(changelog: string, version: string): string | undefined {
  const lines = changelog.split("\n");
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const heading = new RegExp(`^##\\s+\\[?v?${escaped}\\]?(\\s|$)`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  if (end < 0) end = lines.length;
  const body = lines
    .slice(start + 1, end)
    .join("\n")
    .trim();
  return body || undefined;
}
