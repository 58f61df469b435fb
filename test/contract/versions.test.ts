import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { versionsMain } from "../../scripts/commands/versions.ts";
import { FakeGitlab, type FakeProject } from "./fakes/gitlab.ts";
import { errorCodeOf, runCommand } from "./fakes/run.ts";

const TOKEN = "glpat-maintainer-token-0001";
const LIB = "my-group/harbor-ci-components";

function schema(properties: Record<string, unknown>, required: string[] = []) {
  return JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties, required, additionalProperties: false });
}

/** Three releases: build-push evolves, pull-run appears in 1.1.0, old-scan disappears in 2.0.0. */
function library(): FakeProject {
  const v100 = new Map([
    ["templates/build-push/template.yml", "spec: {}\n---\n"],
    [
      "templates/build-push/inputs.schema.json",
      schema({ image_name: { type: "string" }, stage: { type: "string", default: "build" }, push_latest: { type: "boolean", default: true } }, ["image_name"]),
    ],
    ["templates/old-scan.yml", "spec: {}\n---\n"],
  ]);
  const v110 = new Map([
    ...v100,
    ["templates/pull-run/template.yml", "spec: {}\n---\n"],
    ["templates/pull-run/inputs.schema.json", schema({ image: { type: "string" } }, ["image"])],
  ]);
  const v200 = new Map([
    ["templates/build-push/template.yml", "spec: {}\n---\n"],
    [
      "templates/build-push/inputs.schema.json",
      schema(
        {
          image_name: { type: "string" },
          stage: { type: "string", default: "package" },
          platforms: { type: "array", default: ["linux/amd64"] },
          context: { type: "string" },
          latest: { type: "string", enum: ["default-branch", "always"], default: "default-branch" },
        },
        ["image_name", "context"],
      ),
    ],
    ["templates/pull-run/template.yml", "spec: {}\n---\n"],
    ["templates/pull-run/inputs.schema.json", schema({ image: { type: "string" } }, ["image"])],
    ["README.md", "# lib\n"],
  ]);
  return {
    id: 77,
    path: LIB,
    files: new Map([
      ["1.0.0", v100],
      ["1.1.0", v110],
      ["2.0.0", v200],
      ["aaaaaaa1111111", v110],
    ]),
    releases: [
      { tag_name: "1.0.0", released_at: "2024-01-10T00:00:00Z", commit: { id: "aaaaaaa0000000" } },
      { tag_name: "1.1.0", released_at: "2024-02-10T00:00:00Z", commit: { id: "aaaaaaa1111111" } },
      { tag_name: "2.0.0", released_at: "2024-03-10T00:00:00Z", commit: { id: "aaaaaaa2222222" } },
    ],
  };
}

describe("contract: GitLab releases and repository API (harbor-ci versions)", () => {
  let gitlab: FakeGitlab;
  beforeEach(async () => {
    gitlab = new FakeGitlab();
    gitlab.projects.push(library());
    await gitlab.start();
  });
  afterEach(() => gitlab.stop());

  const env = (over: Record<string, string | undefined> = {}) => ({ GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN, ...over });
  const versions = (argv: string[], e = env(), cwd?: string) => runCommand(versionsMain, ["--project", LIB, "--retry-delay", "1", ...argv], e, cwd);

  it("lists releases newest first with the components of each, from the tree at each tag", async () => {
    const r = await versions([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/latest: 2\.0\.0/);
    const lines = r.stdout.split("\n");
    expect(lines[1]).toMatch(/^ {2}2\.0\.0\s+2024-03-10 {2}build-push, pull-run$/);
    expect(lines[2]).toMatch(/^ {2}1\.1\.0\s+2024-02-10 {2}build-push, old-scan, pull-run$/);
    expect(lines[3]).toMatch(/^ {2}1\.0\.0\s+2024-01-10 {2}build-push, old-scan$/);

    const releases = gitlab.requests[0]!;
    expect(releases).toMatchObject({ method: "GET", rawPath: "/api/v4/projects/my-group%2Fharbor-ci-components/releases", query: { per_page: "100" } });
    expect(releases.headers["private-token"]).toBe(TOKEN);
    const trees = gitlab.requests.filter((q) => q.rawPath.endsWith("/repository/tree"));
    expect(trees.map((q) => q.query)).toEqual(["2.0.0", "1.1.0", "1.0.0"].map((ref) => ({ path: "templates", ref, recursive: "true", per_page: "100" })));
  });

  it("works anonymously (no GITLAB_TOKEN) for a public project", async () => {
    const r = await versions(["--limit", "1"], env({ GITLAB_TOKEN: undefined }));
    expect(r.code).toBe(0);
    expect(gitlab.requests[0]!.headers["private-token"]).toBeUndefined();
    expect(r.stdout).toContain("... 2 older release(s) (--limit)");
  });

  it("--from/--to: input changes per component, read from inputs.schema.json at each tag", async () => {
    const r = await versions(["--from", "1.1.0", "--to", "2.0.0"]);
    expect(r.code).toBe(0);
    const raws = gitlab.requests.filter((q) => q.rawPath.endsWith("/raw"));
    expect(raws.map((q) => `${q.rawPath}?ref=${q.query.ref}`)).toEqual([
      "/api/v4/projects/my-group%2Fharbor-ci-components/repository/files/templates%2Fbuild-push%2Finputs.schema.json/raw?ref=1.1.0",
      "/api/v4/projects/my-group%2Fharbor-ci-components/repository/files/templates%2Fpull-run%2Finputs.schema.json/raw?ref=1.1.0",
      "/api/v4/projects/my-group%2Fharbor-ci-components/repository/files/templates%2Fbuild-push%2Finputs.schema.json/raw?ref=2.0.0",
      "/api/v4/projects/my-group%2Fharbor-ci-components/repository/files/templates%2Fpull-run%2Finputs.schema.json/raw?ref=2.0.0",
    ]);
    expect(r.stdout).toContain("Input changes from 1.1.0 to 2.0.0:");
    expect(r.stdout).toContain("  build-push (changed)");
    expect(r.stdout).toContain("    + context (string, required)  [breaking]");
    expect(r.stdout).toContain('    + latest (string, default "default-branch")');
    expect(r.stdout).toContain('    + platforms (array, default ["linux/amd64"])');
    expect(r.stdout).toContain("    - push_latest (boolean, default true)  [breaking]");
    expect(r.stdout).toContain('    ~ stage: default "build" -> "package"');
    expect(r.stdout).toContain("  pull-run: no input changes");
    expect(r.stdout).toContain("  old-scan: no inputs.schema.json published; inputs not compared");
    expect(r.stdout).toContain("2 change(s) can break a pipeline that worked with 1.1.0");
  });

  it("--from alone compares with the latest release; --json gives the same data", async () => {
    const r = await versions(["--from", "1.0.0", "--json"]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { latest: string; diff: { to: string; components: Array<{ component: string; status: string }> } };
    expect(data.latest).toBe("2.0.0");
    expect(data.diff.to).toBe("2.0.0");
    expect(data.diff.components.map((c) => [c.component, c.status])).toEqual([
      ["build-push", "changed"],
      ["pull-run", "added"],
    ]);
  });

  it("an unknown version: GITLAB_REF_NOT_FOUND (tree 404, commit 404)", async () => {
    const r = await versions(["--from", "9.9.9"]);
    expect(r.code).toBe(1);
    expect(errorCodeOf(r)).toBe("GITLAB_REF_NOT_FOUND");
    expect(gitlab.requests.some((q) => q.rawPath.endsWith("/repository/commits/9.9.9"))).toBe(true);
  });

  it("--pipeline: pins behind the latest release, partial versions resolved like GitLab, other projects skipped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hc-versions-"));
    writeFileSync(
      join(dir, ".gitlab-ci.yml"),
      [
        "include:",
        `  - component: $CI_SERVER_FQDN/${LIB}/build-push@1.1.0`,
        "    inputs: { image_name: app }",
        `  - component: gitlab.example.com/${LIB}/pull-run@~latest`,
        `  - component: $CI_SERVER_FQDN/${LIB}/pull-run@1`,
        `  - component: $CI_SERVER_FQDN/${LIB}/pull-run@aaaaaaa1111111`,
        "  - component: $CI_SERVER_FQDN/other/lib/thing@1.0.0",
        "  - local: ci/extra.yml",
        "",
      ].join("\n"),
    );
    const r = await versions(["--pipeline", ".gitlab-ci.yml"], env(), dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(".gitlab-ci.yml:2  build-push@1.1.0  behind  latest is 2.0.0");
    expect(r.stdout).toContain(".gitlab-ci.yml:4  pull-run@~latest  latest  always the latest release");
    expect(r.stdout).toContain(".gitlab-ci.yml:5  pull-run@1  behind  resolves to 1.1.0; latest is 2.0.0");
    expect(r.stdout).toContain(".gitlab-ci.yml:6  pull-run@aaaaaaa1111111  behind  commit of release 1.1.0; latest is 2.0.0");
    expect(r.stdout).toContain("1 component(s) of other projects not checked");
    expect(r.stdout).toContain("3 pin(s) behind the latest release");
    // No listing in this mode: no tree calls.
    expect(gitlab.requests.some((q) => q.rawPath.endsWith("/repository/tree"))).toBe(false);

    const strict = await versions(["--pipeline", ".gitlab-ci.yml", "--fail-if-behind"], env(), dir);
    expect(strict.code).toBe(1);
  });

  it("--pipeline with a numeric --project resolves the project's path first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hc-versions-"));
    writeFileSync(join(dir, "ci.yml"), `include:\n  - component: $CI_SERVER_FQDN/${LIB}/build-push@2.0.0\n`);
    const r = await runCommand(versionsMain, ["--project", "77", "--pipeline", "ci.yml", "--fail-if-behind"], env(), dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ci.yml:2  build-push@2.0.0  latest  the latest release");
    expect(gitlab.requests.some((q) => q.rawPath === "/api/v4/projects/77")).toBe(true);
  });

  it("usage errors: no project, --to without --from, unreadable pipeline (exit 2, no request)", async () => {
    const noProject = await runCommand(versionsMain, [], env());
    expect(noProject.code).toBe(2);
    expect(errorCodeOf(noProject)).toBe("CATALOG_PROJECT_MISSING");
    expect(errorCodeOf(await versions(["--to", "2.0.0"]))).toBe("OPTION_INVALID");
    expect(errorCodeOf(await versions(["--pipeline", "/nonexistent/.gitlab-ci.yml"]))).toBe("PIPELINE_UNREADABLE");
    expect(gitlab.requests).toEqual([]);
  });

  it("a missing project is GITLAB_NOT_FOUND", async () => {
    const r = await runCommand(versionsMain, ["--project", "nope/nothing"], env());
    expect(errorCodeOf(r)).toBe("GITLAB_NOT_FOUND");
  });

  it("the project defaults to $HARBOR_CI_CATALOG_PROJECT, then $CI_PROJECT_PATH", async () => {
    const r = await runCommand(versionsMain, ["--limit", "1"], env({ CI_PROJECT_PATH: LIB }));
    expect(r.code).toBe(0);
    expect(gitlab.requests[0]!.rawPath).toBe("/api/v4/projects/my-group%2Fharbor-ci-components/releases");
  });
});
