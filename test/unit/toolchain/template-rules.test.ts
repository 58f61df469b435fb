import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DiagnosticError, type Diagnostic } from "../../../scripts/lib/cli/diagnostics.ts";
import { loadGitlabSchema } from "../../../scripts/lib/ci/schema.ts";
import { gitlabSchemaPath } from "../../../scripts/lib/project.ts";
import { re2Error } from "../../../scripts/lib/ci/re2.ts";
import { parseTemplate } from "../../../scripts/lib/ci/render.ts";
import { checkTemplate, RULES } from "../../../scripts/lib/toolchain/template-rules.ts";

const schemaPath = gitlabSchemaPath().path;
const gitlabSchema = loadGitlabSchema(schemaPath);

function diagnose(name: string): Diagnostic[] {
  const file = `test/fixtures/rules/${name}/template.yml`;
  try {
    return checkTemplate(parseTemplate(readFileSync(file, "utf8"), file), { component: name, gitlabSchema });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
}

// One failing fixture per rule, in a folder named after the rule's code.
const fixtures = readdirSync("test/fixtures/rules")
  .filter((n) => n !== "valid")
  .sort();

describe("template rules", () => {
  it("has GitLab's JSON schema to validate against (vendor/gitlab/ci.schema.json)", () => {
    expect(gitlabSchema, `no GitLab schema at ${schemaPath}`).toBeDefined();
  });

  it("has a failing fixture for every rule", () => {
    expect(fixtures).toEqual(Object.keys(RULES).sort());
  });

  it("passes a valid component", () => {
    expect(diagnose("valid")).toEqual([]);
  });

  for (const code of fixtures) {
    it(`reports ${code} with a location and a fix`, () => {
      const found = diagnose(code).filter((d) => d.code === code);
      expect(found.length, JSON.stringify(diagnose(code), null, 1)).toBeGreaterThan(0);
      for (const d of found) {
        expect(d.file).toContain(`rules/${code}/template.yml`);
        expect(d.fix ?? d.message).toBeTruthy();
      }
    });
  }

  it("names the input and the GitLab versions that reject an empty default with a regex", () => {
    const found = diagnose("REJECTED_BY_GITLAB_VERSION").filter((d) => d.code === "REJECTED_BY_GITLAB_VERSION");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe("input `target` is rejected by GitLab 17.0–18.2: `target` input: default value does not match required RegEx pattern");
    expect(found[0]).toMatchObject({ line: 12 });
  });

  it("renders README examples and self-test includes on every GitLab version", () => {
    const text = readFileSync("test/fixtures/rules/valid/template.yml", "utf8");
    const parsed = parseTemplate(text, "t.yml");
    const at = { file: ".gitlab-ci.yml", line: 7, column: 1 };
    // `"3"` for a number: coerced from 18.3 on, refused before.
    const stringForNumber = { inputs: { job_name: "x", stage: "test" }, location: at, label: "the self-test include at .gitlab-ci.yml:7" };
    expect(checkTemplate(parsed, { component: "t", gitlabSchema, selfTests: [stringForNumber] })).toEqual([]);
    const bad = { ...stringForNumber, inputs: { job_name: 3 } };
    const [d] = checkTemplate(parsed, { component: "t", gitlabSchema, selfTests: [bad] });
    expect(d).toMatchObject({ code: "REJECTED_BY_GITLAB_VERSION", file: ".gitlab-ci.yml", line: 7 });
    expect(d!.message).toContain("rejected by GitLab 17.0–18.2: `job_name` input: provided value is not a string");
  });

  it("points a schema violation at the offending key", () => {
    const [d] = diagnose("BODY_SCHEMA").filter((x) => x.code === "BODY_SCHEMA");
    expect(d).toMatchObject({ line: 14, column: 3 });
    expect(d!.message).toContain("/job/when");
  });

  it("ignores blocks in comments: they neither use an input nor refer to an undeclared one", () => {
    const text = readFileSync("test/fixtures/rules/valid/template.yml", "utf8") + "  # $[[ inputs.nope ]]\n";
    expect(checkTemplate(parseTemplate(text, "t.yml"), { component: "t", gitlabSchema })).toEqual([]);
    expect(diagnose("UNUSED_INPUT").map((d) => d.code)).toEqual(["UNUSED_INPUT"]);
  });

  it("allows a whole list item spliced from an input (the user's own script) but no input inside a shell line", () => {
    const [d] = diagnose("INPUT_IN_SCRIPT");
    expect(d).toMatchObject({ code: "INPUT_IN_SCRIPT", line: 16, column: 24 });
    const spliced = readFileSync("test/fixtures/rules/valid/template.yml", "utf8").replace(
      "  script:\n    - echo hello",
      "  script:\n    - $[[ inputs.stage ]]",
    );
    expect(checkTemplate(parseTemplate(spliced, "t.yml"), { component: "t", gitlabSchema }).map((x) => x.code)).toEqual([]);
  });

  it("names an input's variable HCI_<INPUT>: a drifted build-push variables block fails, naming the input and the fix", () => {
    const file = "templates/build-push/template.yml";
    const text = readFileSync(file, "utf8");
    const line = text.split("\n").findIndex((l) => l === "    HCI_TAGS: $[[ inputs.tags ]]") + 1;
    expect(line).toBeGreaterThan(0);
    expect(checkTemplate(parseTemplate(text, file), { component: "build-push" }).filter((d) => d.code.startsWith("INPUT_VARIABLE"))).toEqual([]);
    const drifted = text.replace("    HCI_TAGS: $[[ inputs.tags ]]", "    HCI_IMAGE_TAGS: $[[ inputs.tags ]]");
    const found = checkTemplate(parseTemplate(drifted, file), { component: "build-push" }).filter((d) => d.code.startsWith("INPUT_VARIABLE"));
    expect(found.map((d) => [d.code, d.file])).toEqual([
      ["INPUT_VARIABLE_NAME", file],
      ["INPUT_VARIABLE_MISSING", file],
    ]);
    expect(found[0]).toMatchObject({
      line,
      column: 5,
      message: "job `$[[ inputs.job_name ]]`: input `tags` reaches the shell as `HCI_IMAGE_TAGS`, not `HCI_TAGS`",
      expected: "HCI_TAGS: $[[ inputs.tags ]]",
      actual: "HCI_IMAGE_TAGS: $[[ inputs.tags ]]",
    });
    expect(found[0]!.fix).toContain("rename `HCI_IMAGE_TAGS` to `HCI_TAGS`");
    // The shell (templates/build-push/config.sh) still reads HCI_TAGS, which nothing sets now.
    expect(found[1]!.message).toBe(
      "job `$[[ inputs.job_name ]]`: the shell reads `HCI_TAGS`, the variable of input `tags`, which the job's variables do not pass",
    );
    expect(drifted.split("\n")[found[1]!.line - 1]).toContain("$HCI_TAGS");
    expect(found[1]!.fix).toBe("add `HCI_TAGS: $[[ inputs.tags ]]` under the job's variables, or correct the name in the .sh file");
  });

  it("refuses an input's variable name holding something else, and an input mixed with other text", () => {
    const base = readFileSync("test/fixtures/rules/valid/template.yml", "utf8").replace("  script:", "  variables:\n    VARS\n  script:");
    const codes = (vars: string) =>
      checkTemplate(parseTemplate(base.replace("VARS", vars), "t.yml"), { component: "t", gitlabSchema }).map((d) => [d.code, d.message]);
    expect(codes("HCI_STAGE: $[[ inputs.stage ]]\n    HCI_OTHER: plain")).toEqual([]);
    expect(codes("HCI_STAGE:\n      value: $[[ inputs.stage ]]\n      expand: false")).toEqual([]);
    expect(codes("HCI_STAGE: fixed")).toEqual([
      ["INPUT_VARIABLE_NAME", "job `$[[ inputs.job_name ]]`: `HCI_STAGE` is the variable of input `stage`, but holds something else"],
    ]);
    expect(codes("HCI_STAGE: x-$[[ inputs.stage ]]")).toEqual([
      ["INPUT_VARIABLE_NAME", "job `$[[ inputs.job_name ]]`: `HCI_STAGE` mixes input `stage` with other text"],
    ]);
  });

  it("points an undeclared input at its block", () => {
    const [d] = diagnose("UNDECLARED_INPUT");
    expect(d).toMatchObject({ code: "UNDECLARED_INPUT", line: 14, column: 12 });
  });
});

describe("RE2 compatibility (Google's RE2, as GitLab's re2 gem)", () => {
  it.each([
    ["^(?=a)b", "invalid perl operator"],
    ["^(?!latest)", "invalid perl operator"],
    ["(?<=a)b", "invalid perl operator"],
    ["(?<!a)b", "invalid perl operator"],
    ["(a)\\1", "invalid escape sequence"],
    ["(?>a)", "invalid perl operator"],
    ["a++", "bad repetition operator"],
  ])("refuses %s (%s)", (pattern, reason) => {
    expect(re2Error(pattern)).toContain(reason);
  });

  it.each(["^[a-z0-9]+([._-][a-z0-9]+)*$", "^v\\d+\\.\\d+$", "[(?=]", "^(?:a|b)$", "\\\\1", "(?i)^main$", "[[:alpha:]]", "a{,3}", "^\\p{Greek}+$"])(
    "accepts %s",
    (pattern) => {
      expect(re2Error(pattern)).toBeUndefined();
    },
  );
});
