// Error codes of `validate`: a consumer's pipeline checked offline and at its pinned versions; the
// shape and the rules: scripts/lib/cli/codes.ts. It also raises ci/'s YAML_SYNTAX and
// UNKNOWN_COMPONENT. Texts of GitLab's own errors are GitLab's (see pipeline.ts for the sources).
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  DUPLICATE_JOB_NAME: {
    summary: "two includes add a job of the same name, which GitLab would silently merge into one",
    fix: "give one of them another `job_name` input",
  },
  FILE_NOT_FOUND: {
    summary: "the pipeline file does not exist",
    fix: "pass the path of the pipeline file, e.g. harbor-ci validate .gitlab-ci.yml",
  },
  FILE_TOO_LARGE: {
    summary: "a pipeline or included file is larger than GitLab reads (GitLab says: The provided YAML is too big)",
    fix: "split the file: GitLab refuses it too",
  },
  INCLUDE_INVALID: {
    summary: "an `include:` entry is not something GitLab can include",
    fix: "write the path of a YAML file of this project, or a component reference",
  },
  INPUTS_NOT_A_MAPPING: {
    summary: "a component's `inputs:` is not a mapping of input names to values",
    fix: "write each input as `name: value` under `inputs:`",
  },
  INVALID_INPUT: {
    summary: "an input's value breaks its type, options or pattern in a supported GitLab version",
    fix: "give a value the error's `expected` line allows (the input's description says what it means)",
  },
  LOCAL_INCLUDE_EMPTY: {
    summary: "a local include names an empty file (GitLab refuses it)",
    fix: "add jobs to the file or remove the include",
  },
  LOCAL_INCLUDE_NOT_FOUND: {
    summary: "a local include names a file the project does not have",
    fix: "correct the path (relative to the repository root) or add the file",
  },
  LOCAL_INCLUDE_OUTSIDE_PROJECT: {
    summary: "a local include leaves the repository (../ or a link)",
    fix: "include a file of this repository, relative to its root",
  },
  LOCAL_WILDCARD_TRUNCATED: {
    summary: "warning: the project has too many files to expand a local include's wildcard fully",
    fix: "name the files to include",
  },
  NOT_A_FILE: {
    summary: "the pipeline path is a directory or another thing that is not a file",
    fix: "pass the path of the pipeline file itself",
  },
  PIN_CHECKED_AGAINST_INSTALLED: {
    summary: "warning: a pinned version's schemas could not be fetched, so its inputs were checked against the installed harbor-ci's",
    fix: "set GITLAB_URL (and GITLAB_TOKEN for a private library) so that validate reads the pinned version's schemas",
  },
  SCHEMAS_INVALID: {
    summary: "a schema in the --schemas folder is not a readable JSON Schema",
    fix: "point --schemas at a folder of <component>/inputs.schema.json files, e.g. this package's templates/",
    exitCode: 2,
  },
  TOO_MANY_INCLUDES: {
    summary: "the includes nest too deep, loop back, or are more than GitLab accepts",
    fix: "remove the cycle or merge includes, as the error says",
  },
  UNKNOWN_INPUT: {
    summary: "an include passes an input the component does not declare",
    fix: "correct the name (the error suggests the nearest) or remove it",
  },
  UNKNOWN_VERSION: {
    summary: "no release of the library matches a pinned version, so GitLab cannot include it",
    fix: "pin a published version; `harbor-ci versions` lists them",
  },
  UNPINNED_BRANCH: {
    summary: "warning: an include follows a branch, so the pipeline changes whenever the branch moves",
    fix: "pin a released version (e.g. @1.4.2)",
  },
  UNPINNED_MOVING_VERSION: {
    summary: "warning: an include pins a moving version (~latest, 1, 1.4) that resolves to the newest matching release",
    fix: "pin a full version (e.g. @1.4.2) for a pipeline that changes only when you change it",
  },
  JOB_INPUT_REFUSED: {
    summary: "an input GitLab accepts would be refused by the job itself at run time",
    fix: "fix the input's value: the job checks it after GitLab has accepted it (the message is the job's own)",
  },
  LIBRARY_NOT_READABLE: {
    summary: "GitLab does not show the library project to this caller (404 Project Not Found): a pinned version's schemas cannot be read",
    fix: "set GITLAB_TOKEN to a token with read_api that can read the library project; the include is checked against the installed schemas meanwhile",
  },
  YAML_UNSAFE_TAG: {
    summary: "a Ruby object tag (!ruby/...), which GitLab's safe YAML loading refuses",
    fix: "remove the tag: a pipeline holds plain YAML values only",
  },
} as const satisfies CodeTable;

export type ValidateCode = keyof typeof CODES;
