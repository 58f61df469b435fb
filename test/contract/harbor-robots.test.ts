import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HarborClient } from "../../scripts/lib/harbor-api/client.ts";
import { INTEGRATION_ACCESS, integrationPermission } from "../../scripts/lib/harbor-api/permissions.ts";
import { CliError } from "../../scripts/lib/cli/diagnostics.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { basicCredentials } from "./fakes/server.ts";

const TINY = { retries: 2, baseDelayMs: 1, maxDelayMs: 4 };

function client(h: FakeHarbor, over: Partial<ConstructorParameters<typeof HarborClient>[0]> = {}) {
  return new HarborClient({ url: h.url, adminUser: "admin", adminPassword: "Harbor12345", retry: TINY, timeoutMs: 2_000, ...over });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CliError) return err.code;
    throw err;
  }
  throw new Error("expected a CliError");
}

describe("contract: Harbor robots API", () => {
  let harbor: FakeHarbor;
  beforeEach(async () => {
    harbor = new FakeHarbor();
    await harbor.start();
  });
  afterEach(async () => {
    await harbor.stop();
    // Every answer of the Harbor fake conforms to Harbor's swagger.
    expect(harbor.swaggerViolations).toEqual([]);
  });

  it("reads a project by name with X-Is-Resource-Name and the admin's Basic auth", async () => {
    const p = await client(harbor).getProject("my-project");
    expect(p).toMatchObject({ project_id: 7, name: "my-project" });
    const [req] = harbor.requests;
    expect(req).toMatchObject({ method: "GET", rawPath: "/api/v2.0/projects/my-project", query: {} });
    expect(req!.headers["x-is-resource-name"]).toBe("true");
    expect(basicCredentials(req!.headers)).toEqual({ user: "admin", password: "Harbor12345" });
  });

  it("lists project robots with q=Level=project,ProjectID=<id>, paging by 100", async () => {
    for (let i = 0; i < 130; i++) harbor.addRobot("my-project", `r${i}`, [{ resource: "repository", action: "pull" }]);
    const robots = await client(harbor).listProjectRobots(7);
    expect(robots).toHaveLength(130);
    expect(robots[0]).not.toHaveProperty("secret");
    expect(harbor.requests.map((r) => r.query)).toEqual([
      { q: "Level=project,ProjectID=7", page: "1", page_size: "100" },
      { q: "Level=project,ProjectID=7", page: "2", page_size: "100" },
    ]);
    expect(harbor.requests.every((r) => r.method === "GET" && r.rawPath === "/api/v2.0/robots")).toBe(true);
  });

  it("creates a project robot with exactly the integration's permissions and gets its secret once", async () => {
    const created = await client(harbor).createRobot({
      name: "gitlab-ci",
      description: "test",
      level: "project",
      duration: 90,
      disable: false,
      permissions: [integrationPermission("my-project")],
    });
    expect(created.name).toBe("robot$my-project+gitlab-ci");
    expect(created.secret).toBe(harbor.robots[0]!.secret);
    const req = harbor.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.rawPath).toBe("/api/v2.0/robots");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual({
      name: "gitlab-ci",
      description: "test",
      level: "project",
      duration: 90,
      disable: false,
      permissions: [
        {
          kind: "project",
          namespace: "my-project",
          access: [
            { resource: "repository", action: "pull" },
            { resource: "repository", action: "push" },
            { resource: "repository", action: "list" },
            { resource: "artifact", action: "list" },
            { resource: "artifact", action: "read" },
            { resource: "tag", action: "list" },
          ],
        },
      ],
    });
    expect(INTEGRATION_ACCESS).toHaveLength(6);
  });

  it("refreshes a secret with PATCH /robots/{id} and an empty RobotSec; the old secret stops working", async () => {
    const robot = harbor.addRobot("my-project", "gitlab-ci", [...INTEGRATION_ACCESS]);
    const old = robot.secret;
    const c = client(harbor);
    const fresh = await c.refreshRobotSecret(robot);
    expect(fresh).not.toBe(old);
    expect(harbor.requests[0]).toMatchObject({ method: "PATCH", rawPath: `/api/v2.0/robots/${robot.id}`, body: {} });
    expect(await codeOf(c.checkRobotAccess("my-project", robot.name, old))).toBe("HARBOR_ROBOT_CHECK_FAILED");
    await expect(c.checkRobotAccess("my-project", robot.name, fresh)).resolves.toContain("-> 200");
  });

  it("checks a robot's credentials on the project's repository list, with the robot's Basic auth", async () => {
    const robot = harbor.addRobot("my-project", "gitlab-ci", [...INTEGRATION_ACCESS]);
    await client(harbor).checkRobotAccess("my-project", robot.name, robot.secret);
    const req = harbor.requests[0]!;
    expect(req).toMatchObject({ method: "GET", rawPath: "/api/v2.0/projects/my-project/repositories", query: { page: "1", page_size: "1" } });
    expect(basicCredentials(req.headers)).toEqual({ user: "robot$my-project+gitlab-ci", password: robot.secret });
  });

  it("a robot without repository:list is refused (403) by the check", async () => {
    const robot = harbor.addRobot("my-project", "puller", [{ resource: "repository", action: "pull" }]);
    expect(await codeOf(client(harbor).checkRobotAccess("my-project", robot.name, robot.secret))).toBe("HARBOR_ROBOT_CHECK_FAILED");
  });

  it("maps a missing project (404) to HARBOR_PROJECT_NOT_FOUND", async () => {
    expect(await codeOf(client(harbor).getProject("nope"))).toBe("HARBOR_PROJECT_NOT_FOUND");
  });

  it("maps rejected admin credentials (401) to HARBOR_ADMIN_REJECTED", async () => {
    expect(await codeOf(client(harbor, { adminPassword: "wrong" }).getProject("my-project"))).toBe("HARBOR_ADMIN_REJECTED");
  });

  it("maps a user without rights on robots (403) to HARBOR_ADMIN_FORBIDDEN", async () => {
    expect(await codeOf(client(harbor, { adminUser: "dev", adminPassword: "Dev12345" }).listProjectRobots(7))).toBe("HARBOR_ADMIN_FORBIDDEN");
  });

  it("maps a name conflict (409) to HARBOR_ROBOT_CONFLICT", async () => {
    harbor.addRobot("my-project", "gitlab-ci", [...INTEGRATION_ACCESS]);
    const body = {
      name: "gitlab-ci",
      description: "",
      level: "project" as const,
      duration: 90,
      disable: false as const,
      permissions: [integrationPermission("my-project")],
    };
    expect(await codeOf(client(harbor).createRobot(body))).toBe("HARBOR_ROBOT_CONFLICT");
  });

  it("retries 503 with exponential backoff, then succeeds", async () => {
    harbor.inject((r) => r.rawPath === "/api/v2.0/projects/my-project", { status: 503, body: { errors: [{ code: "UNAVAILABLE", message: "busy" }] } }, 2);
    const delays: number[] = [];
    const p = await client(harbor, { onRetry: (i) => delays.push(i.delayMs) }).getProject("my-project");
    expect(p.project_id).toBe(7);
    expect(harbor.requests).toHaveLength(3);
    expect(delays).toEqual([1, 2]);
  });

  it("retries a dropped connection", async () => {
    harbor.inject(() => true, "drop", 1);
    await expect(client(harbor).getProject("my-project")).resolves.toMatchObject({ project_id: 7 });
    expect(harbor.requests).toHaveLength(2);
  });

  it("gives up after the retries with HARBOR_UNAVAILABLE when every attempt times out", async () => {
    harbor.inject(() => true, "hang", 10);
    const err = await client(harbor, { timeoutMs: 100 })
      .getProject("my-project")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe("HARBOR_UNAVAILABLE");
    expect((err as CliError).message).toContain("after 3 attempt(s) (timeout)");
    expect(harbor.requests).toHaveLength(3);
  });

  it("does not retry a 4xx", async () => {
    expect(await codeOf(client(harbor).getProject("nope"))).toBe("HARBOR_PROJECT_NOT_FOUND");
    expect(harbor.requests).toHaveLength(1);
  });

  it("reports connection refused after the retries", async () => {
    const url = harbor.url;
    await harbor.stop();
    const err = await new HarborClient({ url, adminUser: "admin", adminPassword: "x", retry: TINY, timeoutMs: 500 })
      .getProject("my-project")
      .catch((e: unknown) => e);
    expect((err as CliError).code).toBe("HARBOR_UNAVAILABLE");
    expect((err as CliError).actual).toBe("ECONNREFUSED");
    await harbor.start(); // afterEach stops it again
  });
});
