// A bad `regex` is written by hand in an inputs.ts (`@pattern` in JSDoc), then copied by
// `generate` into the schema and the spec header. Its diagnostic belongs where it was written,
// and nothing may be written while it stands: generate would copy it into three files.
// This only moves diagnostics; how a pattern is checked stays with the template rules.

import { readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { positionOf, type Diagnostic } from "../cli/diagnostics.ts";

/** Codes of a pattern GitLab would refuse or never match; they stop `generate` from writing. */
export const SOURCE_REGEX_CODES: ReadonlySet<string> = new Set(["REGEX_NOT_RE2", "REGEX_INVALID"]);

/** The inputs.ts files an input's JSDoc can live in: the component's, then the shared one. */
function candidateSources(root: string, component: string): string[] {
  return [join(root, "templates", component, "inputs.ts"), join(root, "templates", "common-inputs.ts")].filter((p) => existsSync(p));
}

/** Points each regex diagnostic of a template at the `@pattern` line that wrote it, when found. */
export function relocateRegexDiagnostics(diagnostics: Diagnostic[], root: string): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!SOURCE_REGEX_CODES.has(d.code) || d.actual === undefined) return d;
    const component = /templates\/([\w-]+)\/template\.yml$/.exec(d.file.replace(/\\/g, "/"))?.[1];
    const input = /input `([^`]+)`/.exec(d.message)?.[1];
    if (!component) return d;
    for (const source of candidateSources(root, component)) {
      const text = readFileSync(source, "utf8");
      const needle = `@pattern ${d.actual}`;
      // The @pattern in the JSDoc right above the input's property, else the first one.
      const property = input ? new RegExp(`\\n\\s*${input.replace(/[^\w-]/g, "")}\\??\\s*:`).exec(text)?.index : undefined;
      const at = property !== undefined ? text.lastIndexOf(needle, property) : text.indexOf(needle);
      if (at < 0) continue;
      const pos = positionOf(text, at);
      return {
        ...d,
        file: relative(process.cwd(), source) || source,
        line: pos.line,
        column: pos.column,
        fix: `${d.fix ?? "fix the pattern"}; then run \`npm run generate\` (nothing was written)`,
      };
    }
    return d;
  });
}

/** Whether `generate` must write nothing: a pattern in an inputs.ts is wrong. */
export function blocksWriting(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error" && SOURCE_REGEX_CODES.has(d.code));
}
