// Error codes of the Harbor API client (scripts/lib/harbor-api/): the transport's and every
// resource's. The exit code of each is the calling command's (HarborTransportOptions.exitCode).

import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  HARBOR_UNREACHABLE: {
    summary: "no connection to Harbor at all (DNS, TLS, refused)",
    fix: "check the Harbor URL (scheme, host, port), DNS, proxy and TLS settings",
  },
  HARBOR_UNEXPECTED_RESPONSE: {
    summary: "the answer is not what Harbor's API (vendor/harbor/swagger.yaml) documents: an HTML sign-in page, a proxy page, another shape",
    fix: "check that the URL is Harbor's base URL (no /api/v2.0, not behind a sign-in page) and that Harbor is 2.x",
  },
  HARBOR_RESPONSE_TOO_LARGE: {
    summary: "an answer is larger than --max-response-bytes; reading stopped there",
    fix: "check the Harbor URL (another service may be answering); raise --max-response-bytes if the answer is legitimately that large",
  },
  HARBOR_ANSWER_MISMATCH: {
    summary: "Harbor's answer names another project, robot or digest than the one asked; nothing was changed",
    fix: "check the Harbor URL and any proxy in between: the answer comes from another Harbor project or another server",
  },
  HARBOR_REQUEST_FAILED: {
    summary: "Harbor answered an HTTP error the command has no specific meaning for",
    fix: "read Harbor's message; check the Harbor version (2.x) and its logs",
  },
  HARBOR_ADMIN_REJECTED: {
    summary: "Harbor rejected the admin credentials (HTTP 401)",
    fix: "set HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD to valid credentials",
  },
  HARBOR_ADMIN_FORBIDDEN: {
    summary: "the admin user may not administer the project (HTTP 403)",
    fix: "use an account with the Project Admin role, or a Harbor system administrator",
  },
  HARBOR_PROJECT_NOT_FOUND: { summary: "the Harbor project does not exist", fix: "create the project in Harbor or pass the right name with --harbor-project" },
  HARBOR_ROBOT_CONFLICT: { summary: "a robot of that name exists but was not listed (HTTP 409)", fix: "run again with --rotate-secret" },
  HARBOR_ROBOT_REJECTED: { summary: "Harbor refused to create the robot (HTTP 400)", fix: "check --robot-name and --duration; Harbor 2.3 or later is needed" },
  HARBOR_ROBOT_CHECK_FAILED: {
    summary: "Harbor refused the robot's new credentials",
    fix: "check the robot in Harbor (enabled, not expired, permissions) and run again with --rotate-secret",
  },
  HARBOR_CREDENTIALS_REJECTED: {
    summary: "Harbor rejected the robot's credentials (HTTP 401)",
    fix: "check HARBOR_USERNAME/HARBOR_PASSWORD; refresh an expired robot with `harbor-ci setup --rotate-secret`",
  },
  HARBOR_PERMISSION_DENIED: {
    summary: "the robot lacks a permission on the project (HTTP 403)",
    fix: "grant the permission named in the error (Project > Robot Accounts)",
  },
  ARTIFACT_NOT_FOUND: { summary: "Harbor has no artifact of that digest in that repository", fix: "scan the digest build-push pushed, in the same pipeline" },
  SCAN_NOT_PERMITTED: {
    summary: "the artifact was never scanned and the robot may not start a scan",
    fix: "turn on scan on push in the Harbor project, or `harbor-ci setup --scan`",
  },
  NO_SCANNER: {
    summary: "Harbor has no scanner for the project, or none that supports the artifact",
    fix: "ask a Harbor administrator to configure a scanner (Administration > Interrogation Services)",
  },
  ARTIFACT_NOT_SCANNABLE: { summary: "Harbor's scanner cannot scan this artifact", fix: "scan an image manifest (or an index of images) the scanner supports" },
  HARBOR_UNAVAILABLE: {
    summary: "Harbor did not answer after every retry (refused, reset, timeout, 429/5xx)",
    fix: "check that Harbor is up and reachable from here; --retries and the timeout options tune the backoff",
  },
  HARBOR_URL_MISSING: {
    summary: "no Harbor URL: neither --harbor-url nor HARBOR_URL is set",
    fix: "pass --harbor-url https://registry.example.com (in a job, GitLab's Harbor integration sets HARBOR_URL)",
    exitCode: 2,
  },
  HARBOR_CREDENTIALS_MISSING: {
    summary: "no Harbor credentials: HARBOR_USERNAME and HARBOR_PASSWORD must both be set",
    fix: "activate GitLab's Harbor integration (it sets both in every job), or export them for a robot that can read the project",
    exitCode: 2,
  },
} as const satisfies CodeTable;

export type HarborApiCode = keyof typeof CODES;
