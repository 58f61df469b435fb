import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadGitlabSchema } from "../../scripts/lib/ci/schema.ts";
import { gitlabSchemaPath, listComponents, projectRoot } from "../../scripts/lib/project.ts";
import { parseComponentReference } from "../../scripts/lib/ci/component-reference.ts";
import { renderComponent } from "../../scripts/lib/ci/render.ts";
import { loadSchemas, validatePipeline } from "../../scripts/lib/validate/pipeline.ts";

type Job = Record<string, unknown> & {
  stage?: string;
  rules?: Array<Record<string, unknown>>;
  script?: string[];
  release?: Record<string, unknown>;
  needs?: unknown[];
};

const file = join(projectRoot, ".gitlab-ci.yml");
const pipeline = parse(readFileSync(file, "utf8")) as Record<string, unknown> & {
  stages: string[];
  include?: Array<{ component: string; inputs?: Record<string, unknown> }>;
};
const includes = pipeline.include ?? [];

/** The pipeline as GitLab sees it after including the components from this commit. */
function merged(): Record<string, unknown> {
  const out: Record<string, unknown> = { ...pipeline };
  delete out["include"];
  for (const inc of includes) {
    const ref = parseComponentReference(inc.component)!;
    Object.assign(out, renderComponent(ref.name, inc.inputs ?? {}).body);
  }
  return out;
}

describe("the project's .gitlab-ci.yml", () => {
  it("validates against GitLab's JSON schema, with the components merged in", () => {
    const validate = loadGitlabSchema(gitlabSchemaPath().path);
    expect(validate, "GitLab's schema (vendor/gitlab/ci.schema.json or GITLAB_CI_SCHEMA)").toBeDefined();
    expect(validate!(pipeline), JSON.stringify(validate!.errors?.slice(0, 3))).toBe(true);
    expect(validate!(merged()), JSON.stringify(validate!.errors?.slice(0, 3))).toBe(true);
  });

  it("puts every job in a declared stage", () => {
    for (const [name, job] of Object.entries(merged())) {
      if (name.startsWith(".") || !job || typeof job !== "object" || Array.isArray(job) || !("script" in job || "extends" in job)) continue;
      const stage = (job as Job).stage ?? "test";
      expect(pipeline.stages, `${name} -> ${stage}`).toContain(stage);
    }
  });

  it("self-tests every component from this very commit, the way the README tells users to include them", () => {
    const names = includes.map((i) => parseComponentReference(i.component)?.name);
    expect(new Set(names)).toEqual(new Set(listComponents().map((c) => c.name)));
    for (const inc of includes) {
      expect(inc.component).toMatch(/^\$CI_SERVER_FQDN\/\$CI_PROJECT_PATH\/[\w-]+@\$CI_COMMIT_SHA$/);
    }
    // The same offline check users run: inputs valid, names known, versions pinned.
    const r = validatePipeline({ file, projectDir: projectRoot, schemas: loadSchemas(join(projectRoot, "templates")), library: "$CI_PROJECT_PATH" });
    expect(r.diagnostics).toEqual([]);
    expect(r.includes).toHaveLength(includes.length);
  });

  it("publishes a release with the release keyword on tags, notes from CHANGELOG.md", () => {
    const jobs = pipeline as Record<string, Job>;
    const publish = Object.values(jobs).find((j) => j && typeof j === "object" && "release" in j)!;
    expect(publish.release).toMatchObject({ tag_name: "$CI_COMMIT_TAG", description: "release-notes.md" });
    expect(publish.rules).toEqual([{ if: "$CI_COMMIT_TAG" }]);
    const notes = jobs["release-notes"]!;
    expect(notes.script).toContain('npx harbor-ci release-notes "$CI_COMMIT_TAG" > release-notes.md');
    expect(publish.needs).toContain("release-notes");
  });

  it("publishes the npm package from the same tag, with the script the package test runs, before the Catalog release", () => {
    const jobs = pipeline as Record<string, Job>;
    const npm = jobs["publish-npm"]!;
    expect(npm.rules).toEqual([{ if: "$CI_COMMIT_TAG" }]);
    expect(npm.script).toEqual(["node --import tsx scripts/release/publish-npm.ts"]);
    expect(npm.needs).toEqual(expect.arrayContaining(["check", "package-tests", "integration-tests"]));
    const publish = Object.values(jobs).find((j) => j && typeof j === "object" && "release" in j)!;
    expect(publish.needs).toContain("publish-npm");
  });

  it("runs typecheck, the check, unit and integration tests", () => {
    const scripts = Object.values(pipeline as Record<string, Job>).flatMap((j) => (j && typeof j === "object" && Array.isArray(j.script) ? j.script : []));
    for (const command of ["npm run typecheck", "npm run check", "--project unit", "--project package", "--project integration", "npx harbor-ci lint"]) {
      expect(
        scripts.some((s) => s.includes(command)),
        command,
      ).toBe(true);
    }
  });
});
