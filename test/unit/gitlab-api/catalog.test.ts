// Pure logic behind `versions`: semantic versions, input diffs, pinned-version analysis.
import { describe, expect, it } from "vitest";
import {
  analysePins,
  compareSemver,
  diffComponentInputs,
  diffSchemaMaps,
  findComponentPins,
  formatInputChange,
  latestRelease,
  parseComponentReference,
  parseSemver,
  pinMatchesProject,
  sortReleases,
  type ComponentPin,
  type ReleaseInfo,
} from "../../../scripts/lib/gitlab-api/catalog.ts";

describe("unit: semantic versions and releases", () => {
  it("parses semver tags, with or without v, and rejects the rest", () => {
    expect(parseSemver("1.2.3")).toMatchObject({ major: 1, minor: 2, patch: 3, prerelease: [] });
    expect(parseSemver("v2.0.0-rc.1+build.5")).toMatchObject({ major: 2, prerelease: ["rc", "1"] });
    for (const bad of ["1.2", "latest", "01.2.3", "1.2.3.4", ""]) expect(parseSemver(bad)).toBeUndefined();
  });

  it("orders by precedence: prereleases before their release, numeric identifiers numerically", () => {
    const order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"];
    const shuffled = [...order].reverse();
    expect(shuffled.sort((a, b) => compareSemver(parseSemver(a)!, parseSemver(b)!))).toEqual(order);
  });

  it("sorts releases newest first and picks the latest published, non-prerelease one", () => {
    const releases: ReleaseInfo[] = [
      { tag: "1.2.0" },
      { tag: "1.10.0" },
      { tag: "2.0.0-rc.1" },
      { tag: "3.0.0", upcoming: true },
      { tag: "nightly", releasedAt: "2025-01-01" },
    ];
    expect(sortReleases(releases).map((r) => r.tag)).toEqual(["3.0.0", "2.0.0-rc.1", "1.10.0", "1.2.0", "nightly"]);
    expect(latestRelease(releases)?.tag).toBe("1.10.0");
    expect(latestRelease([])).toBeUndefined();
  });
});

describe("unit: input changes between versions", () => {
  const from = {
    properties: {
      image_name: { type: "string" },
      stage: { type: "string", default: "build" },
      tags: { type: "array", default: ["$CI_COMMIT_SHORT_SHA"] },
      latest: { type: "string", enum: ["default-branch", "always", "never"], default: "default-branch" },
      push: { type: "boolean", default: true },
      name: { type: "string", pattern: "^[a-z]+$" },
    },
    required: ["image_name"],
  };

  it("an identical schema (keys in another order) has no changes", () => {
    const same = { required: ["image_name"], properties: Object.fromEntries(Object.entries(from.properties).reverse()) };
    expect(diffComponentInputs(from, same)).toEqual([]);
  });

  it("added, removed and default changes, each marked breaking or not", () => {
    const to = {
      properties: {
        ...from.properties,
        stage: { type: "string", default: "package" },
        tags: { type: "array", default: ["$CI_COMMIT_SHORT_SHA", "latest"] },
        platforms: { type: "array", default: ["linux/amd64"] },
        context: { type: "string" },
      } as Record<string, { type: string; default?: unknown }>,
      required: ["image_name", "context"],
    };
    delete to.properties.push;
    const changes = diffComponentInputs(from, to);
    expect(changes.map((c) => [c.input, c.kind, c.breaking])).toEqual([
      ["context", "added", true],
      ["platforms", "added", false],
      ["push", "removed", true],
      ["stage", "changed", false],
      ["tags", "changed", false],
    ]);
    expect(changes.find((c) => c.input === "stage")!.changes).toEqual([{ field: "default", from: "build", to: "package" }]);
    expect(changes.map(formatInputChange)).toEqual([
      "+ context (string, required)  [breaking]",
      '+ platforms (array, default ["linux/amd64"])',
      "- push (boolean, default true)  [breaking]",
      '~ stage: default "build" -> "package"',
      '~ tags: default ["$CI_COMMIT_SHORT_SHA"] -> ["$CI_COMMIT_SHORT_SHA","latest"]',
    ]);
  });

  it("type changes and newly required inputs break; becoming optional does not", () => {
    const to = {
      properties: { ...from.properties, push: { type: "string", default: "yes" }, stage: { type: "string" } },
      required: ["stage"],
    };
    const byInput = Object.fromEntries(diffComponentInputs(from, to).map((c) => [c.input, c]));
    expect(byInput.push!.breaking).toBe(true);
    expect(byInput.push!.changes!.map((c) => c.field)).toEqual(["type", "default"]);
    expect(byInput.stage!.breaking).toBe(true);
    expect(formatInputChange(byInput.stage!)).toBe('~ stage: now required; default "build" -> (none)  [breaking]');
    expect(byInput.image_name!.breaking).toBe(false);
    expect(formatInputChange(byInput.image_name!)).toBe("~ image_name: now optional");
  });

  it("options: narrowing breaks, widening does not; a new pattern breaks, dropping one does not", () => {
    const narrowed = { ...from, properties: { ...from.properties, latest: { ...from.properties.latest, enum: ["always", "never"] } } };
    const widened = { ...from, properties: { ...from.properties, latest: { ...from.properties.latest, enum: ["default-branch", "always", "never", "tags"] } } };
    expect(diffComponentInputs(from, narrowed)[0]).toMatchObject({ input: "latest", breaking: true });
    expect(diffComponentInputs(from, widened)[0]).toMatchObject({ input: "latest", breaking: false });
    const patterned = { ...from, properties: { ...from.properties, stage: { ...from.properties.stage, pattern: "^[a-z]+$" } } };
    const unpatterned = { ...from, properties: { ...from.properties, name: { type: "string" } } };
    expect(diffComponentInputs(from, patterned)[0]).toMatchObject({ input: "stage", breaking: true });
    expect(diffComponentInputs(from, unpatterned)[0]).toMatchObject({ input: "name", breaking: false });
  });

  it("an input without type is a string (GitLab's default)", () => {
    expect(diffComponentInputs({ properties: { a: {} } }, { properties: { a: { type: "string" } } })).toEqual([]);
  });

  it("per component: added components break nobody, removed ones do, unchanged ones are listed", () => {
    const changes = diffSchemaMaps(
      { kept: from, gone: { properties: { x: { type: "string" } } } },
      { kept: from, fresh: { properties: { y: { type: "string" } }, required: ["y"] } },
    );
    expect(changes.map((c) => [c.component, c.status, c.breaking])).toEqual([
      ["fresh", "added", false],
      ["gone", "removed", true],
      ["kept", "unchanged", false],
    ]);
    expect(changes[0]!.inputs[0]).toMatchObject({ input: "y", kind: "added", breaking: false });
  });
});

describe("unit: pinned versions in a pipeline", () => {
  it("splits <fqdn>/<project path>/<name>@<version>", () => {
    expect(parseComponentReference("$CI_SERVER_FQDN/a/b/c/build-push@1.2.0")).toEqual({
      reference: "$CI_SERVER_FQDN/a/b/c/build-push@1.2.0",
      host: "$CI_SERVER_FQDN",
      projectPath: "a/b/c",
      component: "build-push",
      version: "1.2.0",
    });
    for (const bad of ["gitlab.com/a/b", "gitlab.com/p@1", "gitlab.com//p/c@1", "gitlab.com/a/p/c@"]) expect(parseComponentReference(bad)).toBeUndefined();
  });

  it("finds every include: component, with lines, across documents (a spec header is fine)", () => {
    const text = [
      "spec:",
      "  inputs:",
      "    env: { default: dev }",
      "---",
      "include:",
      "  - component: gitlab.example.com/g/lib/build-push@1.0.0",
      "    inputs: { image_name: x }",
      "  - local: other.yml",
      "  - remote: https://example.com/x.yml",
      "  - component: gitlab.example.com/g/lib/pull-run@~latest",
      "job: { script: [x] }",
    ].join("\n");
    expect(findComponentPins(text).map((p) => [p.component, p.version, p.line])).toEqual([
      ["build-push", "1.0.0", 6],
      ["pull-run", "~latest", 10],
    ]);
    expect(findComponentPins("include:\n  component: h/g/lib/one@2\n").map((p) => p.version)).toEqual(["2"]);
    expect(findComponentPins("include: local.yml\n")).toEqual([]);
  });

  it("matches the library's path case-insensitively, and $CI_PROJECT_PATH as the current project", () => {
    const pin = (projectPath: string) => ({ projectPath }) as ComponentPin;
    expect(pinMatchesProject(pin("G/Lib"), "g/lib")).toBe(true);
    expect(pinMatchesProject(pin("$CI_PROJECT_PATH"), "g/lib")).toBe(true);
    expect(pinMatchesProject(pin("g/other"), "g/lib")).toBe(false);
  });

  it("says where each pin stands against the releases", () => {
    const releases: ReleaseInfo[] = [
      { tag: "1.0.0", commitSha: "1111111aaaa" },
      { tag: "1.2.0", commitSha: "1212121bbbb" },
      { tag: "1.2.5", commitSha: "1252525cccc" },
      { tag: "2.0.0", commitSha: "2000000dddd" },
      { tag: "2.1.0-rc.1" },
    ];
    const pins = ["1.2.0", "2.0.0", "1", "1.2", "2", "~latest", "1252525", "deadbeef", "main", "$CI_COMMIT_SHA", "3.0.0", "4"].map(
      (version, i): ComponentPin => ({ reference: `h/g/lib/c@${version}`, host: "h", projectPath: "g/lib", component: "c", version, line: i + 1 }),
    );
    expect(analysePins(pins, releases).map((r) => [r.version, r.status, r.resolves ?? null])).toEqual([
      ["1.2.0", "behind", "1.2.0"],
      ["2.0.0", "latest", "2.0.0"],
      ["1", "behind", "1.2.5"],
      ["1.2", "behind", "1.2.5"],
      ["2", "latest", "2.0.0"],
      ["~latest", "latest", "2.0.0"],
      ["1252525", "behind", "1.2.5"],
      ["deadbeef", "not-a-release", null],
      ["main", "not-a-release", null],
      ["$CI_COMMIT_SHA", "variable", null],
      ["3.0.0", "unknown-version", null],
      ["4", "unknown-version", null],
    ]);
  });

  it("with no release at all, pins are unknown", () => {
    const pin: ComponentPin = { reference: "h/g/l/c@1.0.0", host: "h", projectPath: "g/l", component: "c", version: "1.0.0", line: 1 };
    expect(analysePins([pin], [])[0]!.status).toBe("unknown-version");
  });
});
