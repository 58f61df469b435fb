// Servers that are not what they claim (a sign-in page, HTML labelled JSON, an endless body, an
// echo of the credentials, a body slower than --timeout): every command stops with a coded error,
// prints no stack and no secret in any encoding, and setup changes nothing on either side.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lintMain } from "../../scripts/commands/lint.ts";
import { setupMain } from "../../scripts/commands/setup.ts";
import { versionsMain } from "../../scripts/commands/versions.ts";
import { STACK_FRAME } from "../../scripts/lib/cli/failure.ts";
import { secretForms } from "../../scripts/lib/cli/redact.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { errorCodeOf, runCommand, type RunResult } from "./fakes/run.ts";
import { HOSTILE_MODES, type HostileMode } from "./fakes/server.ts";

const TOKEN = "glpat-maintainer-token-0001";
const ADMIN = "admin";
const PASSWORD = "Harbor12345";

/** Small bounds so that the huge and slow modes end fast. */
const BOUNDS = ["--retries", "0", "--retry-delay", "1", "--timeout", "1500", "--max-response-bytes", "1048576"];

const GITLAB_CODE: Record<HostileMode, string> = {
  "html-signin": "GITLAB_UNEXPECTED_RESPONSE",
  "json-html": "GITLAB_UNEXPECTED_RESPONSE",
  huge: "GITLAB_RESPONSE_TOO_LARGE",
  "echo-auth": "GITLAB_REQUEST_FAILED",
  "slow-body": "GITLAB_UNAVAILABLE",
};
const HARBOR_CODE: Record<HostileMode, string> = {
  "html-signin": "HARBOR_UNEXPECTED_RESPONSE",
  "json-html": "HARBOR_UNEXPECTED_RESPONSE",
  huge: "HARBOR_RESPONSE_TOO_LARGE",
  "echo-auth": "HARBOR_REQUEST_FAILED",
  "slow-body": "HARBOR_UNAVAILABLE",
};

function expectClean(r: RunResult, secrets: Array<[string, string?]>) {
  expect(r.all).not.toMatch(STACK_FRAME);
  for (const [secret, user] of secrets) for (const form of secretForms(secret, user)) expect(r.all).not.toContain(form);
}

describe("contract: hostile servers", () => {
  let harbor: FakeHarbor;
  let gitlab: FakeGitlab;
  let dir: string;
  beforeEach(async () => {
    harbor = new FakeHarbor();
    gitlab = new FakeGitlab();
    await Promise.all([harbor.start(), gitlab.start()]);
    dir = mkdtempSync(join(tmpdir(), "hc-hostile-"));
    writeFileSync(join(dir, ".gitlab-ci.yml"), "job:\n  script: [echo hi]\n");
  });
  afterEach(() => Promise.all([harbor.stop(), gitlab.stop()]));

  const env = () => ({ GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN, HARBOR_ADMIN_USER: ADMIN, HARBOR_ADMIN_PASSWORD: PASSWORD });
  const setupArgs = ["--harbor-url", "", "--harbor-project", "my-project", "--project", "my-group/my-app", ...BOUNDS];
  const setup = () =>
    runCommand(
      setupMain,
      setupArgs.map((a, i) => (i === 1 ? harbor.url : a)),
      env(),
      dir,
    );
  const writes = (s: FakeHarbor | FakeGitlab) => s.requests.filter((q) => q.method !== "GET");

  for (const mode of HOSTILE_MODES) {
    it(`GitLab answering ${mode}: setup stops with ${GITLAB_CODE[mode]} before creating a robot or sending a secret`, async () => {
      gitlab.hostile = mode;
      const r = await setup();
      expect(r.code).toBe(1);
      expect(errorCodeOf(r)).toBe(GITLAB_CODE[mode]);
      expect(writes(harbor)).toEqual([]);
      expect(writes(gitlab)).toEqual([]);
      expect(harbor.robots).toHaveLength(0);
      expectClean(r, [[TOKEN], [PASSWORD, ADMIN]]);
    });

    it(`Harbor answering ${mode}: setup stops with ${HARBOR_CODE[mode]} and GitLab is never written`, async () => {
      harbor.hostile = mode;
      const r = await setup();
      expect(r.code).toBe(1);
      expect(errorCodeOf(r)).toBe(HARBOR_CODE[mode]);
      expect(writes(harbor)).toEqual([]);
      expect(writes(gitlab)).toEqual([]);
      expectClean(r, [[TOKEN], [PASSWORD, ADMIN]]);
    });

    it(`GitLab answering ${mode}: versions and lint stop with ${GITLAB_CODE[mode]}`, async () => {
      gitlab.hostile = mode;
      const v = await runCommand(versionsMain, ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
      expect(v.code).toBe(1);
      expect(errorCodeOf(v)).toBe(GITLAB_CODE[mode]);
      expectClean(v, [[TOKEN]]);
      const l = await runCommand((a, io) => lintMain(a, io), ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
      expect(l.code).toBe(1);
      expect(errorCodeOf(l)).toBe(GITLAB_CODE[mode]);
      expect(l.all).not.toContain("document(s) are invalid");
      expectClean(l, [[TOKEN]]);
    });
  }

  it("an endless body is read only up to the cap (the server sent a few MB, not gigabytes)", async () => {
    gitlab.hostile = "huge";
    const before = process.memoryUsage().rss;
    const r = await runCommand(versionsMain, ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
    expect(errorCodeOf(r)).toBe("GITLAB_RESPONSE_TOO_LARGE");
    // Socket buffers let the server get ahead of the cap, never by gigabytes.
    expect(gitlab.hugeBytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it("the sign-in page is named as the likely cause, with the first bytes of what came", async () => {
    gitlab.hostile = "html-signin";
    const r = await runCommand(versionsMain, ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
    expect(r.stderr).toContain("expected: a JSON answer of GitLab's REST API");
    expect(r.stderr).toMatch(/actual: {3}HTTP 200, text\/html; charset=utf-8: <!DOCTYPE html> <html><head><title>Sign in/);
    expect(r.stderr).toContain("likely an HTML sign-in page");
  });

  it("JSON of another shape is not read as an inactive integration", async () => {
    gitlab.inject((q) => q.rawPath.endsWith("/integrations/harbor"), { status: 200, body: { status: "ok" } });
    const r = await setup();
    expect(errorCodeOf(r)).toBe("GITLAB_UNEXPECTED_RESPONSE");
    expect(r.stderr).toContain("expected: GitLab's integration entity");
    expect(writes(harbor)).toEqual([]);
    expect(writes(gitlab)).toEqual([]);
  });

  it("JSON of another shape is not read as a lint verdict", async () => {
    gitlab.inject((q) => q.rawPath.endsWith("/ci/lint"), { status: 200, body: { ok: true } });
    const l = await runCommand((a, io) => lintMain(a, io), ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
    expect(errorCodeOf(l)).toBe("GITLAB_UNEXPECTED_RESPONSE");
  });

  it("credentials inside GITLAB_URL or --harbor-url are refused and never printed", async () => {
    const secret = "s3cr3t-url-password";
    const withCreds = gitlab.url.replace("http://", `http://oauth2:${secret}@`);
    const r = await runCommand(versionsMain, ["--project", "my-group/my-app", "-v", ...BOUNDS], { ...env(), GITLAB_URL: withCreds }, dir);
    expect(errorCodeOf(r)).toBe("GITLAB_URL_HAS_CREDENTIALS");
    expectClean(r, [[secret, "oauth2"]]);
    const s = await runCommand(
      setupMain,
      ["--harbor-url", harbor.url.replace("http://", `http://admin:${secret}@`), "--harbor-project", "p", "--project", "g/a", "-v"],
      env(),
      dir,
    );
    expect(errorCodeOf(s)).toBe("HARBOR_URL_HAS_CREDENTIALS");
    expectClean(s, [[secret, "admin"]]);
    expect(gitlab.requests).toEqual([]);
    expect(harbor.requests).toEqual([]);
  });

  it("versions -v prints every API call it makes", async () => {
    const r = await runCommand(versionsMain, ["--project", "my-group/my-app", "-v", ...BOUNDS], env(), dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/call {2}GET {3}http:\/\/127\.0\.0\.1:\d+\/api\/v4\/projects\/my-group%2Fmy-app\/releases\?/);
  });
});
