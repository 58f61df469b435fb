// The hostile-input corpus: every case found when the CLI was driven by a hostile user, each with
// the coded error (or GitLab's behaviour) it must give. No engine, no network: files are made in
// a temporary project (a FIFO cannot be committed). The server-side cases are in
// test/contract/hostile-servers.test.ts and test/contract/redaction.test.ts.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../scripts/cli.ts";
import type { Diagnostic } from "../../scripts/lib/cli/diagnostics.ts";
import { MAX_ALIAS_COUNT, parseGitlabYaml } from "../../scripts/lib/ci/yaml.ts";
import { LocalFileError, MAX_LOCAL_FILE_BYTES, readRegularFile } from "../../scripts/lib/cli/user-files.ts";
import { MAX_INCLUDES, wildcardRegExp } from "../../scripts/lib/ci/include-local.ts";
import { projectRoot } from "../../scripts/lib/project.ts";
import { blocksWriting, relocateRegexDiagnostics } from "../../scripts/lib/toolchain/regex-source.ts";
import { parseTemplate } from "../../scripts/lib/ci/render.ts";
import { checkTemplate } from "../../scripts/lib/toolchain/template-rules.ts";
import { loadSchemas, validatePipeline } from "../../scripts/lib/validate/pipeline.ts";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const schemas = loadSchemas(join(projectRoot, "templates"));
const COMPONENT = "$CI_SERVER_FQDN/platform/harbor-ci-components/build-push@1.4.2";

/** A project in a fresh directory (inside a parent that also holds `outside.yml`). */
function project(files: Record<string, string>): string {
  const parent = mkdtempSync(join(tmpdir(), "hci-hostile-"));
  temps.push(parent);
  writeFileSync(join(parent, "outside.yml"), `include:\n  - component: ${COMPONENT}\n    inputs:\n      no_such_input: 1\n`);
  const dir = join(parent, "project");
  mkdirSync(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function validate(dir: string): Diagnostic[] {
  return validatePipeline({ file: join(dir, ".gitlab-ci.yml"), projectDir: dir, schemas, library: "harbor-ci-components" }).diagnostics;
}

const rows = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.line}: ${d.message}`);

describe("include: local: resolved as GitLab resolves it", () => {
  const wrongTypes: Array<[string, string]> = [
    ["42", "Included file `42` needs to be a string"],
    ["[a]", 'Included file `["a"]` needs to be a string'],
    ["{a: 1}", 'Included file `{"a"=>1}` needs to be a string'],
    ["true", "Included file `true` needs to be a string"],
  ];
  for (const [value, message] of wrongTypes) {
    it(`local: ${value} -> INCLUDE_INVALID with GitLab's message, no stack`, () => {
      const dir = project({ ".gitlab-ci.yml": `stages: [build]\ninclude:\n  - local: ${value}\n` });
      expect(rows(validate(dir))).toEqual([`INCLUDE_INVALID 3: ${message}`]);
    });
  }

  it("a directory -> LOCAL_INCLUDE_NOT_FOUND: does not exist (GitLab reads blobs only)", () => {
    const dir = project({ ".gitlab-ci.yml": "include:\n  - local: ci.yml\n", "ci.yml/x": "" });
    expect(rows(validate(dir))).toEqual(["LOCAL_INCLUDE_NOT_FOUND 2: Local file `ci.yml` does not exist!"]);
  });

  it("a FIFO is refused at once, never read (no hang)", () => {
    const dir = project({ ".gitlab-ci.yml": "include:\n  - local: pipe.yml\n" });
    try {
      execFileSync("mkfifo", [join(dir, "pipe.yml")]);
    } catch {
      return; // no mkfifo on this system: nothing to test
    }
    const d = validate(dir);
    expect(rows(d)).toEqual(["LOCAL_INCLUDE_NOT_FOUND 2: Local file `pipe.yml` does not exist!"]);
    expect(d[0]!.actual).toContain("named pipe (FIFO)");
  });

  it("../../../../dev/zero: no YAML extension, never read", () => {
    const dir = project({ ".gitlab-ci.yml": "include:\n  - local: ../../../../dev/zero\n" });
    expect(rows(validate(dir))).toEqual(["INCLUDE_INVALID 2: Included file `../../../../dev/zero` does not have YAML extension!"]);
  });

  it("a path outside the repository is refused and not read", () => {
    const dir = project({ ".gitlab-ci.yml": "include:\n  - local: ../outside.yml\n" });
    const d = validate(dir);
    expect(rows(d)).toEqual(["LOCAL_INCLUDE_OUTSIDE_PROJECT 2: Local file `../outside.yml` does not exist!"]);
    // outside.yml holds an unknown input: had it been read, UNKNOWN_INPUT would show.
    expect(d.some((x) => x.code === "UNKNOWN_INPUT")).toBe(false);
  });

  it("a symlink pointing outside the repository is refused too", () => {
    const dir = project({ ".gitlab-ci.yml": "include:\n  - local: ci/link.yml\n", "ci/.keep": "" });
    symlinkSync(join(dir, "..", "outside.yml"), join(dir, "ci", "link.yml"));
    expect(rows(validate(dir))).toEqual(["LOCAL_INCLUDE_OUTSIDE_PROJECT 2: Local file `ci/link.yml` does not exist!"]);
  });

  it("a missing file: LOCAL_INCLUDE_NOT_FOUND at the including file's line", () => {
    const dir = project({
      ".gitlab-ci.yml": "stages: [build]\n\ninclude:\n  - local: ci/ok.yml\n  - local: ci/none.yml\n",
      "ci/ok.yml": "x:\n  script: [true]\n",
    });
    const d = validate(dir);
    expect(rows(d)).toEqual(["LOCAL_INCLUDE_NOT_FOUND 5: Local file `ci/none.yml` does not exist!"]);
    expect(d[0]!.file).toMatch(/\.gitlab-ci\.yml$/);
    expect(d[0]!.column).toBe(12);
  });

  it("an empty file: Local file `x` is empty!", () => {
    const dir = project({ ".gitlab-ci.yml": "include: empty.yml\n", "empty.yml": "\n\n" });
    expect(rows(validate(dir))).toEqual(["LOCAL_INCLUDE_EMPTY 1: Local file `empty.yml` is empty!"]);
  });

  it("relative to the project root, with a leading / allowed, not to the including file", () => {
    const bad = `include:\n  - component: ${COMPONENT}\n    inputs:\n      image_name: a\n      no_such_input: 1\n`;
    const dir = project({ ".gitlab-ci.yml": "include: /ci/a.yml\n", "ci/a.yml": "include:\n  - local: ci/b.yml\n", "ci/b.yml": bad });
    expect(validate(dir).map((d) => d.code)).toEqual(["UNKNOWN_INPUT"]);
  });

  it("a loop ends at GitLab's include limit, reported as GitLab reports it", () => {
    const dir = project({ ".gitlab-ci.yml": "include: a.yml\n", "a.yml": "include: b.yml\n", "b.yml": "include:\n  - local: a.yml\n" });
    expect(rows(validate(dir))).toEqual([`TOO_MANY_INCLUDES 2: Maximum of ${MAX_INCLUDES} nested includes are allowed!`]);
  });

  it(`more than ${MAX_INCLUDES} includes: Maximum of ${MAX_INCLUDES} nested includes are allowed!`, () => {
    const files: Record<string, string> = {};
    const list: string[] = [];
    for (let i = 0; i <= MAX_INCLUDES; i++) {
      files[`ci/f${i}.yml`] = `job${i}:\n  script: [true]\n`;
      list.push(`  - local: ci/f${i}.yml`);
    }
    const dir = project({ ".gitlab-ci.yml": `include:\n${list.join("\n")}\n`, ...files });
    expect(rows(validate(dir))).toEqual([`TOO_MANY_INCLUDES ${MAX_INCLUDES + 2}: Maximum of ${MAX_INCLUDES} nested includes are allowed!`]);
  });

  it("wildcards as GitLab expands them: * stays in a folder, ** crosses folders", () => {
    expect(wildcardRegExp("ci/*.yml").test("ci/a.yml")).toBe(true);
    expect(wildcardRegExp("ci/*.yml").test("ci/sub/b.yml")).toBe(false);
    expect(wildcardRegExp("ci/**.yml").test("ci/sub/b.yml")).toBe(true);
    expect(wildcardRegExp("ci/**/*.yml").test("ci/a.yml")).toBe(false);
    expect(wildcardRegExp("ci/*.yml").test("ci/a.yml.bak")).toBe(false);
    const bad = (n: string) => `include:\n  - component: ${COMPONENT}\n    inputs:\n      image_name: a\n      job_name: j${n}\n      bad_${n}: 1\n`;
    const dir = project({ ".gitlab-ci.yml": "include: 'ci/*.yml'\n", "ci/a.yml": bad("a"), "ci/sub/b.yml": bad("b") });
    expect(validate(dir).map((d) => d.message)).toEqual(["build-push: unknown input arguments: bad_a"]);
  });

  it("a file larger than GitLab's YAML limit: FILE_TOO_LARGE, read no further", () => {
    const dir = project({ ".gitlab-ci.yml": "include: big.yml\n", "big.yml": "# " + "x".repeat(MAX_LOCAL_FILE_BYTES) + "\n" });
    expect(rows(validate(dir))).toEqual(["FILE_TOO_LARGE 1: `big.yml`: The provided YAML is too big"]);
  });

  it("billion laughs: The parsed YAML is too big, not gigabytes", () => {
    const lol = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      lol.push(
        `${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9)
          .fill(`*${"abcdefghi"[i - 1]}`)
          .join(", ")}]`,
      );
    const dir = project({ ".gitlab-ci.yml": lol.join("\n") + "\n" });
    expect(rows(validate(dir))).toEqual(["YAML_TOO_BIG 0: The parsed YAML is too big"]);
  });

  it("nesting deeper than GitLab's max_yaml_depth: The parsed YAML is too big", () => {
    const dir = project({ ".gitlab-ci.yml": "a: " + "[".repeat(120) + "]".repeat(120) + "\n" });
    expect(rows(validate(dir))).toEqual(["YAML_TOO_BIG 0: The parsed YAML is too big"]);
  });

  it("the pipeline file itself: a directory or /dev/zero is a coded error", () => {
    const dir = project({});
    mkdirSync(join(dir, ".gitlab-ci.yml"));
    expect(validate(dir).map((d) => d.code)).toEqual(["NOT_A_FILE"]);
    expect(validatePipeline({ file: "/dev/zero", projectDir: dir, schemas, library: "x" }).diagnostics.map((d) => d.code)).toEqual(["NOT_A_FILE"]);
  });
});

describe("YAML as GitLab (Psych, YAML 1.1) reads it", () => {
  it("yes/no/on/off are booleans, y/n strings; 0777 octal; <<: merges; duplicate keys: the last wins", () => {
    expect(parseGitlabYaml("a: yes\nb: On\nc: OFF\nd: y\ne: n\nf: 0777\ng: ~\nh: NULL\n")).toEqual({
      a: true,
      b: true,
      c: false,
      d: "y",
      e: "n",
      f: 511,
      g: null,
      h: null,
    });
    expect(parseGitlabYaml("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n")).toEqual({ base: { x: 1, y: 2 }, m: { x: 1, y: 3 } });
    expect(parseGitlabYaml("k: 1\nk: 2\n")).toEqual({ k: 2 });
    expect(MAX_ALIAS_COUNT).toBeLessThanOrEqual(100);
  });

  it("validate: `<<` merge keys in inputs are not unknown inputs, and cache: yes is a boolean", () => {
    const merged = project({
      ".gitlab-ci.yml": `.defaults: &defaults\n  image_name: my-app\n  cache: none\ninclude:\n  - component: ${COMPONENT}\n    inputs:\n      <<: *defaults\n      latest: never\n`,
    });
    expect(rows(validate(merged))).toEqual([]);
    // `yes` is Psych's true: the string input `cache` refuses it as GitLab does (17.0-18.2: not a
    // string; later versions coerce it to "true", which is not one of its options).
    const yes = project({ ".gitlab-ci.yml": `include:\n  - component: ${COMPONENT}\n    inputs:\n      image_name: my-app\n      cache: yes\n` });
    expect(rows(validate(yes))).toEqual([
      "INVALID_INPUT 5: build-push: `cache` input: provided value is not a string (rejected by GitLab 17.0–18.2)",
      "INVALID_INPUT 5: build-push: `cache` input: `true` cannot be used because it is not in the list of allowed options",
    ]);
  });

  for (const [label, value] of [
    ["a list", "[a, b]"],
    ["a string", "image_name=x"],
  ] as const) {
    it(`inputs: ${label} -> INPUTS_NOT_A_MAPPING, not unknown inputs 0, 1, ...`, () => {
      const dir = project({ ".gitlab-ci.yml": `include:\n  - component: ${COMPONENT}\n    inputs: ${value}\n` });
      const d = validate(dir);
      expect(d.map((x) => `${x.code} ${x.line}`)).toEqual(["INPUTS_NOT_A_MAPPING 3"]);
      expect(d[0]!.message).toContain(`must be a mapping of input names to values, not ${label}`);
    });
  }
});

/** Runs `harbor-ci <argv>` in-process, returning what it printed. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe("render and the component names", () => {
  it("--input tags=~ keeps the default, exactly like --inputs-file with tags: ~", async () => {
    const dir = project({ "inputs.yml": "image_name: app\ntags: ~\ncache: none\n" });
    const a = await cli(["render", "build-push", "--input", "image_name=app", "--input", "tags=~", "--input", "cache=none"]);
    const b = await cli(["render", "build-push", "--inputs-file", join(dir, "inputs.yml")]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("HCI_TAGS: $CI_COMMIT_SHORT_SHA");
    expect(a.stdout).toContain("HCI_CACHE: none");
  });

  for (const name of ["../../x", "../build-push", "/etc", "build-push/../pull-run", "a.b"]) {
    it(`render ${name}: COMPONENT_NAME_INVALID, nothing read`, async () => {
      const r = await cli(["render", name]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("error COMPONENT_NAME_INVALID");
      expect(r.stdout).toBe("");
    });
  }

  it("an inputs file that is /dev/zero or a directory: INPUTS_FILE_UNREADABLE", async () => {
    for (const file of ["/dev/zero", tmpdir()]) {
      const r = await cli(["render", "build-push", "--inputs-file", file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error INPUTS_FILE_UNREADABLE");
    }
  });

  it("readRegularFile refuses what is not a regular file, and what is too large", () => {
    expect(() => readRegularFile("/dev/zero")).toThrow(LocalFileError);
    expect(() => readRegularFile(tmpdir())).toThrow(/directory/);
    const dir = project({ "big.txt": "x".repeat(2048) });
    expect(() => readRegularFile(join(dir, "big.txt"), 1024)).toThrow(/more than the 1024/);
  });
});

describe("template rules locate and stop early", () => {
  it("INPUT_IN_SCRIPT points at the script line, not the first place the block appears", () => {
    const text = [
      "spec:",
      "  inputs:",
      "    job_name:",
      "      type: string",
      "      default: job",
      "    stage:",
      "      type: string",
      "      default: test",
      "    image_name:",
      "      type: string",
      "      default: app",
      "---",
      '"$[[ inputs.job_name ]]":',
      "  stage: $[[ inputs.stage ]]",
      "  variables:",
      '    NOTE: "built as $[[ inputs.image_name ]] here"',
      "  script:",
      "    - echo ok",
      '    - docker build -t "$[[ inputs.image_name ]]" .',
      "",
    ].join("\n");
    const d = checkTemplate(parseTemplate(text, "t.yml"), { component: "t" }).filter((x) => x.code === "INPUT_IN_SCRIPT");
    expect(d.map((x) => `${x.line}:${x.column}`)).toEqual(["19:24"]);
  });

  it("a bad @pattern is reported at the inputs.ts line that wrote it, and blocks writing", () => {
    const diagnostics: Diagnostic[] = [
      {
        code: "REGEX_NOT_RE2",
        severity: "error",
        file: "templates/build-push/template.yml",
        line: 30,
        column: 7,
        message: "input `dockerfile`: regex uses a negative lookahead (?!...), which RE2 does not support",
        actual: "^[^\\n\\r]+$",
        fix: "rewrite the pattern",
      },
    ];
    const [moved] = relocateRegexDiagnostics(diagnostics, projectRoot);
    expect(moved!.file).toMatch(/templates\/build-push\/inputs\.ts$/);
    const source = execFileSync("sed", ["-n", `${moved!.line},${moved!.line + 2}p`, join(projectRoot, "templates/build-push/inputs.ts")], { encoding: "utf8" });
    expect(source).toContain("@pattern ^[^\\n\\r]+$");
    expect(source).toContain("dockerfile?:");
    expect(blocksWriting([moved!])).toBe(true);
    expect(blocksWriting([{ ...moved!, code: "UNUSED_INPUT" }])).toBe(false);
  });
});
