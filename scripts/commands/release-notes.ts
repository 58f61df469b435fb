import { LocalFileError, readRegularFile } from "../lib/cli/user-files.ts";
import { join } from "node:path";
import type { Command } from "./command.ts";
import { parseCommandArgs } from "../lib/cli/args.ts";
import { formatDiagnostic, usageError } from "../lib/cli/diagnostics.ts";
import { projectRoot } from "../lib/project.ts";
import { checkReleaseTag, releaseNotes } from "../lib/release/changelog.ts";

export const command: Command = {
  summary: "check that a release tag is a semantic version and print its CHANGELOG.md section",
  help: `Usage: harbor-ci release-notes <tag> [--changelog FILE]

Exits 1 with a clear message when <tag> is not a semantic version (the CI/CD Catalog publishes
only those) or CHANGELOG.md has no \`## <tag>\` section; otherwise prints that section, which the
release job publishes as the release notes.

Example (the project's release job):
  npx harbor-ci release-notes "$CI_COMMIT_TAG" > release-notes.md`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("release-notes", argv, { changelog: { type: "string" } }, true);
    const [tag] = positionals;
    if (!tag || positionals.length > 1) throw usageError("OPTION_INVALID", "give exactly one tag", 'harbor-ci release-notes "$CI_COMMIT_TAG"');
    const bad = checkReleaseTag(tag);
    if (bad) {
      process.stderr.write(formatDiagnostic(bad) + "\n");
      return 1;
    }
    const file = values.changelog ?? join(projectRoot, "CHANGELOG.md");
    let text: string;
    try {
      text = readRegularFile(file);
    } catch (err) {
      if (!(err instanceof LocalFileError)) throw err;
      throw usageError("CHANGELOG_UNREADABLE", `cannot read ${file}: ${err.detail}`, "pass --changelog with the path of CHANGELOG.md");
    }
    const notes = releaseNotes(text, tag);
    if (!notes) {
      const missing = {
        code: "MISSING_RELEASE_NOTES",
        severity: "error",
        file,
        line: 0,
        column: 0,
        message: `no \`## ${tag}\` section`,
        fix: `rename \`## Unreleased\` to \`## ${tag}\` (with the date) before tagging`,
      } as const;
      process.stderr.write(formatDiagnostic(missing) + "\n");
      return 1;
    }
    process.stdout.write(notes + "\n");
    return 0;
  },
};
