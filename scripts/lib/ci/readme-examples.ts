// The README's YAML examples that include a component: they must render and validate.
import { parse } from "yaml";
import type { Diagnostic, Location } from "../cli/diagnostics.ts";
import { parseComponentReference } from "./component-reference.ts";

/** An include of a component with its inputs, from the README or the project's own pipeline. */
export interface Example {
  inputs: Record<string, unknown>;
  location: Location;
  label: string;
}

export interface FencedBlock {
  lang: string;
  text: string;
  /** 1-based line of the first line inside the fence. */
  line: number;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const out: FencedBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    out.push({ lang: open[1] ?? "", text: lines.slice(start, end).join("\n"), line: start + 1 });
    i = end;
  }
  return out;
}

export interface ReadmeExamples {
  examples: Map<string, Example[]>;
  diagnostics: Diagnostic[];
}

/** Collects, per component, the inputs of every README example that includes it. */
export function readmeExamples(markdown: string, file: string, components: string[]): ReadmeExamples {
  const examples = new Map<string, Example[]>(components.map((c) => [c, []]));
  const diagnostics: Diagnostic[] = [];
  for (const block of fencedBlocks(markdown)) {
    if (block.lang !== "yaml" && block.lang !== "yml") continue;
    if (!block.text.includes("component:")) continue;
    let doc: unknown;
    try {
      doc = parse(block.text);
    } catch (e) {
      diagnostics.push({
        code: "README_EXAMPLE_INVALID",
        severity: "error",
        file,
        line: block.line,
        column: 1,
        message: `the YAML example does not parse: ${(e as Error).message.split("\n")[0]}`,
        fix: "fix the example",
      });
      continue;
    }
    const include = doc && typeof doc === "object" ? (doc as Record<string, unknown>)["include"] : undefined;
    for (const entry of Array.isArray(include) ? include : include ? [include] : []) {
      if (!entry || typeof entry !== "object" || typeof (entry as Record<string, unknown>)["component"] !== "string") continue;
      const { component, inputs } = entry as { component: string; inputs?: Record<string, unknown> };
      const ref = parseComponentReference(component);
      const offset = block.text.split("\n").findIndex((l) => l.includes(component));
      const location = { file, line: block.line + Math.max(offset, 0), column: 1 };
      if (!ref || !examples.has(ref.name)) {
        diagnostics.push({
          code: "README_EXAMPLE_INVALID",
          severity: "error",
          ...location,
          message: `the example includes an unknown component: ${component}`,
          expected: components.join(", "),
          fix: "name one of this library's components",
        });
        continue;
      }
      examples.get(ref.name)!.push({ inputs: inputs ?? {}, location, label: `the README example at line ${location.line}` });
    }
  }
  return { examples, diagnostics };
}
