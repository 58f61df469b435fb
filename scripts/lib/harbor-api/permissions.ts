// The robot account GitLab's Harbor integration needs, and how an existing robot differs from it.
// Source: the user guide's robot-permissions table (Repository: Pull, Push, List; Artifact: List,
// Read; Tag: List) mapped to Harbor's RBAC resource:action pairs (goharbor/harbor
// src/common/rbac/const.go). No scan permission by default: GitLab's Harbor view does not show
// scan results; `setup --scan` adds SCAN_ACCESS.

export interface HarborAccess {
  resource: string;
  action: string;
  /** Harbor may return "allow" (or nothing); "deny" entries grant nothing. */
  effect?: string;
}

export interface HarborPermission {
  kind: string;
  namespace: string;
  access: HarborAccess[];
}

/** Exactly what the integration's robot gets: pull/push in pipelines, list/read for the Harbor view. */
export const INTEGRATION_ACCESS: readonly HarborAccess[] = Object.freeze([
  { resource: "repository", action: "pull" },
  { resource: "repository", action: "push" },
  { resource: "repository", action: "list" },
  { resource: "artifact", action: "list" },
  { resource: "artifact", action: "read" },
  { resource: "tag", action: "list" },
]);

/**
 * What `harbor-ci scan` needs beyond it (`setup --scan`): start a scan of an artifact never scanned
 * (POST .../scan checks scan:create) and read its findings (GET .../additions/vulnerabilities
 * checks artifact-addition:read); src/server/v2.0/handler/scan.go and artifact.go in goharbor/harbor.
 */
export const SCAN_ACCESS: readonly HarborAccess[] = Object.freeze([
  { resource: "scan", action: "create" },
  { resource: "artifact-addition", action: "read" },
]);

export function integrationAccess(scan = false): HarborAccess[] {
  return [...INTEGRATION_ACCESS, ...(scan ? SCAN_ACCESS : [])].map((a) => ({ ...a }));
}

/** The single project-scoped permission of the robot (Harbor allows only one for level=project). */
export function integrationPermission(project: string, scan = false): HarborPermission {
  return { kind: "project", namespace: project, access: integrationAccess(scan) };
}

/** Harbor's rule for robot names (validateName in src/server/v2.0/handler/robot.go). */
export const ROBOT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** `robot$<project>+<name>` with Harbor's default prefix; the prefix is configurable server-side. */
export function robotFullName(project: string, name: string, prefix = "robot$"): string {
  return `${prefix}${project}+${name}`;
}

/**
 * Whether a robot listed for `project` is `<prefix><project>+<name>`, whatever Harbor's
 * robot_name_prefix (default `robot$`, any text when configured). Harbor stores `<project>+<name>`
 * and adds the prefix only when it lists robots (goharbor/harbor src/controller/robot/controller.go:
 * Create, populate). The list is already scoped to the project (`q=Level=project,ProjectID=<id>`),
 * so every stored name there is `<project>+<x>`: the name after the last `+` identifies the robot.
 */
export function isRobotNamed(fullName: string, project: string, name: string): boolean {
  const suffix = `${project}+${name}`;
  if (!fullName.endsWith(suffix)) return false;
  return !fullName.slice(0, -suffix.length).includes("+");
}

/** The robot_name_prefix a listed robot's full name carries. */
export function robotPrefixOf(fullName: string, project: string, name: string): string {
  return fullName.slice(0, fullName.length - `${project}+${name}`.length);
}

/**
 * GitLab stores HARBOR_USERNAME with its leading `robot$` escaped as `robot$$`, and the runner
 * turns `$$` back into `$`: any other `$` in the name is expanded by the runner as a variable.
 * Returns a warning when the prefix holds such a `$`.
 */
export function prefixDollarWarning(fullName: string, project: string, name: string): string | undefined {
  const prefix = robotPrefixOf(fullName, project, name);
  const rest = prefix.startsWith("robot$") ? prefix.slice("robot$".length) : prefix;
  if (!rest.includes("$")) return undefined;
  return (
    `warning: Harbor's robot name prefix \`${prefix}\` holds a \`$\` that GitLab does not escape (it escapes only a leading robot$): ` +
    `jobs would see HARBOR_USERNAME with \`$${rest.slice(rest.indexOf("$") + 1)}...\` expanded by the runner, and docker login would fail. ` +
    `Set Harbor's robot_name_prefix (configuration, robot account settings) to robot$ or to a prefix without $.`
  );
}

export interface PermissionDiff {
  /** Grants the robot lacks, as `kind/namespace resource:action`. */
  missing: string[];
  /** Grants it has beyond the expected ones (other actions, other projects, deny entries). */
  extra: string[];
}

function grants(perms: readonly HarborPermission[]): Set<string> {
  const out = new Set<string>();
  for (const p of perms) {
    for (const a of p.access ?? []) {
      const deny = (a.effect ?? "").toLowerCase() === "deny";
      out.add(`${p.kind}/${p.namespace} ${a.resource}:${a.action}${deny ? " (deny)" : ""}`);
    }
  }
  return out;
}

/** Pure: expected vs actual grants of a robot; equal when both lists are empty. */
export function diffPermissions(expected: readonly HarborPermission[], actual: readonly HarborPermission[]): PermissionDiff {
  const want = grants(expected);
  const have = grants(actual);
  return {
    missing: [...want].filter((g) => !have.has(g)).sort(),
    extra: [...have].filter((g) => !want.has(g)).sort(),
  };
}

export function samePermissions(d: PermissionDiff): boolean {
  return d.missing.length === 0 && d.extra.length === 0;
}

export function formatAccessList(access: readonly HarborAccess[]): string {
  return access.map((a) => `${a.resource}:${a.action}`).join(", ");
}
