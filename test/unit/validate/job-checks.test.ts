// validate applies the job's own input checks (issue 18 item 7), and its TypeScript mirrors cannot
// drift from the shell: hci_plain_value and the generated @pattern checks are run here, for real,
// in busybox sh on a table of values, and compared with the mirrors' verdicts and messages.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { InputsSchema } from "../../../scripts/lib/ci/inputs-schema.ts";
import { projectRoot } from "../../../scripts/lib/project.ts";
import { PLAIN_VALUE_INPUTS, patternRefusal, plainValueRefusal } from "../../../scripts/lib/validate/job-checks.ts";
import { loadSchemas, validatePipeline } from "../../../scripts/lib/validate/pipeline.ts";
import { busybox } from "../components/support.ts";

const COMMON = ["log.sh", "helpers.sh"].map((f) => readFileSync(join(projectRoot, "templates/lib", f), "utf8")).join("\n");
const schemas = loadSchemas(join(projectRoot, "templates"));

/** An Alpine-like PATH: the job image's awk is busybox's (the host's mawk lacks `{m,n}`). */
const APPLETS = mkdtempSync(join(tmpdir(), "hci-applets-"));
for (const applet of ["awk", "sh", "printf"]) symlinkSync(busybox(), join(APPLETS, applet));

/** Runs `script` after templates/lib/log.sh and helpers.sh in busybox sh; exit code and the ERROR: line. */
function sh(script: string, env: Record<string, string> = {}): { code: number; message: string | undefined } {
  const r = spawnSync(busybox(), ["sh", "-c", `${COMMON}\n${script}`], { encoding: "utf8", env: { PATH: APPLETS, ...env } });
  return { code: r.status ?? -1, message: /^ERROR: (.*)$/s.exec(r.stderr.trimEnd())?.[1] };
}

const VALUES = [
  "--help",
  "-x",
  "-",
  "a-b",
  "registry.example.com:8443",
  "a..b",
  "..",
  "../etc",
  "a.b.c",
  "my-app",
  "team/my-app",
  "x-..",
  "",
  " -x",
  "a\n-b",
  "a.\n.b",
  "ünïcode",
  "'quoted'",
];

describe("hci_plain_value: the mirror and the shell agree", () => {
  for (const value of VALUES) {
    it(`value ${JSON.stringify(value)}`, () => {
      const real = sh('hci_plain_value "$L" "$V"', { L: "input image", V: value });
      const mirror = plainValueRefusal("input image", value);
      expect(real.code === 2 ? "refused" : real.code === 0 ? "accepted" : `exit ${real.code}`).toBe(mirror ? "refused" : "accepted");
      expect(real.message).toBe(mirror);
    });
  }

  it("the inputs each config.sh passes to hci_plain_value are the mirror's, with the same labels", () => {
    const found: Record<string, Record<string, string>> = {};
    for (const component of schemas.keys()) {
      let config: string;
      try {
        config = readFileSync(join(projectRoot, "templates", component, "config.sh"), "utf8");
      } catch {
        continue;
      }
      const template = readFileSync(join(projectRoot, "templates", component, "template.yml"), "utf8");
      for (const m of config.matchAll(/^hci_plain_value "([^"]+)" "\$(HCI_[A-Z_]+)"$/gm)) {
        // HCI_REG comes from the input registry when it is set (hci_registry_config).
        const variable = m[2] === "HCI_REG" ? "HCI_REGISTRY" : m[2]!;
        const input = new RegExp(`^\\s+${variable}: \\$\\[\\[ inputs\\.(\\w+) \\]\\]$`, "m").exec(template)?.[1];
        expect(input, `${component}: ${variable}`).toBeDefined();
        found[component] = { ...found[component], [input!]: m[1]!.replace("$hci_reg_source", "input registry") };
      }
    }
    expect(found).toEqual(PLAIN_VALUE_INPUTS);
  });
});

/** The generated check lines of a component's template.yml, one pair per input. */
function generatedChecks(component: string): Array<{ input: string; variable: string; script: string }> {
  const template = readFileSync(join(projectRoot, "templates", component, "template.yml"), "utf8");
  const out: Array<{ input: string; variable: string; script: string }> = [];
  for (const m of template.matchAll(/^\s*(HCI_V=\$(HCI_[A-Z_]+) awk .*\|\|)\n\s*(hci_fail 2 "input (\w+) is .*)$/gm)) {
    out.push({ input: m[4]!, variable: m[2]!, script: `${m[1]}\n${m[3]}` });
  }
  return out;
}

const PATTERN_VALUES = [
  "",
  "-bad",
  "stage1",
  "a b",
  "x\ny",
  "A=1\nB=2",
  "1A=x",
  "tcp://docker:2376",
  "ftp://x",
  "registry.example.com:8443",
  "--help",
  "a/b",
  "ok_name",
  "# comment",
];

describe("the generated @pattern checks: the mirror and the shell agree", () => {
  for (const component of ["build-push", "pull-run"]) {
    const checks = generatedChecks(component);
    it(`${component} has generated checks for exactly its inputs with a pattern and an empty default`, () => {
      const schema = schemas.get(component)!;
      const expected = Object.entries(schema.properties)
        .filter(([, p]) => p.pattern !== undefined && p.default === "")
        .map(([n]) => n);
      expect(checks.map((c) => c.input).sort()).toEqual(expected.sort());
    });
    for (const check of checks) {
      it(`${component} input ${check.input}, on ${PATTERN_VALUES.length} values`, () => {
        const pattern = (schemas.get(component) as InputsSchema).properties[check.input]!.pattern!;
        for (const value of PATTERN_VALUES) {
          const real = sh(check.script, { [check.variable]: value });
          const mirror = patternRefusal(component, check.input, pattern, value);
          expect({ value, refused: real.code !== 0, message: real.message }).toEqual({ value, refused: mirror !== undefined, message: mirror });
        }
      });
    }
  }
});

const temps: string[] = [APPLETS];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function validateInputs(component: string, inputs: string): Array<{ code: string; message: string; line: number; actual?: string }> {
  const dir = mkdtempSync(join(tmpdir(), "hci-jobchecks-"));
  temps.push(dir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, ".gitlab-ci.yml");
  writeFileSync(file, `include:\n  - component: $CI_SERVER_FQDN/platform/harbor-ci-components/${component}@1.0.0\n    inputs:\n${inputs}`);
  return validatePipeline({ file, projectDir: dir, schemas, library: "harbor-ci-components" }).diagnostics.map((d) => ({
    code: d.code,
    message: d.message,
    line: d.line,
    ...(d.actual !== undefined ? { actual: d.actual } : {}),
  }));
}

describe("validate refuses what the job would refuse at run time", () => {
  it("registry: --help, naming the input, the value and the job's message", () => {
    expect(validateInputs("build-push", "      image_name: app\n      registry: --help\n")).toEqual([
      {
        code: "JOB_INPUT_REFUSED",
        line: 5,
        actual: "--help",
        message:
          "build-push: the job would stop at run time with: registry (from input registry) '--help' starts with '-', which docker would read as an option.",
      },
    ]);
  });

  it("a target outside its @pattern (not in spec:inputs, so GitLab lets it through)", () => {
    const d = validateInputs("build-push", "      image_name: app\n      target: '-bad target'\n");
    expect(d.map((x) => x.code)).toEqual(["JOB_INPUT_REFUSED"]);
    expect(d[0]!.message).toContain("input target is '-bad target', which does not match ^([A-Za-z0-9][A-Za-z0-9_.-]*)?$:");
  });

  it("pull-run: an option-like registry; an image with `..` is GitLab's own refusal, reported once", () => {
    const d = validateInputs("pull-run", "      image: registry.example.com/app:1\n      registry: -v\n");
    expect(d.map((x) => `${x.code} ${x.actual}`)).toEqual(["JOB_INPUT_REFUSED -v"]);
    expect(validateInputs("pull-run", "      image: registry.example.com/a..b:1\n").map((x) => x.code)).toEqual(["INVALID_INPUT"]);
  });

  it("values with $ (expanded by the runner) and accepted values are not refused; GitLab's own refusal is reported once", () => {
    expect(validateInputs("build-push", "      image_name: app\n      registry: $MY_REGISTRY\n      target: $STAGE\n")).toEqual([]);
    expect(validateInputs("build-push", "      image_name: app\n      registry: harbor.example.com:8443\n      target: build\n")).toEqual([]);
    expect(validateInputs("build-push", "      image_name: app\n      project: a..b\n").map((x) => x.code)).toEqual(["INVALID_INPUT"]);
  });
});
