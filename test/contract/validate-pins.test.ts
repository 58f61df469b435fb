// Contract: `harbor-ci validate` reads the schemas of a pinned version from the library project,
// through the `versions` command's client, against the GitLab fake. Endpoints, as documented:
//   GET /projects/:id/releases                                  docs.gitlab.com/api/releases/#list-releases
//   GET /projects/:id/repository/tree?path=templates&ref=<tag>  docs.gitlab.com/api/repositories/#list-repository-tree
//   GET /projects/:id/repository/files/:file_path/raw?ref=<tag> docs.gitlab.com/api/repository_files/#get-raw-file-from-repository
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InputsSchema } from "../../scripts/lib/ci/inputs-schema.ts";
import { validatePipeline } from "../../scripts/lib/validate/pipeline.ts";
import { followPins } from "../../scripts/lib/validate/pins.ts";
import { FakeGitlab, type FakeProject } from "./fakes/gitlab.ts";

const LIB = "my-group/harbor-ci-components";
const TOKEN = "glpat-readapi-token-000002";
const INSTALLED = "2.0.0";

function schema(properties: Record<string, unknown>, required: string[]) {
  return { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties, required, additionalProperties: false };
}
// 1.x had `push_latest`; 2.0.0 (the installed package) replaced it with `latest`.
const V1 = schema({ image_name: { type: "string" }, push_latest: { type: "boolean", default: true } }, ["image_name"]);
const V2 = schema({ image_name: { type: "string" }, latest: { type: "string", enum: ["always", "never"], default: "always" } }, ["image_name"]);
const bundled = new Map([["build-push", V2 as unknown as InputsSchema]]);

const files = (s: object) =>
  new Map([
    ["templates/build-push/template.yml", "spec: {}\n---\n"],
    ["templates/build-push/inputs.schema.json", JSON.stringify(s)],
  ]);

function library(): FakeProject {
  return {
    id: 77,
    path: LIB,
    files: new Map([
      ["1.0.0", files(V1)],
      ["1.1.0", files(V1)],
      ["1.2.0-rc.1", files(V2)],
      ["2.0.0", files(V2)],
    ]),
    releases: [
      { tag_name: "1.0.0", released_at: "2024-01-10T00:00:00Z", commit: { id: "a".repeat(40) } },
      { tag_name: "1.1.0", released_at: "2024-02-10T00:00:00Z", commit: { id: "b".repeat(40) } },
      // Released after 1.1.0 but a prerelease: never what `1` or `~latest` resolves to.
      { tag_name: "1.2.0-rc.1", released_at: "2024-03-10T00:00:00Z", commit: { id: "c".repeat(40) } },
    ],
  };
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function pipelineFile(version: string, inputs: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "hci-pins-"));
  temps.push(dir);
  const file = join(dir, ".gitlab-ci.yml");
  const lines = Object.entries(inputs).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`);
  writeFileSync(file, `include:\n  - component: $CI_SERVER_FQDN/${LIB}/build-push@${version}\n    inputs:\n${lines.join("\n")}\n`);
  return file;
}

describe("contract: validate follows the version an include pins (GitLab releases and repository files)", () => {
  let gitlab: FakeGitlab;
  beforeEach(async () => {
    gitlab = new FakeGitlab();
    gitlab.projects.push(library());
    await gitlab.start();
  });
  afterEach(() => gitlab.stop());

  async function validate(
    version: string,
    inputs: Record<string, unknown>,
    env: Record<string, string | undefined> = { GITLAB_URL: gitlab.url, GITLAB_TOKEN: TOKEN },
    online = true,
  ) {
    const file = pipelineFile(version, inputs);
    const base = { file, schemas: bundled, library: "harbor-ci-components" };
    const pins = await followPins({
      includes: validatePipeline(base).includes,
      installedVersion: INSTALLED,
      bundled,
      env,
      online,
      packageName: "@my-group/harbor-ci-components",
    });
    const result = validatePipeline({ ...base, schemasFor: pins.schemasFor });
    return {
      diagnostics: [...result.diagnostics, ...pins.diagnostics],
      versions: pins.versions,
      codes: [...result.diagnostics, ...pins.diagnostics].map((d) => d.code),
    };
  }
  const apiPaths = () => gitlab.requests.map((r) => r.rawPath);

  it("checks an include pinned to the installed version against the bundled schemas, asking GitLab nothing", async () => {
    const r = await validate(INSTALLED, { image_name: "app", push_latest: false });
    expect(r.codes).toEqual(["UNKNOWN_INPUT"]);
    expect(r.versions).toEqual([{ version: INSTALLED, source: "bundled" }]);
    expect(gitlab.requests).toHaveLength(0);
  });

  it("checks an include pinned to another version against that version's schemas, read at its tag", async () => {
    const old = await validate("1.0.0", { image_name: "app", push_latest: false });
    expect(old.diagnostics).toEqual([]);
    expect(old.versions).toEqual([{ version: "1.0.0", source: "gitlab" }]);
    expect(apiPaths()).toContain("/api/v4/projects/my-group%2Fharbor-ci-components/repository/files/templates%2Fbuild-push%2Finputs.schema.json/raw");
    expect(gitlab.requests.every((q) => q.method === "GET" && q.headers["private-token"] === TOKEN)).toBe(true);
    expect(gitlab.requests.find((q) => q.rawPath.endsWith("/raw"))!.query.ref).toBe("1.0.0");

    // The bundled (2.0.0) input does not exist at 1.0.0.
    const newer = await validate("1.0.0", { image_name: "app", latest: "never" });
    expect(newer.codes).toEqual(["UNKNOWN_INPUT"]);
    expect(newer.diagnostics[0]!.fix).toBe("inputs of build-push: image_name, push_latest"); // 1.0.0's inputs
  });

  it("resolves `1` and `~latest` to the newest released semantic version, never a prerelease", async () => {
    for (const version of ["1", "~latest"]) {
      const r = await validate(version, { image_name: "app", push_latest: false });
      expect(r.versions).toEqual([{ version, resolved: "1.1.0", source: "gitlab" }]);
      expect(r.codes).toEqual(["UNPINNED_MOVING_VERSION"]);
    }
    expect(gitlab.requests.filter((q) => q.rawPath.endsWith("/raw")).map((q) => q.query.ref)).toEqual(["1.1.0", "1.1.0"]);
  });

  it("fails an include whose version is no tag, branch or commit of the library, as GitLab would", async () => {
    const r = await validate("9.9.9", { image_name: "app" });
    expect(r.codes).toContain("UNKNOWN_VERSION");
    expect(r.diagnostics.find((d) => d.code === "UNKNOWN_VERSION")!.severity).toBe("error");
    const none = await validate("3", { image_name: "app" });
    expect(none.codes).toContain("UNKNOWN_VERSION");
  });

  describe("a library project the caller cannot read (GitLab: 404 Project Not Found, as for a missing one)", () => {
    const FORMS = ["1.0.0", "1.0", "~latest", "b".repeat(40), "main"];
    const hide = (visibility: "private" | "internal", members?: string[]) => {
      const lib = gitlab.project(LIB)!;
      lib.visibility = visibility;
      if (members) lib.members = members;
    };
    const sameText = (text: string, version: string) => text.replaceAll(version, "<pin>").replaceAll("@latest", "@<pin>");

    it("warns LIBRARY_NOT_READABLE, naming read_api and GITLAB_TOKEN, for every pin form alike, with no error", async () => {
      hide("private");
      const texts: unknown[] = [];
      for (const version of FORMS) {
        const r = await validate(version, { image_name: "app" }, { GITLAB_URL: gitlab.url }); // the README's MR job: no token
        // A moving pin or a branch also gets the offline rule's UNPINNED_*; nothing else, no error.
        expect(
          r.codes.filter((c) => !c.startsWith("UNPINNED_")),
          version,
        ).toEqual(["LIBRARY_NOT_READABLE"]);
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const w = r.diagnostics.find((d) => d.code === "LIBRARY_NOT_READABLE")!;
        expect(w.severity).toBe("warning");
        expect(w.message).toContain(`GitLab shows no project ${LIB} to an anonymous caller (no GITLAB_TOKEN)`);
        expect(w.expected).toContain("read_api");
        expect(w.fix).toContain("export GITLAB_TOKEN=<a token with the read_api scope>");
        expect(w.fix).toContain("job token allowlist");
        expect(r.versions).toEqual([{ version, source: "bundled-fallback" }]);
        texts.push({ ...w, file: "<pipeline>", line: 0, message: sameText(w.message, version), fix: sameText(w.fix!, version) });
      }
      for (const t of texts) expect(t).toEqual(texts[0]);
      // It asked GitLab whether the project is there before deciding, once per pin.
      expect(gitlab.requests.filter((q) => q.rawPath === "/api/v4/projects/my-group%2Fharbor-ci-components")).toHaveLength(FORMS.length);
    });

    it("says the token's user cannot see it when GITLAB_TOKEN is set but not a member", async () => {
      hide("private", ["glpat-maintainer-token-0001"]);
      const r = await validate("1.0.0", { image_name: "app" });
      expect(r.codes).toEqual(["LIBRARY_NOT_READABLE"]);
      expect(r.diagnostics[0]!.message).toContain("to the user of GITLAB_TOKEN");
      // A member's token reads it: the pin is checked against 1.0.0's own schemas.
      const member = await validate("1.0.0", { image_name: "app" }, { GITLAB_URL: gitlab.url, GITLAB_TOKEN: "glpat-maintainer-token-0001" });
      expect(member.codes).toEqual([]);
      expect(member.versions).toEqual([{ version: "1.0.0", source: "gitlab" }]);
    });

    it("gives UNKNOWN_VERSION only once GitLab has shown the project and the version is absent", async () => {
      hide("internal");
      const hidden = await validate("9.9.9", { image_name: "app" }, { GITLAB_URL: gitlab.url });
      expect(hidden.codes).toEqual(["LIBRARY_NOT_READABLE"]);
      const shown = await validate("9.9.9", { image_name: "app" }); // a token: internal projects are visible
      expect(shown.codes).toEqual(["UNKNOWN_VERSION"]);
      expect(shown.diagnostics[0]!.severity).toBe("error");
      expect(gitlab.requests.some((q) => q.rawPath === "/api/v4/projects/my-group%2Fharbor-ci-components" && q.headers["private-token"] === TOKEN)).toBe(true);
    });
  });

  it("offline, checks against the installed version's schemas and warns which version that is", async () => {
    for (const [env, online] of [
      [{}, true],
      [{ GITLAB_URL: gitlab.url }, false],
    ] as const) {
      const r = await validate("1.0.0", { image_name: "app" }, env, online);
      const warning = r.diagnostics.find((d) => d.code === "PIN_CHECKED_AGAINST_INSTALLED")!;
      expect(warning.severity).toBe("warning");
      expect(warning.message).toContain(`checked against the schemas of ${INSTALLED} (this harbor-ci), not of 1.0.0`);
      expect(warning.fix).toContain("npx --package=@my-group/harbor-ci-components@1.0.0 -- harbor-ci validate");
      expect(r.versions).toEqual([{ version: "1.0.0", source: "bundled-fallback" }]);
    }
    expect(gitlab.requests).toHaveLength(0);
  });

  it("falls back to the installed schemas with the reason when GitLab keeps failing", async () => {
    gitlab.inject(() => true, { status: 503, body: { message: "503 Service Unavailable" } }, 50);
    const r = await validate("1.0.0", { image_name: "app" });
    const warning = r.diagnostics.find((d) => d.code === "PIN_CHECKED_AGAINST_INSTALLED")!;
    expect(warning.message).toMatch(/GitLab could not be read \(GITLAB_UNAVAILABLE: /);
    expect(r.codes.filter((c) => c !== "PIN_CHECKED_AGAINST_INSTALLED")).toEqual([]);
  });
});
