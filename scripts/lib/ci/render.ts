// The renderer: what GitLab merges into a pipeline when a project includes a component.
// The same functions are the programmatic API for tests and the other commands.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { LineCounter, parseAllDocuments, stringify, type Document } from "yaml";
import { DiagnosticError, type Diagnostic } from "../cli/diagnostics.ts";
import { interpolate, InterpolationError } from "./interpolate.ts";
import { validateInputs, type InputSpecs } from "./inputs.ts";
import { OLDEST, type Band } from "./versions.ts";
import { COMPONENT_NAME, componentPaths, listComponents } from "../project.ts";

export interface ParsedTemplate {
  file: string;
  text: string;
  specs: InputSpecs;
  body: unknown;
  headerDoc: Document.Parsed;
  bodyDoc: Document.Parsed;
  lineCounter: LineCounter;
}

function notSpec(file: string, message: string, actual: string, line = 0): DiagnosticError {
  return new DiagnosticError([
    {
      code: "NOT_A_SPEC_DOCUMENT",
      severity: "error",
      file,
      line,
      column: line ? 1 : 0,
      message,
      expected: "a `spec:` document with `inputs:`, a `---` line, and the body",
      actual,
      fix: "start the file with `spec: inputs: ...`, then `---`, then the jobs",
    },
  ]);
}

/** Splits a component file into its spec header and body. Throws DiagnosticError when it is not one. */
export function parseTemplate(text: string, file: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) throw notSpec(file, "the file holds no YAML document", "an empty file");
  for (const doc of docs) {
    const e = doc.errors[0];
    if (e) {
      const pos = lineCounter.linePos(e.pos[0]);
      throw new DiagnosticError([
        { code: "YAML_SYNTAX", severity: "error", file, line: pos.line, column: pos.col, message: e.message, fix: "fix the YAML syntax" },
      ]);
    }
  }
  if (docs.length !== 2) {
    throw notSpec(file, `a component file is two YAML documents; this one has ${docs.length}`, `${docs.length} document(s)`);
  }
  const [headerDoc, bodyDoc] = docs as [Document.Parsed, Document.Parsed];
  const header = headerDoc.toJS() as unknown;
  if (!header || typeof header !== "object" || Array.isArray(header) || !("spec" in header)) {
    throw notSpec(file, "the first document is not a `spec:` header", JSON.stringify(header)?.slice(0, 80) ?? "nothing", 1);
  }
  const spec = (header as { spec: unknown }).spec;
  const inputs = spec && typeof spec === "object" && "inputs" in spec ? (spec as { inputs: unknown }).inputs : undefined;
  if (inputs !== undefined && inputs !== null && (typeof inputs !== "object" || Array.isArray(inputs))) {
    throw notSpec(file, "`spec:inputs` is not a mapping of input names", typeof inputs, 1);
  }
  const body = bodyDoc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw notSpec(file, "the body (after `---`) is not a mapping of jobs", body === null ? "an empty body" : typeof body);
  }
  return { file, text, specs: (inputs ?? {}) as InputSpecs, body, headerDoc, bodyDoc, lineCounter };
}

export interface RenderOptions {
  /** Variables that `expand_vars` may expand. */
  variables?: Record<string, string>;
  /** The GitLab version band to render as (gitlab-versions.ts); the oldest supported when absent. */
  band?: Band;
  /** GitLab feature flags switched on. */
  flags?: ReadonlySet<string>;
}

export interface RenderResult {
  component: string;
  inputs: Record<string, unknown>;
  /** The jobs GitLab merges into the pipeline. */
  body: Record<string, unknown>;
  yaml: string;
}

/** GitLab's errors for an include: its own messages, in its order. */
export class RenderError extends Error {
  constructor(
    readonly component: string,
    readonly messages: string[],
  ) {
    super(messages.join("\n"));
    this.name = "RenderError";
  }
}

export function renderTemplate(parsed: ParsedTemplate, component: string, args: Record<string, unknown>, options: RenderOptions = {}): RenderResult {
  const band = options.band ?? OLDEST;
  const { values, errors } = validateInputs(parsed.specs, args, band);
  if (errors.length > 0) throw new RenderError(component, errors);
  let body: unknown;
  try {
    body = interpolate(parsed.body, { inputs: values, variables: options.variables, band, flags: options.flags });
  } catch (e) {
    if (e instanceof InterpolationError) throw new RenderError(component, [e.message]);
    throw e;
  }
  return {
    component,
    inputs: values,
    body: body as Record<string, unknown>,
    yaml: stringify(body, { lineWidth: 0, aliasDuplicateObjects: false }),
  };
}

const cache = new Map<string, ParsedTemplate>();

/** Parses a component's template from templates/ (cached per file). */
export function loadTemplate(name: string, templatesDir?: string): ParsedTemplate {
  // A name is never a path: `../../x` would read any template.yml on disk.
  if (!COMPONENT_NAME.test(name)) {
    const known = listComponents(templatesDir).map((c) => c.name);
    throw new DiagnosticError([
      {
        code: "COMPONENT_NAME_INVALID",
        severity: "error",
        file: name,
        line: 0,
        column: 0,
        message: `\`${name}\` is not a component name`,
        expected: `a name matching ${COMPONENT_NAME.source} (GitLab's rule), one of: ${known.join(", ")}`,
        actual: name,
        fix: "pass the component's name, not a path",
      },
    ]);
  }
  const paths = componentPaths(name, templatesDir);
  const cached = cache.get(paths.template);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(paths.template, "utf8");
  } catch {
    const known = listComponents(templatesDir).map((c) => c.name);
    const diagnostic: Diagnostic = {
      code: "UNKNOWN_COMPONENT",
      severity: "error",
      file: relative(process.cwd(), paths.template),
      line: 0,
      column: 0,
      message: `no component named \`${name}\``,
      expected: known.join(", "),
      actual: name,
      fix: `use one of: ${known.join(", ")}`,
    };
    throw new DiagnosticError([diagnostic]);
  }
  const parsed = parseTemplate(text, relative(process.cwd(), paths.template));
  cache.set(paths.template, parsed);
  return parsed;
}

/** Renders component `name` with `inputs` as GitLab would. Throws RenderError with GitLab's messages. */
export function renderComponent(name: string, inputs: Record<string, unknown> = {}, options: RenderOptions & { templatesDir?: string } = {}): RenderResult {
  return renderTemplate(loadTemplate(name, options.templatesDir), name, inputs, options);
}
