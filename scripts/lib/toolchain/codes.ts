// Error codes of the developer toolchain (`npm run generate` / `npm run check`, the template
// rules, the layout and code-table checks, scripts/vendor/ and the other developer scripts); the
// shape and the rules: scripts/lib/cli/codes.ts. The template rules also raise ci/'s
// NOT_A_SPEC_DOCUMENT and YAML_SYNTAX.
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  // The template rules (template-rules.ts): each is a rule every component must pass.
  BODY_SCHEMA: {
    summary: "rendered with its defaults or a README example, the component's body fails GitLab's JSON schema",
    fix: "fix the template body so that GitLab accepts it",
  },
  DESCRIPTION_TOO_LONG: { summary: "an input's description is longer than GitLab's 1024 characters", fix: "shorten the JSDoc comment in inputs.ts" },
  GLOBAL_KEYWORD: {
    summary: "a component body has a global keyword (default, stages, workflow, variables, image, ...)",
    fix: "move it into the job, or leave it to the including pipeline",
  },
  INCLUDE_OUTSIDE_PROJECT: {
    summary: "a component includes configuration from outside the project",
    fix: "use `include: local:` only; inline the configuration or make it an input",
  },
  INPUT_IN_SCRIPT: {
    summary: "an input is interpolated into a shell line, where the shell would run what it holds",
    fix: 'pass it as a job variable (HCI_<NAME>: $[[ inputs.name ]]) and read "$HCI_NAME" in the script',
  },
  INPUT_TYPE_MISSING: { summary: "an input has no `type` (GitLab's schema rejects a default without one)", fix: "give the input a type in inputs.ts" },
  INVALID_DEFAULT: {
    summary: "an input's default breaks its own type, options or regex",
    fix: "make the @default satisfy the input's type, options and pattern",
  },
  INVALID_INTERPOLATION: {
    summary: "a `$[[ ]]` block has an unknown key, a bad access or unknown or too many functions",
    fix: "use inputs.<name> with at most 3 of expand_vars, truncate(offset,length), posix_escape",
  },
  JOB_NAME_NOT_FROM_INPUT: { summary: "a job of a component has a fixed name", fix: "name it from an input: $[[ inputs.job_name ]]" },
  OPTIONS_ON_INVALID_TYPE: { summary: "`options` on an input that is not a string or a number", fix: "drop the options, or change the input's type" },
  REGEX_INVALID: { summary: "an input's regex does not compile", fix: "fix the @pattern in inputs.ts" },
  REGEX_NOT_RE2: {
    summary: "an input's regex is not RE2 (lookaround, backreferences), which GitLab uses",
    fix: "rewrite the @pattern in RE2 syntax",
  },
  REGEX_ON_NON_STRING: { summary: "`regex` on an input that is not a string", fix: "drop the @pattern, or make the input a string" },
  REJECTED_BY_GITLAB_VERSION: {
    summary: "a supported GitLab version rejects the component with its defaults, a README example or a self-test include",
    fix: "change the default, pattern or example so that every supported version (see the README's table) accepts it",
  },
  RENDER_FAILED: {
    summary: "the template does not render with its defaults or with a README example",
    fix: "give required inputs a README example, and fix what the error names",
  },
  SPEC_SCHEMA: { summary: "the spec header fails GitLab's JSON schema", fix: "the spec header allows `spec: inputs:` only, with the keys GitLab documents" },
  STAGE_NOT_FROM_INPUT: { summary: "a job's stage does not come from an input", fix: "set `stage: $[[ inputs.stage ]]`" },
  TOO_MANY_OPTIONS: { summary: "an input has more than GitLab's 50 options", fix: "use a regex instead of a list of options" },
  UNDECLARED_INPUT: { summary: "the body uses an input that spec:inputs does not declare", fix: "declare it in inputs.ts, or correct the name" },
  UNUSED_INPUT: { summary: "an input is declared but the body never uses it", fix: "use it, or remove it from inputs.ts" },

  // inputs.ts -> schemas (inputs-schema.ts).
  MISSING_DEFAULT: { summary: "an optional input (`?`) has no @default", fix: "add `@default <value>` to its JSDoc, or make it required" },
  MISSING_DESCRIPTION: {
    summary: "an input has no description",
    fix: "write a JSDoc comment above the property: it is the input's description in the catalog",
  },
  MISSING_INPUTS_TYPE: {
    summary: "a component has no inputs.ts, or it does not export the component's inputs interface",
    fix: "create templates/<name>/inputs.ts with `export interface <Name>Inputs { ... }`",
  },
  REQUIRED_WITH_DEFAULT: { summary: "a required input (no `?`) has a @default", fix: "make it optional to keep the default, or remove the @default" },
  TYPESCRIPT_ERROR: { summary: "an inputs.ts does not compile", fix: "fix the TypeScript error at the line given" },
  UNSUPPORTED_INPUT_TYPE: {
    summary: "an input's TypeScript type cannot be a GitLab input",
    fix: "declare it as string, number, boolean, an array, or a union of string (or number) literals",
  },

  // Generated files (toolchain.ts, shell-blocks.ts, package-facts.ts).
  DOCS_MARKERS_MISSING: {
    summary: "a doc has no marker lines for a generated region (package facts in docs/cli.md, subsystems in CONTRIBUTING.md)",
    fix: "add the two marker lines, then run `npm run generate`",
  },
  GITLAB_SCHEMA_MISSING: {
    summary: "GitLab's JSON schema for .gitlab-ci.yml is not where the check reads it",
    fix: "restore vendor/gitlab/ (git checkout -- vendor/gitlab), or give its path with --gitlab-schema; --no-gitlab-schema skips that validation explicitly",
  },
  INPUT_CHECKS_FAILED: {
    summary: "an input's @pattern cannot become the job's shell check",
    fix: "write the @pattern in RE2 syntax that POSIX ERE shares, or give the input a non-empty default",
  },
  INPUT_CHECKS_MARKERS_MISSING: {
    summary: "a template has no marker lines for the job's generated input checks",
    fix: "add the two marker lines, then run `npm run generate`",
  },
  PACKAGE_JSON_UNREADABLE: { summary: "package.json cannot be read for the generated package facts", fix: "fix package.json (npm reads it too)" },
  README_MARKERS_MISSING: {
    summary: "README.md has no marker lines for a generated table (a component's inputs, the GitLab support table)",
    fix: "add the two marker lines, then run `npm run generate`",
  },
  README_MISSING: { summary: "README.md is missing (GitLab requires it to publish to the CI/CD Catalog)", fix: "write README.md" },
  SHELL_BLOCK_UNTERMINATED: {
    summary: "a generated shell block in a template has no end marker",
    fix: "add the end marker line below the block, then run `npm run generate`",
  },
  SHELL_SOURCE_MISSING: { summary: "a shell block's marker names a .sh file that does not exist", fix: "create the file or correct the marker's path" },

  // The layout of scripts/lib/ (subsystems.ts).
  FLAT_LIB: { summary: "scripts/lib/ holds more files directly than allowed", fix: "move files into the subsystem folder that knows their subject" },
  SUBSYSTEM_IMPORT: {
    summary: "a subsystem of scripts/lib/ imports one it may not",
    fix: "move the shared piece into a subsystem both may import, or allow the import in scripts/lib/toolchain/subsystems.ts",
  },
  TOOLCHAIN_IN_PACKAGE: {
    summary: "the installed CLI can load the developer toolchain",
    fix: "move what the command needs out of scripts/lib/toolchain/ (often into ci/)",
  },
  UNKNOWN_SUBSYSTEM: {
    summary: "a folder of scripts/lib/ is not a declared subsystem",
    fix: "put the file in the subsystem that knows its subject, or declare the subsystem in scripts/lib/toolchain/subsystems.ts",
  },

  // The tables of error codes (error-codes.ts).
  CODE_LISTED_TWICE: {
    summary: "an error code is listed in two codes.ts tables",
    fix: "keep it in the table of the subsystem that raises it; a subsystem may raise the codes of those it may import",
  },
  CODE_NAME_INVALID: { summary: "an entry of a codes.ts table is not a SCREAMING_SNAKE_CASE code", fix: "rename it" },
  CODE_NOT_LISTED: {
    summary: "an error code is raised in scripts/ or bin/ but listed in no codes.ts the file may use",
    fix: "add it to scripts/lib/<subsystem>/codes.ts with a summary and a fix, then run `npm run generate`",
  },
  CODE_NOT_USED: { summary: "a codes.ts table lists a code nothing raises (a stale table)", fix: "delete the entry" },
  CODE_TEXT_MISSING: { summary: "an entry of a codes.ts table has no summary or no fix", fix: "write a one-line summary (what went wrong) and the usual fix" },
  CODES_TABLE_UNREADABLE: {
    summary: "a codes.ts has no `export const CODES = { … }` of string literals",
    fix: "write it as scripts/lib/cli/codes.ts does: NAME: { summary, fix } with string literals",
  },

  // scripts/vendor/refresh.ts (npm run vendor:refresh).
  VENDOR_BAD_COMMIT: {
    summary: "the commit given to vendor:refresh is not a full commit ID",
    fix: "pass the 40-hex commit ID (a tag or branch would move)",
    exitCode: 2,
  },
  VENDOR_DOWNLOAD_FAILED: {
    summary: "an upstream file could not be downloaded; nothing was written",
    fix: "check that the commit exists in that repository and that this machine reaches it",
  },
  VENDOR_UNEXPECTED_CONTENT: {
    summary: "a downloaded upstream file is not what the checks read; nothing was written",
    fix: "check the file's path at that commit (see SOURCES in scripts/vendor/refresh.ts)",
  },
  VENDOR_UNKNOWN_SOURCE: { summary: "vendor:refresh was given a source it does not know", fix: "use gitlab or harbor", exitCode: 2 },
  VENDOR_USAGE: { summary: "vendor:refresh takes a source name and a commit", fix: "npm run vendor:refresh -- gitlab|harbor <40-hex commit>", exitCode: 2 },
  FUNCTION_TOO_LONG: {
    summary: "a function in scripts/ or bin/ is longer than 120 lines",
    fix: "split it along its section comments into named steps (functions with a name that says what the step does); shared mutable state becomes one explicit object passed to the steps",
  },
  INPUT_VARIABLE_NAME: {
    summary: "a job variable carrying an input is not named HCI_<INPUT>, or an HCI_<INPUT> name holds something else",
    fix: "name the variable HCI_ and the input's name upper-cased, holding that input alone ($[[ inputs.<name> ]])",
  },
  INPUT_VARIABLE_MISSING: {
    summary: "the job's shell reads $HCI_<INPUT> but the job's variables do not pass it",
    fix: "add HCI_<INPUT>: $[[ inputs.<name> ]] to the job's variables",
  },
  PACKAGE_DEFAULT_DRIFT: {
    summary: "scan-gate's default `package` or `package_version` differs from package.json's name or version",
    fix: "set the @default in templates/scan-gate/inputs.ts to package.json's name and version, then npm run generate",
  },
} as const satisfies CodeTable;

export type ToolchainCode = keyof typeof CODES;
