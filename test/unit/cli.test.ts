import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fencedBlocks, readmeExamples } from "../../scripts/lib/ci/readme-examples.ts";
import { plan } from "../../scripts/lib/toolchain/toolchain.ts";
import { listComponents, projectRoot } from "../../scripts/lib/project.ts";
import { renderComponent } from "../../scripts/lib/ci/render.ts";
import { loadGitlabSchema } from "../../scripts/lib/ci/schema.ts";
import { gitlabSchemaPath } from "../../scripts/lib/project.ts";

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, "bin/harbor-ci.js"), ...args], { encoding: "utf8", cwd: projectRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "hci-check-"));
  temps.push(dir);
  cpSync(join(projectRoot, "templates"), join(dir, "templates"), { recursive: true });
  cpSync(join(projectRoot, "README.md"), join(dir, "README.md"));
  return dir;
}

describe("harbor-ci --version", () => {
  it("prints the package's version", () => {
    const r = cli("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")).version);
  });
});

describe("harbor-ci render", () => {
  it("exits 1 with GitLab's message when a required input is missing", () => {
    const r = cli("render", "build-push");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("`image_name` input: required value has not been provided");
    expect(r.stdout).toBe("");
  });

  it("names every unknown input", () => {
    const r = cli("render", "build-push", "--input", "image_name=app", "--input", "imagename=x", "--input", "tag=y");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown input arguments: imagename, tag");
  });

  it("prints the jobs GitLab would merge, with inputs read as YAML values", () => {
    const r = cli("render", "build-push", "--input", "image_name=my-app", "--input", "job_name=build app");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const jobs = parse(r.stdout) as Record<string, { stage: string }>;
    expect(Object.keys(jobs)).toEqual(["build app"]);
    expect(jobs["build app"]!.stage).toBe("build");
  });

  it("reads inputs from a file, with --input winning", () => {
    const dir = copyProject();
    const file = join(dir, "inputs.yml");
    writeFileSync(file, "image_name: from-file\njob_name: from-file\n");
    const r = cli("render", "build-push", "--inputs-file", file, "--input", "job_name=from-flag");
    expect(r.code).toBe(0);
    expect(Object.keys(parse(r.stdout) as object)).toEqual(["from-flag"]);
  });

  it("rejects an unknown component and lists the known ones", () => {
    const r = cli("render", "build-pushh");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no component named `build-pushh`");
    expect(r.stderr).toContain("build-push");
  });
});

describe("harbor-ci check", () => {
  it("passes on this project", () => {
    const r = cli("check");
    expect(r.stdout + r.stderr).toContain("check passed");
    expect(r.code).toBe(0);
  });

  it("fails naming every stale file after a default changes in the TypeScript type, until generate runs", () => {
    const dir = copyProject();
    const inputs = join(dir, "templates/build-push/inputs.ts");
    const before = readFileSync(inputs, "utf8");
    const after = before.replace("@default build\n", "@default compile\n");
    expect(after).not.toBe(before);
    writeFileSync(inputs, after);

    const stale = cli("check", "--root", dir);
    expect(stale.code).toBe(1);
    for (const f of ["templates/build-push/inputs.schema.json", "templates/build-push/template.yml", "README.md"]) {
      expect(stale.stdout).toContain(`stale: ${relative(projectRoot, join(dir, f))} (fix: npm run generate)`);
    }
    expect(stale.stdout).toContain("+      default: compile");
    expect(stale.stdout).toContain("npm run generate");

    expect(cli("generate", "--root", dir).code).toBe(0);
    expect(cli("check", "--root", dir).code).toBe(0);
  });

  it("fails with the rule's code, file and line when a template breaks a rule", () => {
    const dir = copyProject();
    const template = join(dir, "templates/pull-run/template.yml");
    writeFileSync(template, readFileSync(template, "utf8") + "stages: [test]\n");
    const r = cli("check", "--root", dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/templates\/pull-run\/template\.yml:\d+:1: error GLOBAL_KEYWORD/);
  });
});

describe("README", () => {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const components = listComponents().map((c) => c.name);
  const { examples, diagnostics } = readmeExamples(readme, "README.md", components);
  const validate = loadGitlabSchema(gitlabSchemaPath().path);

  it("has an example for every component and no broken example", () => {
    expect(diagnostics).toEqual([]);
    for (const c of components) expect(examples.get(c)?.length, c).toBeGreaterThan(0);
  });

  for (const [component, list] of examples) {
    for (const ex of list) {
      it(`${component}: ${ex.label} renders and validates against GitLab's schema`, () => {
        const { body } = renderComponent(component, ex.inputs);
        expect(validate, "GitLab's schema (vendor/gitlab/ci.schema.json or GITLAB_CI_SCHEMA)").toBeDefined();
        expect(validate!(body), JSON.stringify(validate!.errors?.slice(0, 3))).toBe(true);
      });
    }
  }

  it("documents the two commands", () => {
    const shell = fencedBlocks(readme)
      .filter((b) => b.lang === "sh" || b.lang === "bash")
      .map((b) => b.text)
      .join("\n");
    expect(shell).toContain("npm start");
    expect(shell).toContain("npm test");
  });

  it("keeps generated files in step with the types (the check's plan is clean)", () => {
    const p = plan();
    expect(p.diagnostics).toEqual([]);
  });
});
