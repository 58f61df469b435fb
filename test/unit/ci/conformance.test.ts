// The conformance table (test/unit/ci/conformance-cases.ts) against the one model of GitLab's input
// handling that render, validate and check use; and the README's support table against both.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BANDS, bandOf, supportTable, SUPPORT_MARKERS } from "../../../scripts/lib/ci/versions.ts";
import { includeErrorMessage, validateInputs } from "../../../scripts/lib/ci/inputs.ts";
import { parseTemplate, renderComponent, renderTemplate, RenderError } from "../../../scripts/lib/ci/render.ts";
import { CASES, type Case, type InputsCase, type TemplateCase } from "./conformance-cases.ts";
import { stringify } from "yaml";

const isTemplate = (c: Case): c is TemplateCase => "body" in c;

describe("GitLab input handling conformance", () => {
  it("has at least 40 cases, each citing a GitLab file at a commit", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const c of CASES) {
      expect(c.source.file, c.name).toMatch(/^(lib|config)\//);
      expect(c.source.commit, c.name).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it("covers every category the issue lists and every supported version band", () => {
    expect(new Set(CASES.map((c) => c.category)).size).toBe(9);
    for (const band of BANDS)
      expect(
        CASES.some((c) => bandOf(c.gitlab) === band),
        `no case for GitLab ${band.from}`,
      ).toBe(true);
  });

  for (const c of CASES.filter((x): x is InputsCase => !isTemplate(x))) {
    it(`GitLab ${c.gitlab}: ${c.name}`, () => {
      const band = bandOf(c.gitlab)!;
      const result = validateInputs(c.spec, c.inputs, band);
      expect(result.errors).toEqual(c.errors ?? []);
      if (c.values) expect(result.values).toEqual(c.values);
      if (c.message) expect(includeErrorMessage(result.errors)).toBe(c.message);
    });
  }

  for (const c of CASES.filter(isTemplate)) {
    it(`GitLab ${c.gitlab}: ${c.name}`, () => {
      const text = stringify({ spec: { inputs: c.spec } }) + "---\n" + c.body;
      const run = () => renderTemplate(parseTemplate(text, "t.yml"), "t", c.inputs, { band: bandOf(c.gitlab)!, flags: new Set(c.flags ?? []) });
      if (c.errors) {
        try {
          run();
          expect.unreachable("GitLab rejects this include");
        } catch (e) {
          if (!(e instanceof RenderError)) throw e;
          expect(e.messages).toEqual(c.errors);
        }
      } else expect(run().body).toEqual(c.rendered);
    });
  }
});

describe("README support table", () => {
  it("is the generated table of the same version bands", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf(SUPPORT_MARKERS.begin) + SUPPORT_MARKERS.begin.length + 1, readme.indexOf(SUPPORT_MARKERS.end));
    expect(section).toBe(supportTable());
  });

  it("cites, for every band, files that its conformance cases follow", () => {
    for (const band of BANDS) {
      const cited = new Set(CASES.filter((c) => bandOf(c.gitlab) === band).map((c) => c.source.file));
      expect(
        band.sources.some((s) => cited.has(s.file)),
        `GitLab ${band.from}: no case cites ${band.sources.map((s) => s.file).join(", ")}`,
      ).toBe(true);
    }
  });
});

describe("the components on every supported GitLab version", () => {
  const required: Record<string, Record<string, unknown>> = {
    "build-push": { image_name: "my-app" },
    "pull-run": {},
    "service-db": { image: "node:20", script: ["npm test"] },
  };
  for (const band of BANDS) {
    for (const [component, inputs] of Object.entries(required)) {
      it(`GitLab ${band.from}: ${component} loads with its defaults`, () => {
        expect(() => renderComponent(component, inputs, { band })).not.toThrow();
      });
    }
    it(`GitLab ${band.from}: a number given as "3" is ${band.inputs === "ci-inputs" ? "coerced" : "refused with GitLab's message"}`, () => {
      const run = () => renderComponent("build-push", { image_name: "my-app", push_retries: "3" }, { band });
      if (band.inputs === "ci-inputs") expect(run().inputs["push_retries"]).toBe(3);
      else expect(run).toThrow("`push_retries` input: provided value is not a number");
    });
  }

  it("renders a job_name regex with (?i) for job_name=BUILD (RE2, not JavaScript's RegExp)", () => {
    const text =
      'spec:\n  inputs:\n    job_name:\n      type: string\n      default: build\n      regex: (?i)^[a-z][a-z0-9_ .:/-]*$\n---\n"$[[ inputs.job_name ]]":\n  script: [echo]\n';
    for (const band of BANDS) expect(Object.keys(renderTemplate(parseTemplate(text, "t.yml"), "t", { job_name: "BUILD" }, { band }).body)).toEqual(["BUILD"]);
  });
});
