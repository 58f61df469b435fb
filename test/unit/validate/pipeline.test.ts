import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../../scripts/lib/project.ts";
import { loadSchemas, pinning, validatePipeline } from "../../../scripts/lib/validate/pipeline.ts";
import { nearest } from "../../../scripts/lib/cli/nearest.ts";

// Frozen copies of published schemas, so that these goldens do not move with the components.
const fixtures = join(projectRoot, "test/fixtures/validate");
const schemas = loadSchemas(join(fixtures, "schemas"));

function check(name: string) {
  const dir = join(fixtures, name);
  const r = validatePipeline({ file: join(dir, ".gitlab-ci.yml"), projectDir: dir, schemas, library: "harbor-ci-components" });
  return { ...r, rows: r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`) };
}

function cli(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, "bin/harbor-ci.js"), "validate", ...args, "--schemas", join(fixtures, "schemas")], {
    cwd: join(fixtures, dir),
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("harbor-ci validate", () => {
  it("accepts a good pipeline, following its local includes", () => {
    const r = check("good");
    expect(r.rows).toEqual([]);
    expect(r.includes.map((i) => `${i.component}@${i.version}`)).toEqual(["build-push@1.4.2", "pull-run@0123456789abcdef0123456789abcdef01234567"]);
  });

  it("checks every supported GitLab version and names the versions that reject an input", () => {
    const r = check("version-dependent");
    expect(r.diagnostics.map((d) => d.message)).toEqual(["build-push: `job_name` input: provided value is not a string (rejected by GitLab 17.0–18.2)"]);
    expect(cli("version-dependent", "--gitlab-version", "18.3").code).toBe(0);
    const old = cli("version-dependent", "--gitlab-version", "17.11");
    expect(old.code).toBe(1);
    expect(old.stdout).toContain("build-push: `job_name` input: provided value is not a string");
    expect(old.stdout).not.toContain("rejected by");
    expect(cli("version-dependent", "--gitlab-version", "16.9").code).toBe(2);
  });

  it("reports bad inputs with GitLab's messages, the nearest names and their lines", () => {
    const r = check("bad-inputs");
    expect(r.rows).toEqual([
      "error UNKNOWN_INPUT 4:7",
      "error INVALID_INPUT 2:16",
      "error INVALID_INPUT 5:15",
      "error UNKNOWN_COMPONENT 6:16",
      "error DUPLICATE_JOB_NAME 9:16",
      "error INVALID_INPUT 11:19",
      "error INVALID_INPUT 12:13",
    ]);
    const messages = r.diagnostics.map((d) => `${d.message} | ${d.fix ?? ""}`);
    expect(messages[0]).toContain("did you mean `image_name`?");
    expect(messages[1]).toContain("`image_name` input: required value has not been provided");
    expect(messages[2]).toContain("`sometimes` cannot be used because it is not in the list of allowed options");
    expect(messages[3]).toContain("did you mean `build-push`?");
    expect(messages[5]).toContain("provided value does not match required RegEx pattern");
    expect(messages[6]).toContain("`tags` input: provided value is not an array");
  });

  it("warns about ~latest, partial versions and branches, without failing", () => {
    expect(check("unpinned").rows).toEqual(["warning UNPINNED_MOVING_VERSION 2:16", "warning UNPINNED_BRANCH 4:16", "warning UNPINNED_MOVING_VERSION 6:16"]);
    expect(cli("unpinned").code).toBe(0);
  });

  it("ignores other libraries' components and templates", () => {
    const r = check("other-library");
    expect(r.rows).toEqual([]);
    expect(r.includes).toEqual([]);
  });

  it("exits 1 on errors and prints JSON on request", () => {
    const r = cli("bad-inputs", "--format", "json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { errors: number; warnings: number; diagnostics: Array<{ code: string }> };
    expect(out.errors).toBe(7);
    expect(out.diagnostics[0]!.code).toBe("UNKNOWN_INPUT");
  });

  it("classifies versions as GitLab resolves them", () => {
    expect(pinning("1.4.2")).toBe("pinned");
    expect(pinning("1.4.2-rc.1")).toBe("pinned");
    expect(pinning("0123456789abcdef0123456789abcdef01234567")).toBe("pinned");
    expect(pinning("~latest")).toBe("moving");
    expect(pinning("1")).toBe("moving");
    expect(pinning("1.2")).toBe("moving");
    expect(pinning("main")).toBe("branch");
  });

  it("suggests only close names", () => {
    expect(nearest("imagename", ["image_name", "tags"])).toBe("image_name");
    expect(nearest("zzzz", ["image_name", "tags"])).toBeUndefined();
  });
});
