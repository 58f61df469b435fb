import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import type { Command } from "./command.ts";
import { parseCommandArgs } from "../lib/cli/args.ts";
import { plan, report, stale } from "../lib/toolchain/toolchain.ts";
import { blocksWriting } from "../lib/toolchain/regex-source.ts";

export const OPTIONS = {
  root: { type: "string" },
  "gitlab-schema": { type: "string" },
  "no-gitlab-schema": { type: "boolean" },
} as const;

/** generate and check take the same options: one text for both --help pages. */
export const OPTIONS_HELP = `Options:
  --root DIR            project root (default: this project)
  --gitlab-schema PATH  GitLab's JSON schema for .gitlab-ci.yml (default: $GITLAB_CI_SCHEMA,
                        then the vendored vendor/gitlab/ci.schema.json); missing is an error
  --no-gitlab-schema    skip the validation against GitLab's schema (said in a note)`;

/** The plan of generated files and rule violations for these command-line arguments. */
export function planFromArgs(command: string, argv: string[]) {
  const { values } = parseCommandArgs(command, argv, OPTIONS);
  return plan({ root: values.root, gitlabSchema: values["gitlab-schema"], noGitlabSchema: values["no-gitlab-schema"] });
}

export const command: Command = {
  summary: "write the JSON Schemas, spec:inputs headers, the docs' tables and the templates' shell blocks",
  help: `Usage: harbor-ci generate [--root DIR] [--gitlab-schema PATH | --no-gitlab-schema]

Reads templates/<component>/inputs.ts (one TypeScript program for all components) and writes:
  templates/<component>/inputs.schema.json   the JSON Schema of the inputs
  templates/<component>/template.yml         its spec:inputs header, and the shell blocks between
                                             \`# >>> <file>.sh\` and \`# <<< <file>.sh\` markers from
                                             templates/lib/*.sh and templates/<component>/*.sh
  README.md                                  the inputs table between the component's markers
  docs/cli.md                                the package facts, from package.json
  docs/errors.md                             the table of error codes, from scripts/lib/*/codes.ts
Then runs the template rules and prints any violation.

${OPTIONS_HELP}

Example:
  npm run generate`,
  async run(argv) {
    const result = planFromArgs("generate", argv);
    // A bad @pattern would be copied into the schema, the header and the README: write nothing.
    const writable = blocksWriting(result.diagnostics) ? [] : stale(result.files);
    if (writable.length === 0 && blocksWriting(result.diagnostics)) process.stderr.write("nothing written: fix the pattern(s) below first\n");
    for (const file of writable) {
      writeFileSync(file.path, file.content);
      process.stdout.write(`wrote ${relative(process.cwd(), file.path)}\n`);
    }
    for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
    if (result.diagnostics.length) process.stderr.write(report(result.diagnostics) + "\n");
    return result.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
  },
};
