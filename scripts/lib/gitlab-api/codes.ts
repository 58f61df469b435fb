// Error codes of the GitLab API client and of the commands that only talk to GitLab (`versions`,
// `lint`); the shape and the rules: scripts/lib/cli/codes.ts.
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  CATALOG_NO_RELEASE: {
    summary: "the library project has no release to compare --from with",
    fix: "pass --to <version>",
    exitCode: 2,
  },
  CATALOG_PROJECT_MISSING: {
    summary: "no library project: --project is not given and HARBOR_CI_CATALOG_PROJECT and CI_PROJECT_PATH are not set",
    fix: "pass --project my-group/harbor-ci-components",
    exitCode: 2,
  },
  CATALOG_SCHEMA_INVALID: {
    summary: "an inputs.schema.json of a published version is not a JSON Schema object",
    fix: "regenerate the schemas (npm run generate) and publish a new version; that version stays unreadable",
  },
  GITLAB_FORBIDDEN: {
    summary: "GitLab refused the call (HTTP 403): the token's user lacks the role it needs",
    fix: "ask an Owner to give the token's user the role the error names, or use a token of a user who has it",
  },
  GITLAB_INSUFFICIENT_SCOPE: {
    summary: "the token in GITLAB_TOKEN lacks the scope the call needs (HTTP 403 insufficient_scope)",
    fix: "create a token with the scope the error names (often `api`) and export it as GITLAB_TOKEN",
  },
  GITLAB_INTEGRATION_REJECTED: {
    summary: "GitLab refused the Harbor integration's settings (HTTP 400)",
    fix: "check --harbor-url (a public http(s) URL), the project and robot names; GitLab's message says which",
  },
  GITLAB_NOT_FOUND: {
    summary: "GitLab cannot find the project, group or file (HTTP 404), or the token's user cannot see it",
    fix: "check the path or ID and that the token's user is a member",
  },
  GITLAB_PROJECT_MISSING: {
    summary: "no project to lint in: --project is not given and CI_PROJECT_ID / CI_PROJECT_PATH are not set",
    fix: "pass --project my-group/my-app or a numeric ID",
    exitCode: 2,
  },
  GITLAB_REF_NOT_FOUND: {
    summary: "a version given to `versions` is not a tag, branch or commit of the library project",
    fix: "run `harbor-ci versions` without --from/--to to list the published versions",
  },
  GITLAB_REQUEST_FAILED: {
    summary: "GitLab answered with an error status not covered by a more precise code",
    fix: "read GitLab's message in the error; fix the input it names and run again",
  },
  GITLAB_RESPONSE_TOO_LARGE: {
    summary: "GitLab's answer is larger than --max-response-bytes; reading stopped there",
    fix: "check GITLAB_URL (a proxy or another service may be answering); raise --max-response-bytes if the answer is right",
  },
  GITLAB_TOKEN_MISSING: {
    summary: "no GitLab token: GITLAB_TOKEN is not set (tokens are read from the environment only)",
    fix: "create an access token with the `api` scope and export GITLAB_TOKEN=<token>",
    exitCode: 2,
  },
  GITLAB_UNAUTHORIZED: {
    summary: "GitLab rejected the token in GITLAB_TOKEN (HTTP 401): invalid, expired or revoked",
    fix: "create a new access token with the scope the error names and export it as GITLAB_TOKEN",
  },
  GITLAB_UNAVAILABLE: {
    summary: "GitLab did not answer, or answered 5xx/429, on every attempt",
    fix: "check that GITLAB_URL is up and reachable from here (proxy, VPN, TLS), then run again; --retries and --timeout tune the attempts",
  },
  GITLAB_UNEXPECTED_RESPONSE: {
    summary: "the answer is not GitLab's (an HTML page, a proxy's answer, a shape GitLab does not send): nothing was believed or changed",
    fix: "check that GITLAB_URL is GitLab's base URL as reached from here (no /api/v4, no sign-in redirect, proxy settings)",
  },
  GITLAB_UNREACHABLE: {
    summary: "GitLab cannot be reached at all (DNS, connection, TLS)",
    fix: "check GITLAB_URL (scheme, host, port), DNS, proxy and TLS settings",
  },
  GITLAB_URL_MISSING: {
    summary: "no GitLab URL: neither --gitlab-url nor GITLAB_URL is set",
    fix: "export GITLAB_URL=https://gitlab.example.com (or pass --gitlab-url)",
    exitCode: 2,
  },
  LINT_FILE_UNREADABLE: {
    summary: "a file given to `lint` cannot be read",
    fix: "check the path, or pass --no-ci-file to skip the pipeline file",
    exitCode: 2,
  },
  LINT_NOTHING: {
    summary: "`lint` was given nothing to lint",
    fix: "drop --no-ci-file or add --file <path>",
    exitCode: 2,
  },
  PIPELINE_UNREADABLE: {
    summary: "the pipeline file given to `versions --pipeline` cannot be read",
    fix: "pass the path of a pipeline file, e.g. --pipeline .gitlab-ci.yml",
    exitCode: 2,
  },
  GITLAB_PATH_INVALID: {
    summary: "a GitLab project or group path has an empty, `.` or `..` segment",
    fix: "give the full path as GitLab shows it, e.g. my-group/my-app",
    exitCode: 2,
  },
} as const satisfies CodeTable;

export type GitlabApiCode = keyof typeof CODES;
