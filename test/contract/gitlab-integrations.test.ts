import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitlab, type GitlabConnection } from "../../scripts/lib/gitlab-api/client.ts";
import { HarborIntegrations, type HarborIntegrationSettings, type IntegrationTarget } from "../../scripts/lib/gitlab-api/integration.ts";
import { CliError } from "../../scripts/lib/cli/diagnostics.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";

const MAINTAINER = "glpat-maintainer-token-0001";
const PROJECT: IntegrationTarget = { kind: "project", id: "my-group/my-app" };
const SETTINGS: HarborIntegrationSettings = {
  url: "https://registry.example.com",
  project_name: "my-project",
  username: "robot$my-project+gitlab-ci",
  password: "S3cretRobotPassw0rd",
  use_inherited_settings: false,
};

function integrations(g: FakeGitlab, token = MAINTAINER, over: Partial<GitlabConnection> = {}) {
  const conn: GitlabConnection = { url: g.url, token, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 4 }, timeoutMs: 2_000, ...over };
  return new HarborIntegrations(createGitlab(conn), conn);
}

async function failure(p: Promise<unknown>): Promise<CliError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CliError)) throw new Error(`expected a CliError, got ${String(err)}`);
  return err;
}

describe("contract: GitLab integrations API", () => {
  let gitlab: FakeGitlab;
  beforeEach(async () => {
    gitlab = new FakeGitlab();
    await gitlab.start();
  });
  afterEach(() => gitlab.stop());

  it("GET /projects/:id/integrations/harbor with PRIVATE-TOKEN; 404 Integration Not Found means not configured", async () => {
    await expect(integrations(gitlab).get(PROJECT)).resolves.toBeUndefined();
    const [req] = gitlab.requests;
    expect(req).toMatchObject({ method: "GET", rawPath: "/api/v4/projects/my-group%2Fmy-app/integrations/harbor" });
    expect(req!.headers["private-token"]).toBe(MAINTAINER);
  });

  it("PUT sends url, project_name, username, password, use_inherited_settings as JSON; GET shows it active without the password", async () => {
    const api = integrations(gitlab);
    const put = await api.put(PROJECT, SETTINGS);
    expect(put).toEqual({ active: true, url: SETTINGS.url, projectName: "my-project", username: SETTINGS.username });
    const req = gitlab.requests[0]!;
    expect(req.method).toBe("PUT");
    expect(req.rawPath).toBe("/api/v4/projects/my-group%2Fmy-app/integrations/harbor");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual(SETTINGS);
    expect(gitlab.project("my-group/my-app")!.integration!.password).toBe(SETTINGS.password);
    await expect(api.get(PROJECT)).resolves.toEqual({ active: true, url: SETTINGS.url, projectName: "my-project", username: SETTINGS.username });
  });

  it("numeric project IDs go as is", async () => {
    await integrations(gitlab).get({ kind: "project", id: "42" });
    expect(gitlab.requests[0]!.rawPath).toBe("/api/v4/projects/42/integrations/harbor");
  });

  it("group level: GET and PUT /groups/:id/integrations/harbor", async () => {
    const api = integrations(gitlab);
    const group: IntegrationTarget = { kind: "group", id: "my-group" };
    await expect(api.get(group)).resolves.toBeUndefined();
    await api.put(group, SETTINGS);
    await expect(api.get(group)).resolves.toMatchObject({ active: true, username: SETTINGS.username });
    expect(gitlab.requests.map((r) => `${r.method} ${r.rawPath}`)).toEqual([
      "GET /api/v4/groups/my-group/integrations/harbor",
      "PUT /api/v4/groups/my-group/integrations/harbor",
      "GET /api/v4/groups/my-group/integrations/harbor",
    ]);
    expect(gitlab.requests[1]!.body).toEqual(SETTINGS);
    expect(gitlab.groups.get("my-group")!.integration!.password).toBe(SETTINGS.password);
  });

  it("a bad token (401) is GITLAB_UNAUTHORIZED and names the `api` scope in the fix", async () => {
    const err = await failure(integrations(gitlab, "glpat-revoked-token-99999").get(PROJECT));
    expect(err.code).toBe("GITLAB_UNAUTHORIZED");
    expect(err.fix).toContain("`api` scope");
  });

  it("a token without the api scope (403 insufficient_scope) is GITLAB_INSUFFICIENT_SCOPE", async () => {
    const err = await failure(integrations(gitlab, "glpat-readapi-token-000002").put(PROJECT, SETTINGS));
    expect(err.code).toBe("GITLAB_INSUFFICIENT_SCOPE");
    expect(err.expected).toContain("`api` scope");
  });

  it("a user below Maintainer (403) is GITLAB_FORBIDDEN and names the role", async () => {
    const err = await failure(integrations(gitlab, "glpat-developer-token-0003").get(PROJECT));
    expect(err.code).toBe("GITLAB_FORBIDDEN");
    expect(err.expected).toContain("Maintainer");
  });

  it("a missing project (404 Project Not Found) is GITLAB_NOT_FOUND, not 'not configured'", async () => {
    const err = await failure(integrations(gitlab).get({ kind: "project", id: "nope/nothing" }));
    expect(err.code).toBe("GITLAB_NOT_FOUND");
  });

  it("settings GitLab refuses (400) are GITLAB_INTEGRATION_REJECTED", async () => {
    const err = await failure(integrations(gitlab).put(PROJECT, { ...SETTINGS, password: "" }));
    expect(err.code).toBe("GITLAB_INTEGRATION_REJECTED");
    expect(err.actual).toContain("password is missing");
  });

  it("retries 503 with backoff, then succeeds", async () => {
    gitlab.inject((r) => r.method === "GET", { status: 503, body: { message: "503 Service Unavailable" } }, 2);
    await expect(integrations(gitlab).get(PROJECT)).resolves.toBeUndefined();
    expect(gitlab.requests).toHaveLength(3);
  });

  it("502 is retried (by gitbeaker itself)", async () => {
    gitlab.inject((r) => r.method === "GET", { status: 502, body: { message: "502 Bad Gateway" } }, 1);
    await expect(integrations(gitlab).get(PROJECT)).resolves.toBeUndefined();
    expect(gitlab.requests).toHaveLength(2);
  });

  it("persistent 500 gives GITLAB_UNAVAILABLE after the retries", async () => {
    gitlab.inject(() => true, { status: 500, body: { message: "500 Internal Server Error" } }, 10);
    const err = await failure(integrations(gitlab).get(PROJECT));
    expect(err.code).toBe("GITLAB_UNAVAILABLE");
    expect(gitlab.requests).toHaveLength(3);
  });

  it("timeouts are retried, then GITLAB_UNAVAILABLE", async () => {
    gitlab.inject(() => true, "hang", 10);
    const err = await failure(integrations(gitlab, MAINTAINER, { timeoutMs: 100 }).get(PROJECT));
    expect(err.code).toBe("GITLAB_UNAVAILABLE");
    expect(err.actual).toBe("timeout");
    expect(gitlab.requests).toHaveLength(3);
  });

  it("connection refused is retried, then GITLAB_UNAVAILABLE", async () => {
    const url = gitlab.url;
    await gitlab.stop();
    const conn: GitlabConnection = { url, token: MAINTAINER, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 500 };
    const err = await failure(new HarborIntegrations(createGitlab(conn), conn).get(PROJECT));
    expect(err.code).toBe("GITLAB_UNAVAILABLE");
    expect(err.actual).toBe("ECONNREFUSED");
    await gitlab.start();
  });
});
