// Pure logic behind `setup`: the permission diff and the decision table. No server involved.
import { describe, expect, it } from "vitest";
import type { HarborRobot } from "../../../scripts/lib/harbor-api/client.ts";
import {
  diffPermissions,
  INTEGRATION_ACCESS,
  integrationPermission,
  isRobotNamed,
  prefixDollarWarning,
  ROBOT_NAME,
  robotFullName,
  samePermissions,
} from "../../../scripts/lib/harbor-api/permissions.ts";
import { integrationMismatch, planSetup, type PlanInput } from "../../../scripts/lib/setup/setup.ts";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";

const NOW = Date.UTC(2025, 0, 1);

function robot(over: Partial<HarborRobot> = {}): HarborRobot {
  return {
    id: 3,
    name: "robot$my-project+gitlab-ci",
    level: "project",
    disable: false,
    expires_at: NOW / 1000 + 86400 * 60,
    permissions: [integrationPermission("my-project")],
    ...over,
  };
}

const wired = { active: true, url: "https://registry.example.com", projectName: "my-project", username: "robot$my-project+gitlab-ci" };

function plan(over: Partial<PlanInput> = {}) {
  return planSetup({ project: "my-project", robotName: "gitlab-ci", harborUrl: "https://registry.example.com", rotate: false, now: NOW, ...over });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err.code;
    throw err;
  }
  return undefined;
}

describe("unit: robot permission diff", () => {
  it("the integration's robot has exactly the guide's six grants on one project", () => {
    expect(integrationPermission("p")).toEqual({
      kind: "project",
      namespace: "p",
      access: [
        { resource: "repository", action: "pull" },
        { resource: "repository", action: "push" },
        { resource: "repository", action: "list" },
        { resource: "artifact", action: "list" },
        { resource: "artifact", action: "read" },
        { resource: "tag", action: "list" },
      ],
    });
  });

  it("same grants in another order, with Harbor's effect: allow, are equal", () => {
    const actual = [{ kind: "project", namespace: "p", access: [...INTEGRATION_ACCESS].reverse().map((a) => ({ ...a, effect: "allow" })) }];
    expect(samePermissions(diffPermissions([integrationPermission("p")], actual))).toBe(true);
  });

  it("names missing and extra actions", () => {
    const actual = [
      {
        kind: "project",
        namespace: "p",
        access: [
          ...INTEGRATION_ACCESS.filter((a) => a.resource !== "tag"),
          { resource: "repository", action: "delete" },
          { resource: "scan", action: "create" },
        ],
      },
    ];
    expect(diffPermissions([integrationPermission("p")], actual)).toEqual({
      missing: ["project/p tag:list"],
      extra: ["project/p repository:delete", "project/p scan:create"],
    });
  });

  it("grants on another project are extra, and the expected ones missing", () => {
    const d = diffPermissions([integrationPermission("p")], [integrationPermission("q")]);
    expect(d.missing).toHaveLength(6);
    expect(d.extra).toHaveLength(6);
    expect(d.extra[0]).toMatch(/^project\/q /);
  });

  it("a deny entry grants nothing: missing, and listed as an extra deny", () => {
    const access = INTEGRATION_ACCESS.map((a) => (a.action === "push" ? { ...a, effect: "deny" } : a));
    expect(diffPermissions([integrationPermission("p")], [{ kind: "project", namespace: "p", access }])).toEqual({
      missing: ["project/p repository:push"],
      extra: ["project/p repository:push (deny)"],
    });
  });

  it("robot names: Harbor's rule and full names with any prefix", () => {
    expect(ROBOT_NAME.test("gitlab-ci")).toBe(true);
    expect(ROBOT_NAME.test("ci.bot_1")).toBe(true);
    for (const bad of ["GitLab", "a+b", "-a", "a--b", ""]) expect(ROBOT_NAME.test(bad)).toBe(false);
    expect(robotFullName("p", "gitlab-ci")).toBe("robot$p+gitlab-ci");
    expect(isRobotNamed("robot$p+gitlab-ci", "p", "gitlab-ci")).toBe(true);
    expect(isRobotNamed("bot_p+gitlab-ci", "p", "gitlab-ci")).toBe(true);
    expect(isRobotNamed("robot$p+x+gitlab-ci", "p", "gitlab-ci")).toBe(false);
    // The list is scoped to the project: a prefix may end with anything, even a letter.
    expect(isRobotNamed("robot$pp+gitlab-ci", "p", "gitlab-ci")).toBe(true);
    expect(isRobotNamed("gitlabp+gitlab-ci", "p", "gitlab-ci")).toBe(true);
    expect(isRobotNamed("robot$p+gitlab-ci-2", "p", "gitlab-ci")).toBe(false);
  });

  it("warns when the robot name prefix holds a $ other than a leading robot$", () => {
    expect(prefixDollarWarning("robot$p+ci", "p", "ci")).toBeUndefined();
    expect(prefixDollarWarning("gitlab-p+ci", "p", "ci")).toBeUndefined();
    expect(prefixDollarWarning("ci$p+ci", "p", "ci")).toContain("robot name prefix `ci$` holds a `$`");
    expect(prefixDollarWarning("robot$x$p+ci", "p", "ci")).toContain("`robot$x$`");
  });
});

describe("unit: setup decision table", () => {
  it("no robot: create it and write the integration", () => {
    expect(plan()).toMatchObject({ robot: "create", integration: "put" });
    expect(plan({ rotate: true })).toMatchObject({ robot: "create", integration: "put" });
  });

  it("robot and integration as wanted: change nothing", () => {
    expect(plan({ robot: robot(), integration: wired })).toEqual({ robot: "keep", integration: "keep" });
    expect(plan({ robot: robot(), integration: { ...wired, url: "https://registry.example.com/" } })).toEqual({ robot: "keep", integration: "keep" });
  });

  it("--rotate-secret: refresh and rewrite, even when all is wired", () => {
    expect(plan({ robot: robot(), integration: wired, rotate: true })).toMatchObject({ robot: "rotate", integration: "put" });
  });

  it("robot exists but the integration does not hold its secret: SETUP_SECRET_UNKNOWN", () => {
    for (const integration of [
      undefined,
      { ...wired, active: false },
      { ...wired, username: "robot$my-project+other" },
      { ...wired, url: "https://old.example.com" },
    ]) {
      expect(codeOf(() => plan({ robot: robot(), ...(integration ? { integration } : {}) }))).toBe("SETUP_SECRET_UNKNOWN");
    }
  });

  it("other permissions, disabled or expired robots stop the run, even with --rotate-secret", () => {
    expect(codeOf(() => plan({ robot: robot({ permissions: [integrationPermission("other")] }), rotate: true }))).toBe("HARBOR_ROBOT_PERMISSIONS_DIFFER");
    expect(codeOf(() => plan({ robot: robot({ disable: true }), rotate: true }))).toBe("HARBOR_ROBOT_DISABLED");
    expect(codeOf(() => plan({ robot: robot({ expires_at: NOW / 1000 - 1 }), rotate: true }))).toBe("HARBOR_ROBOT_EXPIRED");
    expect(plan({ robot: robot({ expires_at: -1 }), integration: wired })).toEqual({ robot: "keep", integration: "keep" });
  });

  it("integrationMismatch names every difference", () => {
    expect(integrationMismatch(undefined, "https://h", "p", "u")).toBe("the integration is not configured");
    expect(integrationMismatch({ active: false, url: "https://x", projectName: "q", username: "v" }, "https://h", "p", "u")).toBe(
      "it is inactive; its URL is https://x, not https://h; its Harbor project is q, not p; its username is v, not u",
    );
    expect(integrationMismatch({ active: true, url: "https://h", projectName: "p", username: "u" }, "https://h/", "p", "u")).toBeUndefined();
  });
});
