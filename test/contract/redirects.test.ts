// Credentials stay with their origin (issue 18 item 1): whatever redirect GitLab's URL answers
// with, to another port here, the second server never sees a request — so neither the
// PRIVATE-TOKEN header nor a body (the lint document, the integration with the robot secret) —
// and the command stops with HTTP_CROSS_ORIGIN_REDIRECT naming both origins. Harbor's side of
// `setup` and `scan` belongs to the Harbor client's tests.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { lintMain } from "../../scripts/commands/lint.ts";
import { setupMain } from "../../scripts/commands/setup.ts";
import { versionsMain } from "../../scripts/commands/versions.ts";
import { STACK_FRAME } from "../../scripts/lib/cli/failure.ts";
import { secretForms } from "../../scripts/lib/cli/redact.ts";
import { fetchNoCrossOriginRedirect, MAX_REDIRECTS, REDIRECT_STATUSES } from "../../scripts/lib/http/redirect.ts";
import { validatePipeline } from "../../scripts/lib/validate/pipeline.ts";
import { followPins } from "../../scripts/lib/validate/pins.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { errorCodeOf, runCommand, type RunResult } from "./fakes/run.ts";
import type { RecordedRequest } from "./fakes/server.ts";

const TOKEN = "glpat-maintainer-token-0001";
const ADMIN = "admin";
const PASSWORD = "Harbor12345";
const BOUNDS = ["--retries", "0", "--retry-delay", "1", "--timeout", "3000"];
const STATUSES = [301, 302, 303, 307, 308];

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function expectStopped(r: RunResult, gitlabUrl: string, otherUrl: string) {
  expect(r.code).not.toBe(0);
  expect(errorCodeOf(r)).toBe("HTTP_CROSS_ORIGIN_REDIRECT");
  // Both origins named, and the likely cause.
  expect(r.stderr).toContain(new URL(gitlabUrl).origin);
  expect(r.stderr).toContain(new URL(otherUrl).origin);
  expect(r.stderr).toMatch(/proxy|base URL/);
  expect(r.all).not.toMatch(STACK_FRAME);
  for (const form of secretForms(TOKEN)) expect(r.all).not.toContain(form);
}

describe("contract: no GitLab call follows a redirect to another origin", () => {
  let gitlab: FakeGitlab;
  /** The other origin: a GitLab fake too, which would answer everything happily. */
  let other: FakeGitlab;
  let harbor: FakeHarbor;
  let dir: string;
  beforeEach(async () => {
    gitlab = new FakeGitlab();
    other = new FakeGitlab();
    harbor = new FakeHarbor();
    await Promise.all([gitlab.start(), other.start(), harbor.start()]);
    dir = mkdtempSync(join(tmpdir(), "hci-redirect-"));
    temps.push(dir);
    writeFileSync(join(dir, ".gitlab-ci.yml"), "job:\n  script: [echo hi]\n");
  });
  afterEach(() => Promise.all([gitlab.stop(), other.stop(), harbor.stop()]));

  const env = () => ({ GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN, HARBOR_ADMIN_USER: ADMIN, HARBOR_ADMIN_PASSWORD: PASSWORD });
  const redirect = (status: number, match: (q: RecordedRequest) => boolean) =>
    gitlab.inject(match, { status, headers: { location: `${other.url}/api/v4/projects/42/moved` }, text: "" }, 100);

  for (const status of STATUSES) {
    it(`versions: HTTP ${status} to another port is not followed, and that server sees nothing`, async () => {
      redirect(status, () => true);
      const r = await runCommand(versionsMain, ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
      expectStopped(r, gitlab.url, other.url);
      expect(other.requests).toEqual([]);
    });

    it(`lint: HTTP ${status} on the lint POST is not followed; the other server's verdict is never read`, async () => {
      redirect(status, (q) => q.method === "POST");
      const r = await runCommand((a, io) => lintMain(a, io), ["--project", "my-group/my-app", ...BOUNDS], env(), dir);
      expectStopped(r, gitlab.url, other.url);
      expect(r.all).not.toMatch(/\bvalid\b/);
      expect(other.requests).toEqual([]);
    });

    it(`setup: HTTP ${status} on GitLab's calls is not followed; neither the token nor the integration (with the robot secret) reaches the other server`, async () => {
      for (const match of [() => true, (q: RecordedRequest) => q.method === "PUT"]) {
        gitlab.clearFaults();
        redirect(status, match);
        const r = await runCommand(
          setupMain,
          ["--harbor-url", harbor.url, "--harbor-project", "my-project", "--project", "my-group/my-app", ...BOUNDS],
          env(),
          dir,
        );
        expectStopped(r, gitlab.url, other.url);
        expect(other.requests).toEqual([]);
      }
    });

    it(`validate: HTTP ${status} while following a pin is not followed; the pin falls back with the reason`, async () => {
      redirect(status, () => true);
      const file = join(dir, "pinned.yml");
      writeFileSync(file, "include:\n  - component: $CI_SERVER_FQDN/my-group/harbor-ci-components/build-push@1.0.0\n    inputs:\n      image_name: app\n");
      const base = { file, schemas: new Map(), library: "harbor-ci-components" };
      const pins = await followPins({
        includes: validatePipeline(base).includes,
        installedVersion: "2.0.0",
        bundled: new Map(),
        env: { GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN },
        online: true,
        packageName: "@my-group/harbor-ci-components",
      });
      const warning = pins.diagnostics.find((d) => d.code === "PIN_CHECKED_AGAINST_INSTALLED");
      expect(warning?.message).toContain("HTTP_CROSS_ORIGIN_REDIRECT");
      expect(other.requests).toEqual([]);
    });
  }
});

describe("fetchNoCrossOriginRedirect", () => {
  let server: Server;
  let base = "";
  const seen: Array<{ method: string; url: string; token: string | undefined; body: string }> = [];
  beforeEach(async () => {
    seen.length = 0;
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", token: req.headers["private-token"] as string | undefined, body });
        const m = /^\/hop\/(\d+)$/.exec(req.url ?? "");
        if (m) {
          res.writeHead(Number(m[1]), { location: "/final" });
          res.end();
        } else if (req.url === "/loop") {
          res.writeHead(302, { location: "/loop" });
          res.end();
        } else {
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"ok":true}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it("knows exactly fetch's redirect statuses", () => {
    expect([...REDIRECT_STATUSES].sort()).toEqual(STATUSES);
  });

  for (const status of STATUSES) {
    it(`follows a same-origin HTTP ${status} for GET, with the token, to the same server`, async () => {
      const res = await fetchNoCrossOriginRedirect(`${base}/hop/${status}`, { headers: { "PRIVATE-TOKEN": "t0ken-value" } });
      expect(res.status).toBe(200);
      expect(seen.map((s) => [s.method, s.url, s.token])).toEqual([
        ["GET", `/hop/${status}`, "t0ken-value"],
        ["GET", "/final", "t0ken-value"],
      ]);
    });

    it(`refuses a same-origin HTTP ${status} for PUT, without sending the body again`, async () => {
      const call = fetchNoCrossOriginRedirect(`${base}/hop/${status}`, {
        method: "PUT",
        body: '{"password":"s3cret-robot"}',
        headers: { "PRIVATE-TOKEN": "t0ken-value" },
      });
      await expect(call).rejects.toMatchObject({ code: "HTTP_REDIRECT_NOT_FOLLOWED" });
      expect(seen).toHaveLength(1);
    });
  }

  it("gives up on a redirect loop with a coded error", async () => {
    await expect(fetchNoCrossOriginRedirect(`${base}/loop`, {})).rejects.toMatchObject({ code: "HTTP_REDIRECT_NOT_FOLLOWED" });
    expect(seen.length).toBeLessThanOrEqual(MAX_REDIRECTS + 1);
  });

  it("names HTTP -> HTTPS as the likely cause when only the scheme changes", async () => {
    const fake = async () => new Response(null, { status: 301, headers: { location: "https://gitlab.example.com/api/v4/x" } });
    await expect(fetchNoCrossOriginRedirect("http://gitlab.example.com/api/v4/x", {}, fake)).rejects.toMatchObject({
      code: "HTTP_CROSS_ORIGIN_REDIRECT",
      fix: expect.stringContaining("http:// to https://"),
    });
  });
});
