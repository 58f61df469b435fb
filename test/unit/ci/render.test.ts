import { describe, expect, it } from "vitest";
import { interpolate, shellescape } from "../../../scripts/lib/ci/interpolate.ts";
import { validateInputs } from "../../../scripts/lib/ci/inputs.ts";
import { parseTemplate, renderTemplate, RenderError } from "../../../scripts/lib/ci/render.ts";
import { bandOf, NEWEST, type Band } from "../../../scripts/lib/ci/versions.ts";

// The newest GitLab unless a test says otherwise: every function exists there.
function render(template: string, inputs: Record<string, unknown> = {}, variables?: Record<string, string>, band: Band = NEWEST) {
  return renderTemplate(parseTemplate(template, "t.yml"), "t", inputs, { variables, band }).body;
}

function errorsOf(template: string, inputs: Record<string, unknown> = {}, band: Band = NEWEST): string[] {
  try {
    render(template, inputs, undefined, band);
  } catch (e) {
    if (e instanceof RenderError) return e.messages;
    throw e;
  }
  throw new Error("expected a RenderError");
}

const spec = `spec:
  inputs:
    name:
      type: string
    count:
      type: number
      default: 3
    enabled:
      type: boolean
      default: true
    items:
      type: array
      default: [a, b]
---
`;

describe("interpolation", () => {
  it("interpolates job names (keys) and values", () => {
    expect(render(spec + '"$[[ inputs.name ]]-job":\n  script: [echo]\n  variables:\n    N: $[[ inputs.name ]]\n', { name: "x" })).toEqual({
      "x-job": { script: ["echo"], variables: { N: "x" } },
    });
  });

  it("keeps the type of a block that is the whole value", () => {
    const body = render(spec + "j:\n  a: $[[ inputs.count ]]\n  b: $[[ inputs.enabled ]]\n  c: $[[ inputs.items ]]\n", { name: "x" });
    expect(body).toEqual({ j: { a: 3, b: true, c: ["a", "b"] } });
  });

  it("turns a block inside a longer string into text, an array as Ruby prints it", () => {
    const body = render(spec + "j:\n  a: n=$[[ inputs.count ]] e=$[[ inputs.enabled ]] i=$[[ inputs.items ]]\n", { name: "x" });
    expect(body).toEqual({ j: { a: 'n=3 e=true i=["a", "b"]' } });
  });

  it("splices an array block standing as a list item into the list", () => {
    const body = render(spec + "j:\n  script:\n    - first\n    - $[[ inputs.items ]]\n    - last\n", { name: "x", items: ["x", "y"] });
    expect(body).toEqual({ j: { script: ["first", "x", "y", "last"] } });
  });

  it("applies truncate, posix_escape and expand_vars left to right", () => {
    const t = spec + "j:\n  a: $[[ inputs.name | truncate(0,6) | posix_escape ]]\n  b: $[[ inputs.name | expand_vars ]]\n";
    expect(render(t, { name: "it's $NAME now" }, { NAME: "v" })).toEqual({ j: { a: "it\\'s\\ \\$", b: "it's v now" } });
  });

  it("leaves variables that expand_vars does not know", () => {
    expect(render(spec + "j:\n  a: $[[ inputs.name | expand_vars ]]\n", { name: "$UNKNOWN ${X}" })).toEqual({ j: { a: "$UNKNOWN ${X}" } });
  });

  it("refuses more than three functions", () => {
    expect(errorsOf(spec + "j:\n  a: $[[ inputs.name | posix_escape | posix_escape | posix_escape | posix_escape ]]\n", { name: "x" })).toEqual([
      "too many functions in interpolation block",
    ]);
  });

  it("reports an unknown function, key and access pattern with GitLab's messages", () => {
    expect(errorsOf(spec + "j:\n  a: $[[ inputs.name | upcase ]]\n", { name: "x" })).toEqual([
      "no function matching `upcase`: check that the function name, arguments, and types are correct",
    ]);
    expect(errorsOf(spec + "j:\n  a: $[[ inputs.nope ]]\n", { name: "x" })).toEqual(["unknown interpolation key: `nope`"]);
    expect(errorsOf(spec + "j:\n  a: $[[ inputs ]]\n", { name: "x" })).toEqual(["invalid interpolation access pattern"]);
  });

  it("refuses a function on the wrong type, wrapped as functions/base.rb does", () => {
    expect(errorsOf(spec + "j:\n  a: $[[ inputs.count | truncate(0,1) ]]\n", { name: "x" })).toEqual([
      "error in `truncate` function: invalid input type: truncate can only be used with string inputs",
    ]);
  });

  it("has no posix_escape before GitLab 18.6", () => {
    expect(errorsOf(spec + "j:\n  a: $[[ inputs.name | posix_escape ]]\n", { name: "x" }, bandOf("18.5")!)).toEqual([
      "no function matching `posix_escape`: check that the function name, arguments, and types are correct",
    ]);
  });

  it("leaves matrix blocks for the runner", () => {
    expect(interpolate({ a: "$[[ matrix.OS ]]" }, { inputs: {} })).toEqual({ a: "$[[ matrix.OS ]]" });
  });

  it("escapes like Ruby's Shellwords.shellescape", () => {
    expect(shellescape("")).toBe("''");
    expect(shellescape("a b$(id);`x`\"'")).toBe("a\\ b\\$\\(id\\)\\;\\`x\\`\\\"\\'");
    expect(shellescape("a\nb")).toBe("a'\n'b");
  });
});

describe("input validation (GitLab's messages)", () => {
  const specs = {
    image_name: { type: "string", regex: "^[a-z]+$" },
    env: { type: "string", default: "dev", options: ["dev", "prod"] },
    retries: { type: "number", default: 2, options: [1, 2, 3] },
    cache: { type: "boolean", default: true },
    tags: { type: "array", default: [] },
  };

  it("reports a missing required input", () => {
    expect(validateInputs(specs, {}).errors).toEqual(["`image_name` input: required value has not been provided"]);
  });

  it("reports unknown inputs first, all of them", () => {
    expect(validateInputs(specs, { image_name: "a", a: 1, b: 2 }).errors).toEqual(["unknown input arguments: a, b"]);
  });

  it("reports values of the wrong type", () => {
    expect(validateInputs(specs, { image_name: 1, retries: "2", cache: "yes", tags: "x" }).errors).toEqual([
      "`image_name` input: provided value is not a string",
      "`retries` input: provided value is not a number",
      "`retries` input: `2` cannot be used because it is not in the list of the allowed options",
      "`cache` input: provided value is not a boolean",
      "`tags` input: provided value is not an array",
    ]);
  });

  it("reports a value outside the options and one that misses the regex", () => {
    expect(validateInputs(specs, { image_name: "My-App", env: "qa" }).errors).toEqual([
      "`image_name` input: provided value does not match required RegEx pattern",
      "`env` input: `qa` cannot be used because it is not in the list of allowed options",
    ]);
  });

  it("reports an invalid default", () => {
    expect(validateInputs({ n: { type: "number", default: "x" } }, {}).errors).toEqual(["`n` input: default value is not a number"]);
    expect(validateInputs({ s: { type: "string", default: "A", regex: "^[a-z]$" } }, {}).errors).toEqual([
      "`s` input: default value does not match required RegEx pattern",
    ]);
  });

  it("refuses options and regex on types that cannot have them", () => {
    expect(validateInputs({ b: { type: "boolean", default: true, options: [true] } }, {}).errors).toEqual([
      "`b` input: Options can only be used with string and number inputs",
    ]);
    expect(validateInputs({ n: { type: "number", default: 1, regex: "1" } }, {}).errors).toEqual([
      "`n` input: RegEx validation can only be used with string inputs",
    ]);
  });

  it("treats an input without type as a string and an unknown type as an error", () => {
    expect(validateInputs({ s: { default: "x" } }, {}).values).toEqual({ s: "x" });
    expect(validateInputs({ s: { type: "hash" } }, {}).errors).toEqual(["unknown input specification for `s` (valid types: array, boolean, number, string)"]);
  });

  it("uses the default when the input is not provided, and the value when it is", () => {
    expect(validateInputs(specs, { image_name: "app", cache: false }).values).toEqual({
      image_name: "app",
      env: "dev",
      retries: 2,
      cache: false,
      tags: [],
    });
  });
});
