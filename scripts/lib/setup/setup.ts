// `harbor-ci setup`: one Harbor robot with exactly the integration's permissions, GitLab's Harbor
// integration pointing at it, and a check of both. Idempotent: a second run finds the robot and
// the integration as wanted and changes nothing.
//
// The robot's secret is returned by Harbor only when the robot is created or its secret refreshed.
// So when the robot already exists and --rotate-secret is not given, the secret is unknown here and
// GitLab must already hold it: if the integration is missing or points elsewhere, setup stops with
// SETUP_SECRET_UNKNOWN and asks for --rotate-secret (which invalidates the old secret).

import { CliError } from "../cli/diagnostics.ts";
import type { CallRecord } from "../cli/io.ts";
import type { Redactor } from "../cli/redact.ts";
import type { HarborIntegrationSettings, HarborIntegrationState, IntegrationTarget } from "../gitlab-api/integration.ts";
import { describeTarget } from "../gitlab-api/integration.ts";
import type { HarborProject, HarborRobot, RobotCreate, RobotCreated } from "../harbor-api/client.ts";
import {
  diffPermissions,
  formatAccessList,
  integrationAccess,
  integrationPermission,
  isRobotNamed,
  prefixDollarWarning,
  robotFullName,
  samePermissions,
  type HarborPermission,
} from "../harbor-api/permissions.ts";

export interface SetupRequest {
  /** Harbor's base URL, as GitLab stores it (HARBOR_URL in jobs). */
  harborUrl: string;
  harborProject: string;
  /** Short robot name; Harbor names it robot$<project>+<name>. */
  robotName: string;
  /** Days; -1 = never expires (only with --no-expiry). */
  durationDays: number;
  target: IntegrationTarget;
  rotateSecret: boolean;
  dryRun: boolean;
  /** `--scan`: also grant what `harbor-ci scan` needs (scan:create, artifact-addition:read). */
  scan?: boolean;
}

/** The Harbor calls setup makes (HarborClient implements them). */
export interface HarborSide {
  readonly api: string;
  /** Shown in --dry-run as who the writes would authenticate as. */
  readonly adminUser: string;
  getProject(name: string): Promise<HarborProject>;
  listProjectRobots(projectId: number): Promise<HarborRobot[]>;
  createRobot(body: RobotCreate): Promise<RobotCreated>;
  refreshRobotSecret(robot: { id: number; name: string }): Promise<string>;
  checkRobotAccess(project: string, robotName: string, secret: string): Promise<string>;
}

/** The GitLab calls setup makes (HarborIntegrations implements them). */
export interface GitlabSide {
  url(t: IntegrationTarget): string;
  get(t: IntegrationTarget): Promise<HarborIntegrationState | undefined>;
  put(t: IntegrationTarget, settings: HarborIntegrationSettings): Promise<HarborIntegrationState>;
}

export interface SetupDeps {
  harbor: HarborSide;
  gitlab: GitlabSide;
  redactor: Redactor;
  log: (line: string) => void;
  warn: (line: string) => void;
  /** Writes that --dry-run does not send. */
  skipped: (call: CallRecord) => void;
  now?: () => number;
}

export type RobotAction = "create" | "keep" | "rotate";
export type IntegrationAction = "put" | "keep";

export interface SetupPlan {
  robot: RobotAction;
  integration: IntegrationAction;
  /** Why the integration is (re)written, for the log. */
  integrationReason?: string;
}

export interface PlanInput {
  project: string;
  robotName: string;
  harborUrl: string;
  robot?: HarborRobot;
  integration?: HarborIntegrationState;
  rotate: boolean;
  /** Milliseconds since the epoch. */
  now: number;
  /** `--scan`: the robot also gets SCAN_ACCESS (what `harbor-ci scan` needs). */
  scan?: boolean;
}

const sameUrl = (a: string | undefined, b: string) => (a ?? "").replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** How the integration differs from "active, pointing at this Harbor project with this robot". */
export function integrationMismatch(i: HarborIntegrationState | undefined, harborUrl: string, project: string, username: string): string | undefined {
  if (!i) return "the integration is not configured";
  const diffs: string[] = [];
  if (!i.active) diffs.push("it is inactive");
  if (!sameUrl(i.url, harborUrl)) diffs.push(`its URL is ${i.url ?? "empty"}, not ${harborUrl}`);
  if (i.projectName !== project) diffs.push(`its Harbor project is ${i.projectName ?? "empty"}, not ${project}`);
  if (i.username !== username) diffs.push(`its username is ${i.username ?? "empty"}, not ${username}`);
  return diffs.length ? diffs.join("; ") : undefined;
}

/** Pure: what setup does given what exists. Throws CliError when it cannot go on safely. */
export function planSetup(input: PlanInput): SetupPlan {
  const { robot, project } = input;
  if (!robot) return { robot: "create", integration: "put", integrationReason: "new robot" };

  const diff = diffPermissions([integrationPermission(project, input.scan)], robot.permissions ?? []);
  if (!samePermissions(diff)) {
    const lines = [...diff.missing.map((g) => `missing ${g}`), ...diff.extra.map((g) => `extra ${g}`)];
    throw new CliError({
      code: "HARBOR_ROBOT_PERMISSIONS_DIFFER",
      message: `robot \`${robot.name}\` exists with other permissions than the integration needs: ${lines.join(", ")}`,
      expected: `project/${project} ${formatAccessList(integrationAccess(input.scan))}`,
      actual: formatGrants(robot.permissions ?? []),
      fix: `edit the robot in Harbor (Project ${project} > Robot Accounts) to exactly the expected permissions, delete it and run again, or choose another name with --robot-name`,
    });
  }
  if (robot.disable) {
    throw new CliError({
      code: "HARBOR_ROBOT_DISABLED",
      message: `robot \`${robot.name}\` exists but is disabled`,
      expected: "an enabled robot",
      actual: "disable: true",
      fix: `enable it in Harbor (Project ${project} > Robot Accounts), or delete it and run again`,
    });
  }
  if (typeof robot.expires_at === "number" && robot.expires_at !== -1 && robot.expires_at * 1000 <= input.now) {
    throw new CliError({
      code: "HARBOR_ROBOT_EXPIRED",
      message: `robot \`${robot.name}\` expired on ${new Date(robot.expires_at * 1000).toISOString()}`,
      expected: "a robot that has not expired",
      actual: `expires_at ${robot.expires_at}`,
      fix: `extend its duration in Harbor (Project ${project} > Robot Accounts > Edit) and run again with --rotate-secret, or delete it and run again`,
    });
  }
  if (input.rotate) return { robot: "rotate", integration: "put", integrationReason: "new secret" };

  const mismatch = integrationMismatch(input.integration, input.harborUrl, project, robot.name);
  if (mismatch === undefined) return { robot: "keep", integration: "keep" };
  throw new CliError({
    code: "SETUP_SECRET_UNKNOWN",
    message: `robot \`${robot.name}\` already exists, but GitLab's integration does not hold its secret (${mismatch}); Harbor shows a robot's secret only when it is created or refreshed`,
    expected: `an active integration with url ${input.harborUrl}, project ${project}, username ${robot.name}`,
    actual: mismatch,
    fix: "run again with --rotate-secret: Harbor issues a new secret and setup stores it in the integration (the old secret stops working wherever else it is used)",
  });
}

function formatGrants(perms: readonly HarborPermission[]): string {
  if (perms.length === 0) return "no permissions";
  return perms.map((p) => `${p.kind}/${p.namespace} ${formatAccessList(p.access ?? [])}`).join("; ");
}

export interface SetupReport {
  plan: SetupPlan;
  robot: string;
  /** What changed, empty when the run changed nothing. */
  changes: string[];
}

function expiryText(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return "expiry unknown";
  return expiresAt === -1 ? "never expires" : `expires ${new Date(expiresAt * 1000).toISOString().slice(0, 10)}`;
}

/** What runSetup's steps share: the request, the deps and what the reads found. */
interface SetupRun {
  req: SetupRequest;
  deps: SetupDeps;
  /** The integration's project or group, as messages name it. */
  target: string;
  projectName: string;
  robot: HarborRobot | undefined;
  integration: HarborIntegrationState | undefined;
  plan: SetupPlan;
  /** What changed so far, for the report. */
  changes: string[];
}

export async function runSetup(req: SetupRequest, deps: SetupDeps): Promise<SetupReport> {
  const run = await readState(req, deps);
  const { plan } = run;
  if (plan.robot === "keep" && plan.integration === "keep") return keepAll(run);
  const createBody = robotCreateBody(run);
  if (req.dryRun) return dryRun(run, createBody);
  const { username, secret } = await issueSecret(run, createBody);
  await checkRobot(run, username, secret);
  await storeInIntegration(run, username, secret);
  await verifyIntegration(run, username);
  return { plan, robot: username, changes: run.changes };
}

/** Reads Harbor's project and robot and GitLab's integration, and plans what to change. */
async function readState(req: SetupRequest, deps: SetupDeps): Promise<SetupRun> {
  const { harbor, gitlab, log } = deps;
  const now = deps.now?.() ?? Date.now();
  const target = describeTarget(req.target);

  const project = await harbor.getProject(req.harborProject);
  const projectName = project.name || req.harborProject;
  log(`harbor  project ${projectName} found (id ${project.project_id})`);

  const robots = await harbor.listProjectRobots(project.project_id);
  const robot = robots.find((r) => r.level === "project" && isRobotNamed(r.name, projectName, req.robotName));
  log(
    robot
      ? `harbor  robot ${robot.name} exists (${expiryText(robot.expires_at)})`
      : `harbor  robot ${robotFullName(projectName, req.robotName)} does not exist yet`,
  );

  const integration = await gitlab.get(req.target);
  log(
    integration
      ? `gitlab  Harbor integration of ${target}: ${integration.active ? "active" : "inactive"}, ${integration.url ?? "no URL"}, project ${integration.projectName ?? "-"}, user ${integration.username ?? "-"}`
      : `gitlab  Harbor integration of ${target}: not configured`,
  );

  const input: PlanInput = { project: projectName, robotName: req.robotName, harborUrl: req.harborUrl, rotate: req.rotateSecret, now, scan: !!req.scan };
  if (robot) input.robot = robot;
  if (integration) input.integration = integration;
  const plan = planSetup(input);

  if (robot && typeof robot.expires_at === "number" && robot.expires_at !== -1 && robot.expires_at * 1000 - now < 14 * 86_400_000) {
    deps.warn(`warning: robot ${robot.name} ${expiryText(robot.expires_at)}: extend it in Harbor before pipelines start failing`);
  }
  return { req, deps, target, projectName, robot, integration, plan, changes: [] };
}

/** Robot and integration are as wanted: nothing is written. */
function keepAll({ req, deps, projectName, robot, plan }: SetupRun): SetupReport {
  const dollar = prefixDollarWarning(robot!.name, projectName, req.robotName);
  if (dollar) deps.warn(dollar);
  deps.log(`gitlab  integration is active and points at ${robot!.name}`);
  deps.log("harbor  robot credentials not re-checked: the secret is held only by GitLab (--rotate-secret issues and checks a new one)");
  deps.log("nothing to change");
  return { plan, robot: robot!.name, changes: [] };
}

function robotCreateBody({ req, target, projectName }: SetupRun): RobotCreate {
  return {
    name: req.robotName,
    description: `GitLab Harbor integration of ${target} (managed by harbor-ci setup)`,
    level: "project",
    duration: req.durationDays,
    disable: false,
    permissions: [integrationPermission(projectName, req.scan)],
  };
}

/** --dry-run: the writes setup would send, none sent. */
function dryRun({ req, deps, target, projectName, robot, integration, plan }: SetupRun, createBody: RobotCreate): SetupReport {
  const { harbor, gitlab } = deps;
  const username = robot?.name ?? robotFullName(projectName, req.robotName);
  if (plan.robot === "create") deps.skipped({ method: "POST", url: `${harbor.api}/robots`, as: harbor.adminUser, body: createBody, sent: false });
  if (plan.robot === "rotate") deps.skipped({ method: "PATCH", url: `${harbor.api}/robots/${robot!.id}`, as: harbor.adminUser, body: {}, sent: false });
  deps.skipped({
    method: "GET",
    url: `${harbor.api}/projects/${encodeURIComponent(projectName)}/repositories?page=1&page_size=1`,
    as: username,
    sent: false,
  });
  const settings: HarborIntegrationSettings = {
    url: req.harborUrl,
    project_name: projectName,
    username,
    password: "<robot secret>",
    use_inherited_settings: false,
  };
  deps.skipped({ method: "PUT", url: gitlab.url(req.target), as: "GITLAB_TOKEN", body: settings, sent: false });
  deps.skipped({ method: "GET", url: gitlab.url(req.target), as: "GITLAB_TOKEN", sent: false });
  deps.log(
    `dry run: would ${plan.robot === "create" ? "create robot" : "refresh the secret of"} ${username} and ${integration ? "update" : "configure"} the Harbor integration of ${target}`,
  );
  return { plan, robot: username, changes: [] };
}

/** Creates the robot or refreshes its secret: the only times Harbor tells the secret. */
async function issueSecret(run: SetupRun, createBody: RobotCreate): Promise<{ username: string; secret: string }> {
  const { req, deps, robot, plan, changes } = run;
  const { harbor, log } = deps;
  if (plan.robot === "create") {
    const created = await harbor.createRobot(createBody);
    deps.redactor.add(created.secret, created.name);
    changes.push(`created robot ${created.name}`);
    log(`harbor  robot ${created.name} created (${formatAccessList(integrationAccess(req.scan))}; ${expiryText(created.expires_at)})`);
    return { username: created.name, secret: created.secret };
  }
  const secret = await harbor.refreshRobotSecret(robot!);
  deps.redactor.add(secret, robot!.name);
  changes.push(`refreshed the secret of ${robot!.name}`);
  log(`harbor  robot ${robot!.name}: new secret issued (the old one no longer works)`);
  return { username: robot!.name, secret };
}

/** Harbor accepts the new credentials before GitLab is given them. */
async function checkRobot({ req, deps, projectName }: SetupRun, username: string, secret: string): Promise<void> {
  const dollar = prefixDollarWarning(username, projectName, req.robotName);
  if (dollar) deps.warn(dollar);
  deps.log(`harbor  robot credentials accepted: ${await deps.harbor.checkRobotAccess(projectName, username, secret)}`);
}

/** Writes the integration; a failure says the new secret was stored nowhere. */
async function storeInIntegration(run: SetupRun, username: string, secret: string): Promise<void> {
  const { req, deps, target, projectName, integration, plan } = run;
  const settings: HarborIntegrationSettings = { url: req.harborUrl, project_name: projectName, username, password: secret, use_inherited_settings: false };
  try {
    await deps.gitlab.put(req.target, settings);
  } catch (err) {
    if (err instanceof CliError) {
      throw new CliError({
        code: err.code,
        message: `${err.message}; the robot's new secret was not stored anywhere`,
        ...(err.expected !== undefined ? { expected: err.expected } : {}),
        ...(err.actual !== undefined ? { actual: err.actual } : {}),
        fix: `${err.fix ?? "fix the cause above"}; then run again with --rotate-secret (robot ${username} is kept)`,
        exitCode: err.exitCode,
      });
    }
    throw err;
  }
  run.changes.push(`${integration ? "updated" : "configured"} the Harbor integration of ${target}`);
  deps.log(`gitlab  Harbor integration of ${target} ${integration ? "updated" : "configured"} (${plan.integrationReason})`);
}

/** Reads the integration back: GitLab may save it other than written (inactive, say). */
async function verifyIntegration({ req, deps, target, projectName }: SetupRun, username: string): Promise<void> {
  const after = await deps.gitlab.get(req.target);
  const mismatch = integrationMismatch(after, req.harborUrl, projectName, username);
  if (mismatch !== undefined) {
    throw new CliError({
      code: "GITLAB_INTEGRATION_NOT_ACTIVE",
      message: `after saving, GitLab's Harbor integration of ${target} is not as written: ${mismatch}`,
      expected: `active: true, url ${req.harborUrl}, project ${projectName}, username ${username}`,
      actual: after ? `active: ${after.active}, url ${after.url}, project ${after.projectName}, username ${after.username}` : "not configured",
      fix: `open ${target} > Settings > Integrations > Harbor in GitLab, check "Active", and run again with --rotate-secret`,
    });
  }
  deps.log(`gitlab  integration is active and points at ${username}`);
}
