import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setupMain } from "../../scripts/commands/setup.ts";
import { INTEGRATION_ACCESS, SCAN_ACCESS } from "../../scripts/lib/harbor-api/permissions.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { errorCodeOf, runCommand, type RunResult } from "./fakes/run.ts";

const TOKEN = "glpat-maintainer-token-0001";

describe("contract: harbor-ci setup", () => {
  let harbor: FakeHarbor;
  let gitlab: FakeGitlab;

  beforeEach(async () => {
    harbor = new FakeHarbor();
    gitlab = new FakeGitlab();
    await Promise.all([harbor.start(), gitlab.start()]);
  });
  afterEach(async () => {
    await Promise.all([harbor.stop(), gitlab.stop()]);
    // Every answer of the Harbor fake conforms to Harbor's swagger.
    expect(harbor.swaggerViolations).toEqual([]);
  });

  const env = (over: Record<string, string | undefined> = {}) => ({
    GITLAB_URL: gitlab.url,
    GITLAB_TOKEN: TOKEN,
    HARBOR_ADMIN_USER: "admin",
    HARBOR_ADMIN_PASSWORD: "Harbor12345",
    ...over,
  });
  const args = (...extra: string[]) => [
    "--harbor-url",
    harbor.url,
    "--harbor-project",
    "my-project",
    "--project",
    "my-group/my-app",
    "--retries",
    "2",
    "--retry-delay",
    "1",
    "--timeout",
    "2000",
    ...extra,
  ];
  const setup = (argv: string[], e = env()) => runCommand(setupMain, argv, e);
  const calls = (s: FakeHarbor | FakeGitlab) => s.requests.map((r) => `${r.method} ${r.rawPath}`);
  const writes = (s: FakeHarbor | FakeGitlab) => s.requests.filter((r) => r.method !== "GET");

  /** No secret this run could know ever reaches the terminal. */
  function expectNoSecrets(r: RunResult) {
    for (const s of harbor.issuedSecrets) expect(r.all).not.toContain(s);
    expect(r.all).not.toContain("Harbor12345");
    expect(r.all).not.toContain(TOKEN);
  }

  it("with --scan, gives the robot exactly what harbor-ci scan needs on top: scan:create and artifact-addition:read", async () => {
    const r = await setup(args("--scan"));
    expect(r.code, r.all).toBe(0);
    expect(harbor.robots[0]!.permissions).toEqual([
      { kind: "project", namespace: "my-project", access: [...INTEGRATION_ACCESS, ...SCAN_ACCESS].map((a) => ({ ...a, effect: "allow" })) },
    ]);
    expect(r.stdout).toContain("scan:create, artifact-addition:read");
    // Run again without --scan: the robot has more than the integration needs, and setup says so.
    const again = await setup(args());
    expect(errorCodeOf(again)).toBe("HARBOR_ROBOT_PERMISSIONS_DIFFER");
    expect(again.stderr).toContain("extra project/my-project scan:create");
    expectNoSecrets(again);
  });

  it("creates the robot, sets the integration, and checks both", async () => {
    const r = await setup(args());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(calls(harbor)).toEqual([
      "GET /api/v2.0/projects/my-project",
      "GET /api/v2.0/robots",
      "POST /api/v2.0/robots",
      "GET /api/v2.0/projects/my-project/repositories",
    ]);
    expect(calls(gitlab)).toEqual([
      "GET /api/v4/projects/my-group%2Fmy-app/integrations/harbor",
      "PUT /api/v4/projects/my-group%2Fmy-app/integrations/harbor",
      "GET /api/v4/projects/my-group%2Fmy-app/integrations/harbor",
    ]);
    const robot = harbor.robots[0]!;
    expect(robot).toMatchObject({ name: "robot$my-project+gitlab-ci", level: "project", duration: 90 });
    expect(robot.permissions).toEqual([{ kind: "project", namespace: "my-project", access: INTEGRATION_ACCESS.map((a) => ({ ...a, effect: "allow" })) }]);
    expect(gitlab.requests[1]!.body).toEqual({
      url: harbor.url,
      project_name: "my-project",
      username: "robot$my-project+gitlab-ci",
      password: robot.secret,
      use_inherited_settings: false,
    });
    expect(r.stdout).toContain("robot credentials accepted");
    expect(r.stdout).toContain("integration is active and points at robot$my-project+gitlab-ci");
    expectNoSecrets(r);
  });

  it("is idempotent: a second run reads, changes nothing and says so", async () => {
    await setup(args());
    harbor.requests.length = 0;
    gitlab.requests.length = 0;
    const r = await setup(args());
    expect(r.code).toBe(0);
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
    expect(harbor.robots).toHaveLength(1);
    expect(r.stdout).toContain("nothing to change");
    expectNoSecrets(r);
  });

  it("finds its robot whatever Harbor's robot name prefix, and wires the name Harbor lists", async () => {
    harbor.robotPrefix = "gitlab-";
    const first = await setup(args());
    expect(first.code).toBe(0);
    expect(harbor.robots[0]).toMatchObject({ name: "gitlab-my-project+gitlab-ci", stored: "my-project+gitlab-ci" });
    expect(gitlab.requests[1]!.body).toMatchObject({ username: "gitlab-my-project+gitlab-ci" });
    harbor.requests.length = 0;
    const again = await setup(args());
    expect(again.code).toBe(0);
    expect(writes(harbor)).toEqual([]);
    expect(again.stdout).toContain("robot gitlab-my-project+gitlab-ci exists");
    expect(again.stdout).toContain("nothing to change");
    expect(again.stderr).toBe("");
  });

  it("warns when the robot name prefix holds a $ that GitLab does not escape for the runner", async () => {
    harbor.robotPrefix = "ci$";
    const r = await setup(args());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("robot name prefix `ci$` holds a `$` that GitLab does not escape");
    harbor.robotPrefix = "robot$";
    const ok = await setup(args());
    expect(ok.stderr).not.toContain("robot name prefix");
    expectNoSecrets(r);
  });

  it("--rotate-secret refreshes the secret and stores the new one in the integration", async () => {
    await setup(args());
    const before = harbor.robots[0]!.secret;
    harbor.requests.length = 0;
    gitlab.requests.length = 0;
    const r = await setup(args("--rotate-secret"));
    expect(r.code).toBe(0);
    const robot = harbor.robots[0]!;
    expect(robot.secret).not.toBe(before);
    expect(calls(harbor)).toContain(`PATCH /api/v2.0/robots/${robot.id}`);
    expect(harbor.requests.find((q) => q.method === "PATCH")!.body).toEqual({});
    expect(gitlab.project("my-group/my-app")!.integration!.password).toBe(robot.secret);
    expectNoSecrets(r);
  });

  it("--dry-run sends only reads and prints the writes with secrets redacted", async () => {
    const r = await setup(args("--dry-run"));
    expect(r.code).toBe(0);
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
    expect(harbor.robots).toHaveLength(0);
    expect(r.stdout).toMatch(/POST\s+http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/robots\s+as admin\s+body \{"name":"gitlab-ci"/);
    expect(r.stdout).toContain('"password":"[REDACTED]"');
    expect(r.stdout).toMatch(/PUT\s+http:\/\/127\.0\.0\.1:\d+\/api\/v4\/projects\/my-group%2Fmy-app\/integrations\/harbor .*\(not sent: dry run\)/);
    expect(r.stdout).toMatch(/GET\s+http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/projects\/my-project .*\(sent\)/);
    expectNoSecrets(r);
  });

  it("--dry-run --rotate-secret on a wired project lists the PATCH and PUT without sending them", async () => {
    await setup(args());
    const secret = harbor.robots[0]!.secret;
    harbor.requests.length = 0;
    gitlab.requests.length = 0;
    const r = await setup(args("--dry-run", "--rotate-secret"));
    expect(r.code).toBe(0);
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
    expect(harbor.robots[0]!.secret).toBe(secret);
    expect(r.stdout).toMatch(/PATCH\s+\S+\/api\/v2\.0\/robots\/1\s.*\(not sent: dry run\)/);
    expectNoSecrets(r);
  });

  it("--verbose prints every call, redacted", async () => {
    const r = await setup(args("--verbose"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/call\s+PUT\s+\S+integrations\/harbor .*"password":"\[REDACTED\]"/);
    expect(r.stdout).toContain("as admin");
    expectNoSecrets(r);
  });

  it("group level: sets /groups/:id/integrations/harbor", async () => {
    const argv = args().map((a) => (a === "--project" ? "--group" : a === "my-group/my-app" ? "my-group" : a));
    const r = await setup(argv);
    expect(r.code).toBe(0);
    expect(calls(gitlab)).toEqual([
      "GET /api/v4/groups/my-group/integrations/harbor",
      "PUT /api/v4/groups/my-group/integrations/harbor",
      "GET /api/v4/groups/my-group/integrations/harbor",
    ]);
    expect(gitlab.groups.get("my-group")!.integration!.password).toBe(harbor.robots[0]!.secret);
    expectNoSecrets(r);
  });

  it("robot exists but the integration lacks its secret: SETUP_SECRET_UNKNOWN asks for --rotate-secret, writes nothing", async () => {
    harbor.addRobot("my-project", "gitlab-ci", [...INTEGRATION_ACCESS]);
    const r = await setup(args());
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("SETUP_SECRET_UNKNOWN");
    expect(r.stderr).toContain("--rotate-secret");
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
    expectNoSecrets(r);
    // ... and with it, the integration gets a fresh secret.
    const fixed = await setup(args("--rotate-secret"));
    expect(fixed.code).toBe(0);
    expect(gitlab.project("my-group/my-app")!.integration!.password).toBe(harbor.robots[0]!.secret);
  });

  it("robot exists with other permissions: the error lists missing and extra grants", async () => {
    harbor.addRobot("my-project", "gitlab-ci", [
      { resource: "repository", action: "pull" },
      { resource: "repository", action: "push" },
      { resource: "repository", action: "list" },
      { resource: "artifact", action: "list" },
      { resource: "artifact", action: "read" },
      { resource: "repository", action: "delete" },
    ]);
    const r = await setup(args("--rotate-secret"));
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("HARBOR_ROBOT_PERMISSIONS_DIFFER");
    expect(r.stderr).toContain("missing project/my-project tag:list");
    expect(r.stderr).toContain("extra project/my-project repository:delete");
    expect(writes(harbor)).toEqual([]);
  });

  it("a disabled robot is reported, not used", async () => {
    harbor.addRobot("my-project", "gitlab-ci", [...INTEGRATION_ACCESS], { disable: true });
    const r = await setup(args("--rotate-secret"));
    expect(errorCodeOf(r)).toBe("HARBOR_ROBOT_DISABLED");
  });

  it("an expired robot is reported, not used", async () => {
    harbor.addRobot("my-project", "gitlab-ci", [...INTEGRATION_ACCESS], { expires_at: Math.floor(Date.now() / 1000) - 60 });
    const r = await setup(args("--rotate-secret"));
    expect(errorCodeOf(r)).toBe("HARBOR_ROBOT_EXPIRED");
  });

  it("a bad GitLab token (401) stops before anything is created", async () => {
    const r = await setup(args(), env({ GITLAB_TOKEN: "glpat-revoked-token-99999" }));
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("GITLAB_UNAUTHORIZED");
    expect(writes(harbor)).toEqual([]);
    expect(r.all).not.toContain("glpat-revoked-token-99999");
  });

  it("a token without the api scope: robot created, PUT refused (insufficient_scope); the fix says to rerun with --rotate-secret", async () => {
    const r = await setup(args(), env({ GITLAB_TOKEN: "glpat-readapi-token-000002" }));
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("GITLAB_INSUFFICIENT_SCOPE");
    expect(r.stderr).toContain("`api` scope");
    expect(r.stderr).toContain("--rotate-secret");
    expectNoSecrets(r);
  });

  it("a user below Maintainer: GITLAB_FORBIDDEN naming the role", async () => {
    const r = await setup(args(), env({ GITLAB_TOKEN: "glpat-developer-token-0003" }));
    expect(errorCodeOf(r)).toBe("GITLAB_FORBIDDEN");
    expect(r.stderr).toContain("Maintainer");
    expect(writes(harbor)).toEqual([]);
  });

  it("a missing Harbor project: HARBOR_PROJECT_NOT_FOUND", async () => {
    const r = await setup(args().map((a) => (a === "my-project" ? "other" : a)));
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("HARBOR_PROJECT_NOT_FOUND");
    expect(r.stderr).toContain("--harbor-project");
  });

  it("rejected Harbor admin credentials: HARBOR_ADMIN_REJECTED, password not printed", async () => {
    const r = await setup(args(), env({ HARBOR_ADMIN_PASSWORD: "Wr0ngPassword!" }));
    expect(errorCodeOf(r)).toBe("HARBOR_ADMIN_REJECTED");
    expect(r.all).not.toContain("Wr0ngPassword!");
  });

  it("a Harbor user without rights on robots: HARBOR_ADMIN_FORBIDDEN", async () => {
    const r = await setup(args(), env({ HARBOR_ADMIN_USER: "dev", HARBOR_ADMIN_PASSWORD: "Dev12345" }));
    expect(errorCodeOf(r)).toBe("HARBOR_ADMIN_FORBIDDEN");
  });

  it("transient Harbor and GitLab failures are retried and the run succeeds", async () => {
    harbor.inject((q) => q.method === "POST", { status: 503, body: { errors: [{ code: "UNAVAILABLE", message: "busy" }] } }, 1);
    harbor.inject((q) => q.rawPath.endsWith("/repositories"), "drop", 1);
    gitlab.inject((q) => q.method === "GET", { status: 504, body: { message: "504 Gateway Timeout" } }, 1);
    const r = await setup(args());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/retry: attempt 1 failed \(HTTP 503\); retrying in 1 ms/);
    expect(r.stderr).toMatch(/retry: attempt 1 failed \(HTTP 504\)/);
    expect(harbor.robots).toHaveLength(1);
    expectNoSecrets(r);
  });

  it("Harbor down: bounded retries, then HARBOR_UNAVAILABLE", async () => {
    harbor.inject(() => true, { status: 503, body: { errors: [] } }, 100);
    const r = await setup(args());
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("HARBOR_UNAVAILABLE");
    expect(harbor.requests).toHaveLength(3);
    expect(r.stderr).toContain("after 3 attempt(s)");
  });

  it("--no-expiry creates a never-expiring robot; --duration -1 alone is refused", async () => {
    const refused = await setup(args("--duration", "-1"));
    expect(refused.code).toBe(2);
    expect(errorCodeOf(refused)).toBe("DURATION_NEVER_REFUSED");
    expect(harbor.requests).toEqual([]);
    const r = await setup(args("--no-expiry"));
    expect(r.code).toBe(0);
    expect(harbor.requests.find((q) => q.method === "POST")!.body).toMatchObject({ duration: -1 });
    expect(r.stdout).toContain("never expires");
  });

  it("--duration sets the robot's lifetime in days", async () => {
    await setup(args("--duration", "30"));
    expect(harbor.requests.find((q) => q.method === "POST")!.body).toMatchObject({ duration: 30 });
  });

  it("missing credentials are configuration errors (exit 2) and nothing is sent", async () => {
    for (const [over, code] of [
      [{ GITLAB_TOKEN: undefined }, "GITLAB_TOKEN_MISSING"],
      [{ HARBOR_ADMIN_PASSWORD: undefined }, "HARBOR_ADMIN_MISSING"],
      [{ GITLAB_URL: undefined }, "GITLAB_URL_MISSING"],
    ] as const) {
      const r = await setup(args(), env(over));
      expect(r.code).toBe(2);
      expect(errorCodeOf(r)).toBe(code);
    }
    expect(harbor.requests).toEqual([]);
    expect(gitlab.requests).toEqual([]);
  });

  it("secrets are never accepted as arguments", async () => {
    const r = await setup(args("--password", "x"));
    expect(r.code).toBe(2);
    expect(errorCodeOf(r)).toBe("OPTION_INVALID");
  });

  it("bad options are usage errors: both --project and --group, an invalid robot name", async () => {
    expect(errorCodeOf(await setup(args("--group", "my-group")))).toBe("GITLAB_TARGET_MISSING");
    expect(errorCodeOf(await setup(args("--robot-name", "GitLab+CI")))).toBe("ROBOT_NAME_INVALID");
  });
});
