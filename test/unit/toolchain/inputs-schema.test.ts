import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateInputSchemas, type SchemaResult } from "../../../scripts/lib/toolchain/inputs-schema.ts";
import { componentPaths } from "../../../scripts/lib/project.ts";
import { specHeaderText } from "../../../scripts/lib/ci/spec-inputs.ts";

// One folder per case: inputs.ts, and either expected.spec.yml or expected.errors.txt
// ("CODE line:column" per line).
const dir = "test/fixtures/schema";
const cases = readdirSync(dir)
  .sort()
  .map((name) => componentPaths(name, dir));

let result: SchemaResult;
beforeAll(() => {
  // All cases in one program, as `npm run generate` does for all components.
  result = generateInputSchemas(cases);
});

describe("TypeScript inputs -> JSON Schema -> spec:inputs", () => {
  for (const c of cases) {
    const spec = join(c.dir, "expected.spec.yml");
    const errors = join(c.dir, "expected.errors.txt");
    if (existsSync(spec)) {
      it(`${c.name}: generates the golden spec:inputs`, () => {
        const schema = result.schemas.get(c.name);
        expect(result.diagnostics.filter((d) => d.file.includes(`/${c.name}/`))).toEqual([]);
        expect(schema).toBeDefined();
        expect(specHeaderText(c.name, schema!)).toBe(readFileSync(spec, "utf8"));
      });
    } else {
      it(`${c.name}: is rejected with the expected codes and locations`, () => {
        const got = result.diagnostics.filter((d) => d.file.includes(`/${c.name}/`)).map((d) => `${d.code} ${d.line}:${d.column}`);
        expect(got.join("\n") + "\n").toBe(readFileSync(errors, "utf8"));
        expect(result.schemas.has(c.name)).toBe(false);
      });
    }
  }

  it("maps a union of string literals to options and a required property to no default", () => {
    const s = result.schemas.get("literal-options")!;
    expect(s.properties["latest"]).toMatchObject({ type: "string", default: "never", enum: ["always", "default-branch", "never"] });
    const p = result.schemas.get("pattern-and-description")!;
    expect(p.required).toEqual(["image_name"]);
    expect(p.properties["image_name"]!.default).toBeUndefined();
  });

  it("names the property and says why when GitLab cannot express its type", () => {
    const d = result.diagnostics.find((x) => x.file.includes("/nested-object/"))!;
    expect(d.message).toContain("`settings`");
    expect(d.message).toContain("it is an object");
    const m = result.diagnostics.find((x) => x.file.includes("/mixed-union/"))!;
    expect(m.message).toContain("`version`");
    expect(m.message).toMatch(/union of string and number/);
  });

  it("writes a generated-file comment into every schema", () => {
    const s = result.schemas.get("basic-types")!;
    expect(s.$comment).toMatch(/^Generated from .*inputs\.ts by `npm run generate`/);
    expect(s.additionalProperties).toBe(false);
  });
});
