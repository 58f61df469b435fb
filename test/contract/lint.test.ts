import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintMain } from "../../scripts/commands/lint.ts";
import { renderedReadmeExamples } from "../../scripts/lib/ci/component-documents.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { errorCodeOf, runCommand } from "./fakes/run.ts";

const TOKEN = "glpat-maintainer-token-0001";
const VALID = "stages: [build]\nbuild:\n  stage: build\n  script: [echo hi]\n";
const INVALID = "stages: [build]\nbuild:\n  stage: build\n  image: alpine\n";

describe("contract: GitLab CI Lint API (harbor-ci lint)", () => {
  let gitlab: FakeGitlab;
  let dir: string;
  beforeEach(async () => {
    gitlab = new FakeGitlab();
    await gitlab.start();
    dir = mkdtempSync(join(tmpdir(), "hc-lint-"));
  });
  afterEach(() => gitlab.stop());

  const env = (over: Record<string, string | undefined> = {}) => ({ GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN, ...over });
  const lint = (argv: string[], e = env(), extra?: Parameters<typeof lintMain>[2]) =>
    runCommand((a, io) => lintMain(a, io, extra), ["--project", "my-group/my-app", "--retry-delay", "1", ...argv], e, dir);

  it("sends .gitlab-ci.yml as {content} to POST /projects/:id/ci/lint and reports it valid (exit 0)", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    const r = await lint([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(gitlab.requests).toHaveLength(1);
    const req = gitlab.requests[0]!;
    expect(req).toMatchObject({ method: "POST", rawPath: "/api/v4/projects/my-group%2Fmy-app/ci/lint", body: { content: VALID } });
    expect(req.headers["private-token"]).toBe(TOKEN);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(r.stdout).toContain("valid    .gitlab-ci.yml");
    expect(r.stdout).toContain("GitLab says all 1 document(s) are valid");
  });

  it("reports GitLab's errors and exits 1 when it says invalid", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), INVALID);
    const r = await lint([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("INVALID  .gitlab-ci.yml");
    expect(r.stdout).toContain("  error:   jobs:build config should implement the script:, run:, or trigger: keyword");
    expect(r.stdout).toContain("GitLab says 1 of 1 document(s) are invalid");
  });

  it("reports GitLab's warnings; warnings alone do not fail", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), "job:\n  script: [x]\n  rules:\n    - when: always\n");
    const r = await lint([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ {2}warning: jobs:job may allow multiple pipelines to run/);
  });

  it("lints --file documents and caller-provided (rendered) documents, one POST each, in order", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    writeFileSync(join(dir, "rendered.yml"), INVALID);
    const r = await lint(["--file", "rendered.yml"], env(), () => [{ label: "component build-push (example)", yaml: VALID }]);
    expect(r.code).toBe(1);
    expect(gitlab.requests.map((q) => (q.body as { content: string }).content)).toEqual([VALID, INVALID, VALID]);
    expect(r.stdout.split("\n").filter((l) => /^(valid|INVALID)/.test(l))).toEqual([
      "valid    .gitlab-ci.yml",
      "INVALID  rendered.yml",
      "valid    component build-push (example)",
    ]);
  });

  it("sends every component rendered with each README example, with the stages it uses", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    const rendered = renderedReadmeExamples();
    expect(rendered.map((d) => d.label.split(" ")[0])).toEqual(expect.arrayContaining(["build-push", "pull-run", "service-db"]));
    const r = await lint([], env(), renderedReadmeExamples);
    expect(gitlab.requests).toHaveLength(1 + rendered.length);
    for (const [i, doc] of rendered.entries()) {
      const content = (gitlab.requests[i + 1]!.body as { content: string }).content;
      expect(content).toBe(doc.yaml);
      const { stages, ...jobs } = parse(content) as { stages: string[] } & Record<string, { stage?: string }>;
      expect(Object.keys(jobs).length).toBeGreaterThan(0);
      for (const job of Object.values(jobs)) expect(stages).toContain(job.stage);
    }
    expect(r.stdout).toContain(`GitLab says all ${1 + rendered.length} document(s) are valid`);
  });

  it("--simulate sends dry_run: true and --ref", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    await lint(["--simulate", "--ref", "main"]);
    expect(gitlab.requests[0]!.body).toEqual({ content: VALID, dry_run: true, ref: "main" });
  });

  it("no token: GITLAB_TOKEN_MISSING, exit 2, nothing sent", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    const r = await lint([], env({ GITLAB_TOKEN: undefined }));
    expect(r.code).toBe(2);
    expect(errorCodeOf(r)).toBe("GITLAB_TOKEN_MISSING");
    expect(r.stderr).toContain("export GITLAB_TOKEN=");
    expect(gitlab.requests).toEqual([]);
  });

  it("a read_api token: GITLAB_INSUFFICIENT_SCOPE (the endpoint is a POST)", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    const r = await lint([], env({ GITLAB_TOKEN: "glpat-readapi-token-000002" }));
    expect(errorCodeOf(r)).toBe("GITLAB_INSUFFICIENT_SCOPE");
  });

  it("a Reporter: GITLAB_FORBIDDEN naming the Developer role", async () => {
    gitlab.tokens.set("glpat-reporter-token-00004", { scopes: ["api"], role: "reporter" });
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    const r = await lint([], env({ GITLAB_TOKEN: "glpat-reporter-token-00004" }));
    expect(errorCodeOf(r)).toBe("GITLAB_FORBIDDEN");
    expect(r.stderr).toContain("Developer");
  });

  it("a 503 is retried", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    gitlab.inject(() => true, { status: 503, body: { message: "503" } }, 1);
    const r = await lint([]);
    expect(r.code).toBe(0);
    expect(gitlab.requests).toHaveLength(2);
    expect(r.stderr).toContain("retry: attempt 1 to lint .gitlab-ci.yml");
  });

  it("a missing pipeline file is a usage error; --no-ci-file without --file has nothing to lint", async () => {
    const missing = await lint([]);
    expect(missing.code).toBe(2);
    expect(errorCodeOf(missing)).toBe("LINT_FILE_UNREADABLE");
    expect(errorCodeOf(await lint(["--no-ci-file"]))).toBe("LINT_NOTHING");
    expect(gitlab.requests).toEqual([]);
  });

  it("the project defaults to $CI_PROJECT_ID", async () => {
    writeFileSync(join(dir, ".gitlab-ci.yml"), VALID);
    const r = await runCommand(lintMain, [], env({ CI_PROJECT_ID: "42" }), dir);
    expect(r.code).toBe(0);
    expect(gitlab.requests[0]!.rawPath).toBe("/api/v4/projects/42/ci/lint");
  });
});
