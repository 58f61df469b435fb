// The CLI's own package: its name and version, read from package.json at the package root (the
// checkout, or the installed package). The release sets both: the name per installation (the
// company's npm scope), the version from the release tag.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../cli/diagnostics.ts";
import { projectRoot } from "../project.ts";

export interface PackageInfo {
  name: string;
  version: string;
}

export function packageInfo(root = projectRoot): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
  return { name: String(pkg.name ?? ""), version: String(pkg.version ?? "") };
}

/**
 * At release time (a tag pipeline, CI_COMMIT_TAG set) the package version must be the tag: the
 * Catalog release and the npm package are the same version, and `validate` reads the bundled
 * schemas as that version's.
 */
export function checkPackageVersion(tag: string | undefined, version: string, file = "package.json"): Diagnostic | undefined {
  if (!tag || tag === version) return undefined;
  return {
    code: "PACKAGE_VERSION_MISMATCH",
    severity: "error",
    file,
    line: 0,
    column: 0,
    message: `the package version ${version} is not the release tag ${tag} (CI_COMMIT_TAG): the npm package and the Catalog release would disagree`,
    expected: `"version": "${tag}"`,
    actual: `"version": "${version}"`,
    fix: `set the version before tagging (npm version ${tag} --no-git-tag-version), commit, and tag that commit`,
  };
}
