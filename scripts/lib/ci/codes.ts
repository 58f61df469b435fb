// Error codes of the offline GitLab CI model (and of `render`, which runs it); the shape and the
// rules: scripts/lib/cli/codes.ts. Subsystems that import ci/ raise these too (validate, toolchain).
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  COMPONENT_NAME_INVALID: {
    summary: "a component name is not a name GitLab accepts (a path was given, or a typo)",
    fix: "pass the component's name (e.g. build-push), not a path",
  },
  GITLAB_VERSION_UNSUPPORTED: {
    summary: "--gitlab-version is not a supported GitLab version",
    fix: "give major.minor, 17.0 or later (e.g. --gitlab-version 17.11)",
    exitCode: 2,
  },
  INPUTS_FILE_INVALID: {
    summary: "the --inputs-file is not YAML, or not a mapping of input names to values",
    fix: "write `name: value` lines",
    exitCode: 2,
  },
  INPUTS_FILE_UNREADABLE: {
    summary: "the --inputs-file cannot be read",
    fix: "pass the path of a YAML file of `name: value` lines",
    exitCode: 2,
  },
  NOT_A_SPEC_DOCUMENT: {
    summary: "a component file is not a `spec:` document, a `---` line and a body",
    fix: "start the file with `spec: inputs: ...`, then `---`, then the jobs",
  },
  README_EXAMPLE_INVALID: {
    summary: "a YAML example in the README does not parse, or includes a component the library does not have",
    fix: "fix the example: the checks render every component with it",
  },
  UNKNOWN_COMPONENT: {
    summary: "no component of the library has that name",
    fix: "use one of the names the error lists (templates/<name>/)",
  },
  YAML_SYNTAX: {
    summary: "the file is not valid YAML",
    fix: "fix the YAML syntax at the line and column given",
  },
  YAML_TOO_BIG: {
    summary: "the YAML nests deeper, or its aliases expand further, than GitLab's loader allows (The parsed YAML is too big)",
    fix: "use less nesting and fewer aliases: GitLab refuses this document too",
  },
} as const satisfies CodeTable;

export type CiCode = keyof typeof CODES;
