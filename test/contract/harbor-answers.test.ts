// Answers that are well-formed but name something else than what was asked (issue 18 item 2), or
// whose fields read by the CLI have the wrong type: a coded error before anything is acted on.
// setup sends no Harbor write it did not have to and never writes GitLab; scan decides no gate.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanMain } from "../../scripts/commands/scan.ts";
import { setupMain } from "../../scripts/commands/setup.ts";
import { STACK_FRAME } from "../../scripts/lib/cli/failure.ts";
import { integrationAccess } from "../../scripts/lib/harbor-api/permissions.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { errorCodeOf, runCommand } from "./fakes/run.ts";
import type { RecordedRequest } from "./fakes/server.ts";

const TOKEN = "glpat-maintainer-token-0001";
const DIGEST = `sha256:${"ab".repeat(32)}`;
const OTHER_SECRET = "other-robot-secret-0123456789";
const BOUNDS = ["--retries", "0", "--retry-delay", "1"];

const isProject = (q: RecordedRequest) => q.method === "GET" && q.rawPath === "/api/v2.0/projects/my-project";
const isRobotList = (q: RecordedRequest) => q.method === "GET" && q.rawPath === "/api/v2.0/robots";
const isRobotCreate = (q: RecordedRequest) => q.method === "POST" && q.rawPath === "/api/v2.0/robots";
const projectBody = (name: unknown) => ({ project_id: 7, name, owner_id: 1, repo_count: 0, metadata: { public: "false" } });

describe("contract: answers that name something else", () => {
  let harbor: FakeHarbor;
  let gitlab: FakeGitlab;
  let dir: string;
  beforeEach(async () => {
    harbor = new FakeHarbor();
    gitlab = new FakeGitlab();
    await Promise.all([harbor.start(), gitlab.start()]);
    dir = mkdtempSync(join(tmpdir(), "hc-harbor-answers-"));
  });
  afterEach(async () => {
    await Promise.all([harbor.stop(), gitlab.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const setup = () =>
    runCommand(
      setupMain,
      ["--harbor-url", harbor.url, "--harbor-project", "my-project", "--project", "my-group/my-app", ...BOUNDS],
      { GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN, HARBOR_ADMIN_USER: harbor.admin.user, HARBOR_ADMIN_PASSWORD: harbor.admin.password },
      dir,
    );
  const writes = (s: FakeHarbor | FakeGitlab) => s.requests.filter((q) => q.method !== "GET").map((q) => `${q.method} ${q.rawPath}`);

  it("setup: a project answer naming project `victim` is HARBOR_ANSWER_MISMATCH; no robot POST, no GitLab PUT", async () => {
    harbor.inject(isProject, { status: 200, body: projectBody("victim") });
    const r = await setup();
    expect(errorCodeOf(r)).toBe("HARBOR_ANSWER_MISMATCH");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"victim"');
    // Right-shaped: the answer itself is a valid swagger Project.
    expect(harbor.swaggerViolations).toEqual([]);
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
    expect(harbor.robots).toHaveLength(0);
  });

  it("setup: a project name of the wrong type is HARBOR_UNEXPECTED_RESPONSE; no robot POST, no GitLab PUT", async () => {
    harbor.inject(isProject, { status: 200, body: projectBody(7) });
    const r = await setup();
    expect(errorCodeOf(r)).toBe("HARBOR_UNEXPECTED_RESPONSE");
    expect(r.stderr).toContain("answer.name: string expected, number found");
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
  });

  it("setup: a listed robot with `permissions: {}` is HARBOR_UNEXPECTED_RESPONSE, not INTERNAL; nothing written", async () => {
    const listed = {
      id: 1,
      name: "robot$my-project+gitlab-ci",
      description: "",
      level: "project",
      duration: 90,
      disable: false,
      editable: true,
      expires_at: -1,
      permissions: {},
      creation_time: "2026-11-30T10:00:00.000Z",
      update_time: "2026-11-30T10:00:00.000Z",
    };
    harbor.inject(isRobotList, { status: 200, body: [listed], headers: { "X-Total-Count": "1" } });
    const r = await setup();
    expect(errorCodeOf(r)).toBe("HARBOR_UNEXPECTED_RESPONSE");
    expect(r.stderr).toContain("answer[0].permissions: array expected, object found");
    expect(r.all).not.toMatch(STACK_FRAME);
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
  });

  it("setup: a created robot named `robot$other+admin` is HARBOR_ANSWER_MISMATCH; its secret is neither checked, stored nor printed", async () => {
    harbor.inject(isRobotCreate, {
      status: 201,
      body: { id: 99, name: "robot$other+admin", secret: OTHER_SECRET, creation_time: "2026-11-30T10:00:00.000Z", expires_at: -1 },
    });
    const r = await setup();
    expect(errorCodeOf(r)).toBe("HARBOR_ANSWER_MISMATCH");
    expect(r.stderr).toContain("robot$other+admin");
    expect(harbor.swaggerViolations).toEqual([]);
    // The POST itself is the write whose answer is wrong: nothing follows it on either side.
    expect(writes(harbor)).toEqual(["POST /api/v2.0/robots"]);
    expect(harbor.requests.at(-1)!.method).toBe("POST");
    expect(writes(gitlab)).toEqual([]);
    expect(r.all).not.toContain(OTHER_SECRET);
  });

  it("scan: an artifact answer describing another digest is HARBOR_ANSWER_MISMATCH (exit 3), never a gate verdict", async () => {
    const robot = harbor.addRobot("my-project", "scanner", integrationAccess(true));
    const other = `sha256:${"cd".repeat(32)}`;
    harbor.addArtifact("my-project", "app", other);
    harbor.addArtifact("my-project", "app", DIGEST);
    // Harbor answers for DIGEST with the artifact of `other` (a cache or proxy mixing up answers).
    harbor.inject(
      (q) => q.method === "GET" && q.rawPath.endsWith(`/artifacts/${DIGEST}`),
      {
        status: 200,
        body: { id: 1, type: "IMAGE", project_id: 7, repository_id: 101, digest: other, size: 1, push_time: "2026-11-30T10:00:00.000Z" },
      },
      10,
    );
    const r = await runCommand(
      scanMain,
      ["--image", `${new URL(harbor.url).host}/my-project/app@${DIGEST}`, "--poll-interval", "5", ...BOUNDS],
      { HARBOR_URL: harbor.url, HARBOR_USERNAME: robot.name, HARBOR_PASSWORD: robot.secret },
      dir,
    );
    expect(errorCodeOf(r)).toBe("HARBOR_ANSWER_MISMATCH");
    expect(r.code).toBe(3);
    expect(r.all).not.toContain("passed");
  });
});
