// Error codes of `harbor-ci setup` (its options and its plan); the shape and the rules:
// scripts/lib/cli/codes.ts. The Harbor and GitLab calls raise their clients' codes.
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  HARBOR_PROJECT_MISSING: { summary: "no Harbor project given", fix: "pass --harbor-project <name>", exitCode: 2 },
  GITLAB_TARGET_MISSING: {
    summary: "not exactly one of --project and --group",
    fix: "pass --project my-group/my-app (or --group my-group)",
    exitCode: 2,
  },
  ROBOT_NAME_INVALID: {
    summary: "the robot name is not one Harbor accepts",
    fix: "use lowercase letters and digits, separated by single . _ or -",
    exitCode: 2,
  },
  DURATION_CONFLICT: { summary: "--no-expiry and --duration contradict each other", fix: "keep one of them", exitCode: 2 },
  DURATION_NEVER_REFUSED: {
    summary: "--duration -1 (a robot that never expires) is refused by default",
    fix: "pass a number of days (e.g. --duration 90), or --no-expiry if a never-expiring robot is really wanted",
    exitCode: 2,
  },
  HARBOR_ADMIN_MISSING: {
    summary: "no Harbor admin credentials: HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD must both be set",
    fix: "export HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD for a user that administers the Harbor project (never as arguments)",
    exitCode: 2,
  },
  HARBOR_ROBOT_PERMISSIONS_DIFFER: {
    summary: "the robot exists with other permissions than the integration needs",
    fix: "edit the robot in Harbor to exactly the expected permissions, delete it and run again, or choose another name with --robot-name",
  },
  HARBOR_ROBOT_DISABLED: { summary: "the robot exists but is disabled", fix: "enable it in Harbor (Project > Robot Accounts), or delete it and run again" },
  HARBOR_ROBOT_EXPIRED: {
    summary: "the robot exists but has expired",
    fix: "extend its duration in Harbor and run again with --rotate-secret, or delete it and run again",
  },
  SETUP_SECRET_UNKNOWN: {
    summary: "the robot exists but GitLab's integration does not hold its secret, and Harbor shows a secret only when it is created or refreshed",
    fix: "run again with --rotate-secret: Harbor issues a new secret and setup stores it in the integration",
  },
  GITLAB_INTEGRATION_NOT_ACTIVE: {
    summary: "after saving, GitLab's Harbor integration is not as written (inactive, or another value)",
    fix: "open Settings > Integrations > Harbor of the project in GitLab, check Active, and run again with --rotate-secret",
  },
} as const satisfies CodeTable;

export type SetupCode = keyof typeof CODES;
