import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DIGEST,
  GITLAB_TOKEN,
  HARBOR_PASSWORD,
  HARBOR_USER,
  OTHER_DIGEST,
  artifact,
  fakeGitlab,
  fakeHarbor,
  gitlabEnv,
  overview,
  scanArgs,
  scanEnv,
  versionsArgs,
  vulnReport,
} from "./fakes.js";
import { type Req, type Srv, json, leaks, noCrash, runCli, startServer, trackServers } from "./helpers.js";

const track = trackServers();

const SECRET_HEADERS = ["private-token", "job-token", "authorization", "proxy-authorization", "cookie"];
function credentialsAt(evil: Srv, secrets: string[]): string[] {
  const found: string[] = [];
  for (const r of evil.requests) {
    for (const h of SECRET_HEADERS) if (r.headers[h]) found.push(`${r.method} ${r.url} carried ${h}: ${String(r.headers[h]).slice(0, 30)}`);
    const all = JSON.stringify(r.headers) + r.url;
    for (const s of secrets) if (leaks(all, s).length) found.push(`${r.method} ${r.url} carried a secret form`);
    if (r.body.length) found.push(`${r.method} ${r.url} carried a body of ${r.body.length} bytes`);
  }
  return found;
}
const redirectTo = (evil: Srv) => (status: number) => (req: Req, res: import("node:http").ServerResponse) => {
  res.writeHead(status, { location: `${evil.url}${req.url}`, "content-type": "application/json" });
  res.end("{}");
};

describe("Origins: redirects to another port", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`versions does not send PRIVATE-TOKEN to another origin on a ${status}`, async () => {
      const evil = await track(fakeGitlab());
      const g = await track(fakeGitlab({ releases: redirectTo(evil)(status) }));
      const r = await runCli(versionsArgs(), gitlabEnv(g));
      expect(noCrash(r)).toEqual([]);
      expect(credentialsAt(evil, [GITLAB_TOKEN])).toEqual([]);
    });

    it(`scan does not send Authorization to another origin on a ${status}`, async () => {
      const evil = await track(fakeHarbor());
      const h = await track(fakeHarbor({ artifact: redirectTo(evil)(status) }));
      const r = await runCli(scanArgs(h), scanEnv(h));
      expect(noCrash(r)).toEqual([]);
      expect(credentialsAt(evil, [HARBOR_PASSWORD, `${HARBOR_USER}:${HARBOR_PASSWORD}`])).toEqual([]);
      expect(r.code).not.toBe(0);
    });

    it(`lint does not send PRIVATE-TOKEN or the YAML body to another origin on a ${status}`, async () => {
      const evil = await track(fakeGitlab());
      const g = await track(fakeGitlab({ lint: redirectTo(evil)(status) }));
      const dir = mkdtempSync(path.join(os.tmpdir(), "rt-lint-"));
      const f = path.join(dir, "a.yml");
      writeFileSync(f, "job:\n  script: [echo SECRET-YAML-BODY]\n");
      const r = await runCli(
        ["lint", "--project", "g/app", "--no-ci-file", "--file", f, "--no-components", "--retries", "0", "--timeout", "2000"],
        gitlabEnv(g),
      );
      expect(noCrash(r)).toEqual([]);
      expect(credentialsAt(evil, [GITLAB_TOKEN])).toEqual([]);
      expect(evil.requests.some((q) => q.body.includes("SECRET-YAML-BODY"))).toBe(false);
    });
  }

  it("scan does not follow a redirect from the vulnerabilities call to another origin with Authorization", async () => {
    const evil = await track(fakeHarbor());
    const h = await track(fakeHarbor({ vulns: redirectTo(evil)(307) }));
    const r = await runCli(scanArgs(h), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(credentialsAt(evil, [HARBOR_PASSWORD])).toEqual([]);
  });

  it("setup sends neither admin credentials nor GITLAB_TOKEN to another origin on a 307", async () => {
    const evil = await track(startServer((req, res) => json(res, 200, {})));
    const h = await track(startServer(redirectTo(evil)(307)));
    const g = await track(startServer(redirectTo(evil)(307)));
    const r = await runCli(
      ["setup", "--harbor-url", h.url, "--gitlab-url", g.url, "--harbor-project", "my-project", "--project", "g/app", "--retries", "0", "--timeout", "2000"],
      { GITLAB_TOKEN, HARBOR_ADMIN_USER: "admin", HARBOR_ADMIN_PASSWORD: "Adm1n/Secret?#" },
    );
    expect(noCrash(r)).toEqual([]);
    expect(credentialsAt(evil, [GITLAB_TOKEN, "Adm1n/Secret?#"])).toEqual([]);
  });

  it("versions does not follow a redirect to another scheme-host with the token (absolute URL with userinfo)", async () => {
    const evil = await track(fakeGitlab());
    const g = await track(
      fakeGitlab({
        releases: (req, res) => {
          res.writeHead(302, { location: `http://u:p@127.0.0.1:${evil.port}${req.url}` });
          res.end();
        },
      }),
    );
    const r = await runCli(versionsArgs(), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(credentialsAt(evil, [GITLAB_TOKEN])).toEqual([]);
  });
});

describe("Identity: right-shaped answers naming something else", () => {
  it("scan does not pass when Harbor answers with an artifact of another digest", async () => {
    const h = await track(
      fakeHarbor({
        artifact: (_q, res) => json(res, 200, artifact(overview({ severity: "None" }, { total: 0, fixable: 0, summary: {} }), { digest: OTHER_DIGEST })),
        vulns: (_q, res) => json(res, 200, vulnReport([])),
      }),
    );
    const r = await runCli(scanArgs(h), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });

  it("scan does not pass when the overview's report is for another (unrequested) report type only", async () => {
    const h = await track(
      fakeHarbor({
        artifact: (_q, res) =>
          json(
            res,
            200,
            artifact({
              "application/vnd.other.report; version=9": { scan_status: "Success", severity: "None", summary: { total: 0, fixable: 0, summary: {} } },
            }),
          ),
        vulns: (_q, res) => json(res, 200, vulnReport([])),
      }),
    );
    const r = await runCli(scanArgs(h), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });

  it("setup writes nothing when Harbor's project answer names another project", async () => {
    const h = await track(
      startServer((req, res) => {
        if (req.method === "GET" && /\/api\/v2\.0\/projects\/[^/?]+(\?|$)/.test(req.url))
          return json(res, 200, { project_id: 99, name: "other-project", metadata: { public: "false" }, registry_id: null, owner_name: "admin" });
        if (req.method === "HEAD") {
          res.writeHead(200);
          return res.end();
        }
        if (req.url.startsWith("/api/v2.0/robots") && req.method === "GET") return json(res, 200, [], { "x-total-count": "0" });
        if (req.url.startsWith("/api/v2.0/robots") && req.method === "POST")
          return json(res, 201, {
            id: 5,
            name: "robot$other-project+gitlab-ci",
            secret: "RobotSecret123",
            expires_at: 1893456000,
            creation_time: "2025-01-01T00:00:00Z",
          });
        if (req.url.includes("/systeminfo")) return json(res, 200, { harbor_version: "v2.11.0" });
        if (req.url.includes("/configurations")) return json(res, 200, {});
        json(res, 200, []);
      }),
    );
    const g = await track(
      startServer((req, res) => {
        if (req.url.includes("/integrations/harbor") && req.method === "GET") return json(res, 404, { message: "404 Not found" });
        if (req.url.match(/\/api\/v4\/projects\/[^/]+$/)) return json(res, 200, { id: 3, path_with_namespace: "g/app" });
        if (req.method === "PUT") return json(res, 200, { id: 1, active: true, properties: {} });
        json(res, 200, {});
      }),
    );
    const r = await runCli(
      ["setup", "--harbor-url", h.url, "--gitlab-url", g.url, "--harbor-project", "my-project", "--project", "g/app", "--retries", "0", "--timeout", "2000"],
      { GITLAB_TOKEN, HARBOR_ADMIN_USER: "admin", HARBOR_ADMIN_PASSWORD: "AdminPw123" },
    );
    expect(noCrash(r)).toEqual([]);
    const writes = [...h.requests, ...g.requests].filter((q) => !["GET", "HEAD"].includes(q.method)).map((q) => `${q.method} ${q.url}`);
    expect(writes).toEqual([]);
  });

  it("versions does not present a release whose commit names another tag as the latest (tag_name mismatch with name)", async () => {
    const g = await track(
      fakeGitlab({ releases: (_q, res) => json(res, 200, [{ ...RELEASE_X, tag_name: "9.9.9", name: "1.0.0" }], { "x-total-pages": "1" }) }),
    );
    const r = await runCli(versionsArgs(["--json"]), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    // the tag is the identity: a tree read must be for the tag, never for the name
    const treeRefs = g.requests.filter((q) => q.url.includes("/repository/tree")).map((q) => new URL(q.url, g.url).searchParams.get("ref"));
    expect(treeRefs.every((ref) => ref === "9.9.9")).toBe(true);
  });
});

const RELEASE_X = {
  tag_name: "1.0.0",
  name: "1.0.0",
  released_at: "2025-01-01T00:00:00Z",
  created_at: "2025-01-01T00:00:00Z",
  upcoming_release: false,
  commit: { id: "a".repeat(40) },
};
void DIGEST;
