// harbor-ci setup: thin wrapper over scripts/lib/setup/setup.ts (options, environment, output).

import type { Command } from "./command.ts";
import { gitlabFromEnv, createGitlab, type GitlabConnection } from "../lib/gitlab-api/client.ts";
import { HarborIntegrations, type IntegrationTarget } from "../lib/gitlab-api/integration.ts";
import { HARBOR_CREDENTIALS_HINT, HARBOR_URL_SOURCE, HarborClient } from "../lib/harbor-api/client.ts";
import { checkHarborUrl } from "../lib/harbor-api/transport.ts";
import { ROBOT_NAME } from "../lib/harbor-api/permissions.ts";
import { runSetup, type SetupRequest } from "../lib/setup/setup.ts";
import { usageError } from "../lib/cli/diagnostics.ts";
import { formatCall, Output, processIO, type CommandIO } from "../lib/cli/io.ts";
import { NETWORK_HELP, NETWORK_OPTIONS, networkSettings } from "../lib/http/options.ts";
import { intOption, parseCommandArgs } from "../lib/cli/args.ts";
import { Redactor } from "../lib/cli/redact.ts";

const DEFAULT_DURATION_DAYS = 90;
const DEFAULT_ROBOT = "gitlab-ci";

const OPTIONS = {
  "harbor-url": { type: "string" },
  "harbor-project": { type: "string" },
  project: { type: "string" },
  group: { type: "string" },
  "gitlab-url": { type: "string" },
  "robot-name": { type: "string" },
  duration: { type: "string" },
  "no-expiry": { type: "boolean" },
  "rotate-secret": { type: "boolean" },
  "dry-run": { type: "boolean" },
  scan: { type: "boolean" },
  ...NETWORK_OPTIONS,
} as const;

const help = `Usage: harbor-ci setup --harbor-project <name> (--project <id|path> | --group <id|path>) [options]

Wires a GitLab project (or group) to a Harbor project:
  1. creates a project robot in Harbor with exactly the permissions GitLab's Harbor integration
     needs: repository pull, push, list; artifact list, read; tag list;
  2. sets GitLab's Harbor integration (URL, project, robot name, robot secret);
  3. checks the robot's credentials on Harbor and that the integration is active.
Running it again changes nothing. The robot secret is never printed, logged or written anywhere
but the integration.

Options:
  --harbor-project <name>  Harbor project (must exist).
  --project <id|path>      GitLab project, e.g. my-group/my-app or 42.
  --group <id|path>        GitLab group instead: its projects inherit the integration.
  --harbor-url <url>       Harbor base URL, stored in the integration. Default: $HARBOR_URL.
  --gitlab-url <url>       GitLab base URL. Default: $GITLAB_URL.
  --robot-name <name>      Robot short name; Harbor calls it robot$<project>+<name>. Default ${DEFAULT_ROBOT}.
  --duration <days>        Robot lifetime in days. Default ${DEFAULT_DURATION_DAYS}.
  --no-expiry              Robot never expires (duration -1). Not recommended: prefer rotation.
  --rotate-secret          Issue a new robot secret and store it in the integration. Needed when
                           the robot exists but the integration is missing or points elsewhere
                           (Harbor shows a secret only once). The old secret stops working.
  --scan                   Also grant what \`harbor-ci scan\` (the scan-gate component) needs, and no
                           more: scan:create (start a scan of an image never scanned) and
                           artifact-addition:read (read its findings). Reading the scan overview
                           needs only artifact:read, which the robot has anyway.
  --dry-run                Read the current state, then print the calls that would change it
                           (secrets redacted) without sending them.

${NETWORK_HELP}

Environment (credentials are never taken from arguments):
  HARBOR_ADMIN_USER, HARBOR_ADMIN_PASSWORD   Harbor user that administers the project.
  GITLAB_TOKEN                               Access token with the \`api\` scope; Maintainer role
                                             on the project (Owner or Maintainer on a group).
  GITLAB_URL, HARBOR_URL                     Defaults for --gitlab-url and --harbor-url.

Exit codes: 0 done or nothing to change, 1 failed, 2 bad options or environment.

Examples:
  export GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-...
  export HARBOR_ADMIN_USER=admin HARBOR_ADMIN_PASSWORD=...
  harbor-ci setup --harbor-url https://registry.example.com --harbor-project my-project --project my-group/my-app
  harbor-ci setup --harbor-url https://registry.example.com --harbor-project my-project --group my-group --dry-run
  harbor-ci setup --harbor-url https://registry.example.com --harbor-project my-project --project 42 --rotate-secret
`;

export function parseSetupArgs(argv: string[], env: CommandIO["env"]): { req: SetupRequest; values: Record<string, unknown> } {
  const { values } = parseCommandArgs("setup", argv, OPTIONS);
  const harborUrl = values["harbor-url"] ?? env.HARBOR_URL;
  if (!harborUrl)
    throw usageError("HARBOR_URL_MISSING", "no Harbor URL: neither --harbor-url nor HARBOR_URL is set", "pass --harbor-url https://registry.example.com");
  // It would be stored in GitLab's integration and shown to every job as HARBOR_URL.
  checkHarborUrl(harborUrl, HARBOR_URL_SOURCE, HARBOR_CREDENTIALS_HINT);
  const harborProject = values["harbor-project"];
  if (!harborProject) throw usageError("HARBOR_PROJECT_MISSING", "no Harbor project given", "pass --harbor-project <name>");
  if (!!values.project === !!values.group) {
    throw usageError("GITLAB_TARGET_MISSING", "give exactly one of --project and --group", "pass --project my-group/my-app (or --group my-group)", {
      expected: "one of --project, --group",
      actual: values.project && values.group ? "both" : "neither",
    });
  }
  const target: IntegrationTarget = values.project ? { kind: "project", id: values.project } : { kind: "group", id: values.group! };
  const robotName = values["robot-name"] ?? DEFAULT_ROBOT;
  if (!ROBOT_NAME.test(robotName)) {
    throw usageError(
      "ROBOT_NAME_INVALID",
      `robot name \`${robotName}\` is not accepted by Harbor`,
      "use lowercase letters and digits, separated by single . _ or -",
      {
        expected: ROBOT_NAME.source,
        actual: robotName,
      },
    );
  }
  let durationDays: number;
  if (values["no-expiry"]) {
    if (values.duration !== undefined && values.duration !== "-1") {
      throw usageError("DURATION_CONFLICT", "--no-expiry and --duration contradict each other", "keep one of them");
    }
    durationDays = -1;
  } else {
    if (values.duration === "-1") {
      throw usageError(
        "DURATION_NEVER_REFUSED",
        "--duration -1 (never expires) is refused by default",
        "pass a number of days (e.g. --duration 90), or --no-expiry if a never-expiring robot is really wanted",
        {
          expected: "a positive number of days",
          actual: "-1",
        },
      );
    }
    durationDays = intOption("duration", values.duration, DEFAULT_DURATION_DAYS, 1, 2_147_483_646);
  }
  return {
    req: {
      harborUrl: harborUrl.replace(/\/+$/, ""),
      harborProject,
      robotName,
      durationDays,
      target,
      rotateSecret: !!values["rotate-secret"],
      dryRun: !!values["dry-run"],
      ...(values.scan ? { scan: true } : {}),
    },
    values,
  };
}

export async function setupMain(argv: string[], io: CommandIO): Promise<number> {
  const redactor = new Redactor();
  const out = new Output(io, redactor);
  try {
    redactor.add(io.env.GITLAB_TOKEN).add(io.env.HARBOR_ADMIN_PASSWORD, io.env.HARBOR_ADMIN_USER);
    const { req, values } = parseSetupArgs(argv, io.env);
    const adminUser = io.env.HARBOR_ADMIN_USER;
    const adminPassword = io.env.HARBOR_ADMIN_PASSWORD;
    if (!adminUser || !adminPassword) {
      throw usageError(
        "HARBOR_ADMIN_MISSING",
        "no Harbor admin credentials: HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD must both be set (never passed as arguments)",
        "export HARBOR_ADMIN_USER=<user> HARBOR_ADMIN_PASSWORD=<password> for a user that administers the Harbor project",
      );
    }
    const { url, token } = gitlabFromEnv(io.env, values["gitlab-url"] as string | undefined);
    const net = networkSettings(values as Record<string, string | undefined>);
    const verbose = !!values.verbose;
    const calls: string[] = [];
    const onCall = (c: Parameters<typeof formatCall>[0]) => {
      if (verbose) out.line(`  call  ${formatCall(c, redactor)}`);
      else if (req.dryRun) calls.push(formatCall(c, redactor));
    };
    const onRetry = (i: { attempt: number; delayMs: number; reason: string }) =>
      out.warn(`retry: attempt ${i.attempt} failed (${i.reason}); retrying in ${i.delayMs} ms`);
    const conn: GitlabConnection = { url, token, ...net, onRetry };
    const harbor = new HarborClient({ url: req.harborUrl, adminUser, adminPassword, ...net, onCall, onRetry });
    const gitlab = new HarborIntegrations(createGitlab(conn), conn, onCall);

    out.line(
      `harbor-ci setup: Harbor project ${req.harborProject} at ${req.harborUrl} -> GitLab ${req.target.kind} ${req.target.id}${req.dryRun ? " (dry run)" : ""}`,
    );
    const report = await runSetup(req, {
      harbor,
      gitlab,
      redactor,
      log: (l) => out.line(`  ${l}`),
      warn: (l) => out.warn(l),
      skipped: (c) => (verbose ? out.line(`  call  ${formatCall(c, redactor)}`) : calls.push(formatCall(c, redactor))),
    });
    if (req.dryRun && !verbose) {
      out.line("API calls (secrets redacted):");
      for (const c of calls) out.line(`  ${c}`);
    }
    if (!req.dryRun && report.changes.length > 0) out.line(`done: ${report.changes.join("; ")}`);
    return 0;
  } catch (err) {
    return out.fail(err);
  }
}

export const command: Command = {
  summary: "create a Harbor robot and wire GitLab's Harbor integration to it (idempotent)",
  help,
  run: (argv) => setupMain(argv, processIO()),
};
