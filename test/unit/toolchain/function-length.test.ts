import { describe, expect, it } from "vitest";
import { findLongFunctions, longFunctionDiagnostic, MAX_FUNCTION_LINES } from "../../../scripts/lib/toolchain/function-length.ts";

/** A function declaration spanning exactly `lines` lines (header, body statements, closing brace). */
const declaration = (name: string, lines: number, indent = ""): string =>
  [`${indent}function ${name}() {`, ...Array.from({ length: lines - 2 }, (_, i) => `${indent}  const v${i} = ${i};`), `${indent}}`].join("\n");

describe("function length check", () => {
  it(`fires on a ${MAX_FUNCTION_LINES + 1}-line function, with its name, file, line and length`, () => {
    const text = `// header\n\n${declaration("tooLong", MAX_FUNCTION_LINES + 1)}\n`;
    const found = findLongFunctions("scripts/x.ts", text);
    expect(found).toEqual([{ file: "scripts/x.ts", name: "tooLong", line: 3, length: MAX_FUNCTION_LINES + 1 }]);
    const d = longFunctionDiagnostic(found[0]!);
    expect(d).toMatchObject({
      code: "FUNCTION_TOO_LONG",
      file: "scripts/x.ts",
      line: 3,
      expected: `at most ${MAX_FUNCTION_LINES} lines`,
      actual: `${MAX_FUNCTION_LINES + 1} lines`,
    });
    expect(d.fix).toContain("section comments");
  });

  it(`accepts a function of exactly ${MAX_FUNCTION_LINES} lines`, () => {
    expect(findLongFunctions("scripts/x.ts", declaration("justRight", MAX_FUNCTION_LINES))).toEqual([]);
  });

  it("counts methods, arrow functions and callbacks, named after what holds them", () => {
    const body = Array.from({ length: 4 }, (_, i) => `    x${i}();`).join("\n");
    const text = ["class Runner {", "  run() {", body, "  }", "}", "const step = async () => {", body, "};", "items.forEach(function (x) {", body, "});"].join(
      "\n",
    );
    expect(findLongFunctions("scripts/y.ts", text, 5).map((f) => [f.name, f.line, f.length])).toEqual([
      ["Runner.run", 2, 6],
      ["step", 9, 6],
      ["<callback of items.forEach>", 15, 6],
    ]);
  });

  it("counts a nested function on its own and inside its outer function's full span", () => {
    // Outer: 3 own lines + an 8-line inner function = 11 lines; the inner function: 8.
    const text = ["function outer() {", declaration("inner", 8, "  "), "  return inner;", "}"].join("\n");
    expect(findLongFunctions("scripts/z.ts", text, 10).map((f) => [f.name, f.length])).toEqual([["outer", 11]]);
    expect(findLongFunctions("scripts/z.ts", text, 7).map((f) => [f.name, f.length])).toEqual([
      ["outer", 11],
      ["inner", 8],
    ]);
  });

  it("reads JavaScript files (bin/) too", () => {
    expect(findLongFunctions("bin/x.js", declaration("main", 12), 10).map((f) => f.name)).toEqual(["main"]);
  });
});
