// JSON Schema of a component's inputs -> the template's `spec:inputs` header and the README table.
import { stringify } from "yaml";
import type { InputSpec } from "./inputs.ts";
import type { InputsSchema } from "./inputs-schema.ts";

export const GENERATED_HEADER_COMMENT = (component: string) =>
  `# spec:inputs is generated from templates/${component}/inputs.ts by \`npm run generate\`.\n` +
  `# Edit the TypeScript type, not this header; the body below the --- is hand-written, except the\n# shell blocks between \`# >>>\` and \`# <<<\` markers, generated from the .sh files they name.\n`;

/** The `spec:inputs` map. `type` is always written: GitLab's schema rejects a default without one. */
export function specInputsFromSchema(schema: InputsSchema): Record<string, InputSpec> {
  const inputs: Record<string, InputSpec> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const spec: InputSpec = {};
    if (p.description) spec.description = p.description;
    spec.type = p.type;
    if (p.default !== undefined) spec.default = p.default;
    if (p.enum) spec.options = p.enum;
    // An empty default cannot carry a regex on GitLab 17.0–18.2: the job checks it (input-checks.ts).
    if (p.pattern && p.default !== "") spec.regex = p.pattern;
    inputs[name] = spec;
  }
  return inputs;
}

export function specHeaderText(component: string, schema: InputsSchema): string {
  return GENERATED_HEADER_COMMENT(component) + stringify({ spec: { inputs: specInputsFromSchema(schema) } }, { lineWidth: 0, flowCollectionPadding: false });
}

/** The index of the `---` line that ends the spec document, or -1. */
export function documentSeparatorIndex(text: string): number {
  const m = /^---[ \t]*$/m.exec(text);
  return m ? m.index : -1;
}

/** The template with its header replaced; the body (from `---` on) is kept byte for byte. */
export function withSpecHeader(templateText: string, header: string): string | undefined {
  const sep = documentSeparatorIndex(templateText);
  if (sep < 0) return undefined;
  return header + templateText.slice(sep);
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(value: unknown): string {
  if (value === "") return '`""`';
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // A backtick inside needs a longer fence.
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function readmeTable(schema: InputsSchema): string {
  const rows = ["| Input | Type | Default | Description |", "| --- | --- | --- | --- |"];
  for (const [name, p] of Object.entries(schema.properties)) {
    let description = p.description ?? "";
    if (p.enum) description += ` One of ${p.enum.map(code).join(", ")}.`;
    if (p.pattern) description += ` Must match ${code(p.pattern)}.`;
    const dflt = p.default === undefined ? "**required**" : code(p.default);
    rows.push(`| ${code(name)} | ${p.type} | ${cell(dflt)} | ${cell(description.trim())} |`);
  }
  return rows.join("\n") + "\n";
}

export const readmeMarkers = (component: string) => ({
  begin: `<!-- BEGIN GENERATED INPUTS: ${component} (npm run generate) -->`,
  end: `<!-- END GENERATED INPUTS: ${component} -->`,
});

/**
 * The README with the table between a component's markers replaced; text outside them untouched.
 * Returns undefined when the markers are missing.
 */
export function withReadmeTable(readme: string, component: string, table: string): string | undefined {
  const { begin, end } = readmeMarkers(component);
  const b = readme.indexOf(begin);
  const e = readme.indexOf(end, b);
  if (b < 0 || e < 0) return undefined;
  return readme.slice(0, b + begin.length) + "\n" + table + readme.slice(e);
}
