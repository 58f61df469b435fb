import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "../cli.ts";
import { last, parseArgs, UsageError } from "../lib/args.ts";
import { formatDiagnostic } from "../lib/diagnostics.ts";
import { projectRoot } from "../lib/project.ts";
import { checkReleaseTag, releaseNotes } from "../lib/release.ts";

export const command: Command = {
  summary: "check that a release tag is a semantic version and print its CHANGELOG.md section",
  help: `Usage: harbor-ci release-notes <tag> [--changelog FILE]

Exits 1 with a clear message when <tag> is not a semantic version (the CI/CD Catalog publishes
only those) or CHANGELOG.md has no \`## <tag>\` section; otherwise prints that section, which the
release job publishes as the release notes.

Example (the project's release job):
  npx harbor-ci release-notes "$CI_COMMIT_TAG" > release-notes.md`,
  async run(argv) {
    try {
      const args = parseArgs(argv, { values: ["changelog"] });
      const [tag] = args.positional;
      if (!tag || args.positional.length > 1) throw new UsageError("give exactly one tag");
      const bad = checkReleaseTag(tag);
      if (bad) {
        process.stderr.write(formatDiagnostic(bad) + "\n");
        return 1;
      }
      const file = last(args, "changelog") ?? join(projectRoot, "CHANGELOG.md");
      const notes = releaseNotes(readFileSync(file, "utf8"), tag);
      if (!notes) {
        process.stderr.write(`${file}: error MISSING_RELEASE_NOTES: no \`## ${tag}\` section\n  fix:      rename \`## Unreleased\` to \`## ${tag}\` (with the date) before tagging\n`);
        return 1;
      }
      process.stdout.write(notes + "\n");
      return 0;
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`harbor-ci release-notes: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  },
};
