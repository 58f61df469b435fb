// Every command that talks to Harbor (`scan`, `setup`: the commands built on
// scripts/lib/harbor-api/client.ts) walked through the same hostile answers: an HTML sign-in page,
// a HARBOR_URL with credentials, a body over --max-response-bytes, and a redirect to another
// origin for each redirect status. Each gives the same coded error in every command, with that
// command's exit code for "Harbor failed" (scan: 3, since 1 means findings; setup: 1), and no
// credential reaches the second server.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanMain } from "../../scripts/commands/scan.ts";
import { setupMain } from "../../scripts/commands/setup.ts";
import { STACK_FRAME } from "../../scripts/lib/cli/failure.ts";
import { secretForms } from "../../scripts/lib/cli/redact.ts";
import { integrationAccess } from "../../scripts/lib/harbor-api/permissions.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { errorCodeOf, runCommand, type RunResult } from "./fakes/run.ts";

const TOKEN = "glpat-maintainer-token-0001";
const ADMIN = "admin";
const PASSWORD = "Harbor12345";
const DIGEST = `sha256:${"ab".repeat(32)}`;
const MAX_BYTES = 1_048_576;
const BOUNDS = ["--retries", "0", "--retry-delay", "1", "--max-response-bytes", String(MAX_BYTES)];
const REDIRECTS = [301, 302, 303, 307, 308] as const;

interface HarborCommand {
  name: string;
  /** Exit code of a failure of Harbor. */
  harborExit: number;
  run: (url: string) => Promise<RunResult>;
  /** The credentials it sends to Harbor, never to be printed nor sent elsewhere. */
  secrets: () => Array<[string, string?]>;
}

describe("contract: every command that talks to Harbor, through the same hostile answers", () => {
  let harbor: FakeHarbor;
  let other: FakeHarbor;
  let gitlab: FakeGitlab;
  let dir: string;
  let robot: ReturnType<FakeHarbor["addRobot"]>;
  beforeEach(async () => {
    harbor = new FakeHarbor();
    other = new FakeHarbor();
    gitlab = new FakeGitlab();
    await Promise.all([harbor.start(), other.start(), gitlab.start()]);
    robot = harbor.addRobot("my-project", "scanner", integrationAccess(true));
    harbor.addArtifact("my-project", "app", DIGEST);
    dir = mkdtempSync(join(tmpdir(), "hc-harbor-commands-"));
  });
  afterEach(async () => {
    await Promise.all([harbor.stop(), other.stop(), gitlab.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const commands: HarborCommand[] = [
    {
      name: "scan",
      harborExit: 3,
      run: (url) =>
        runCommand(
          scanMain,
          ["--image", `${new URL(harbor.url).host}/my-project/app@${DIGEST}`, "--request-timeout", "1500", "--poll-interval", "5", ...BOUNDS],
          { HARBOR_URL: url, HARBOR_USERNAME: robot.name, HARBOR_PASSWORD: robot.secret },
          dir,
        ),
      secrets: () => [[robot.secret, robot.name]],
    },
    {
      name: "setup",
      harborExit: 1,
      run: (url) =>
        runCommand(
          setupMain,
          ["--harbor-url", url, "--harbor-project", "my-project", "--project", "my-group/my-app", "--timeout", "1500", ...BOUNDS],
          { GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN, HARBOR_ADMIN_USER: ADMIN, HARBOR_ADMIN_PASSWORD: PASSWORD },
          dir,
        ),
      secrets: () => [[PASSWORD, ADMIN], [TOKEN]],
    },
  ];

  function expectClean(r: RunResult, secrets: Array<[string, string?]>) {
    expect(r.all).not.toMatch(STACK_FRAME);
    expect(r.all).not.toContain("INTERNAL");
    for (const [secret, user] of secrets) for (const form of secretForms(secret, user)) expect(r.all).not.toContain(form);
  }
  const harborWrites = () => harbor.requests.filter((q) => q.method !== "GET");
  const gitlabWrites = () => gitlab.requests.filter((q) => q.method !== "GET");

  for (const c of commands) {
    it(`${c.name}: an HTML sign-in page is HARBOR_UNEXPECTED_RESPONSE, exit ${c.harborExit}, nothing written`, async () => {
      harbor.hostile = "html-signin";
      const r = await c.run(harbor.url);
      expect(errorCodeOf(r)).toBe("HARBOR_UNEXPECTED_RESPONSE");
      expect(r.code).toBe(c.harborExit);
      expect(r.stderr).toContain("likely an HTML sign-in page");
      expect(harborWrites()).toEqual([]);
      expect(gitlabWrites()).toEqual([]);
      expectClean(r, c.secrets());
    });

    it(`${c.name}: credentials inside the Harbor URL are HARBOR_URL_HAS_CREDENTIALS, exit 2, no request sent`, async () => {
      const secret = "s3cr3t-url-password";
      const r = await c.run(harbor.url.replace("http://", `http://someone:${secret}@`));
      expect(errorCodeOf(r)).toBe("HARBOR_URL_HAS_CREDENTIALS");
      expect(r.code).toBe(2);
      expect(harbor.requests).toEqual([]);
      expect(gitlab.requests).toEqual([]);
      expectClean(r, [[secret, "someone"], ...c.secrets()]);
    });

    it(`${c.name}: a body over --max-response-bytes is HARBOR_RESPONSE_TOO_LARGE, read only up to about the cap`, async () => {
      harbor.hostile = "huge";
      const r = await c.run(harbor.url);
      expect(errorCodeOf(r)).toBe("HARBOR_RESPONSE_TOO_LARGE");
      expect(r.code).toBe(c.harborExit);
      expect(r.stderr).toContain(`larger than ${MAX_BYTES} bytes`);
      expect(harbor.hugeBytesSent).toBeLessThan(64 * 1024 * 1024);
      expect(gitlabWrites()).toEqual([]);
      expectClean(r, c.secrets());
    });

    for (const status of REDIRECTS) {
      it(`${c.name}: a ${status} to another origin is HTTP_CROSS_ORIGIN_REDIRECT naming both, and the credential never arrives there`, async () => {
        harbor.redirect = { status, to: other.url };
        const r = await c.run(harbor.url);
        expect(errorCodeOf(r)).toBe("HTTP_CROSS_ORIGIN_REDIRECT");
        expect(r.code).toBe(c.harborExit);
        expect(r.stderr).toContain(new URL(harbor.url).origin);
        expect(r.stderr).toContain(new URL(other.url).origin);
        expect(harbor.requests.length).toBeGreaterThan(0);
        expect(other.requests).toEqual([]);
        expect(gitlabWrites()).toEqual([]);
        expectClean(r, c.secrets());
      });
    }
  }
});
