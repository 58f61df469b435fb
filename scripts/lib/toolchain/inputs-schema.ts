// Component inputs as TypeScript types -> one JSON Schema per component.
// All components go through ONE TypeScript program: the compiler starts once, whatever their number.
import { existsSync } from "node:fs";
import { relative } from "node:path";
import * as TJS from "typescript-json-schema";
import type { Diagnostic } from "../cli/diagnostics.ts";
import type { ToolchainCode } from "./codes.ts";
import type { GitlabInputType, InputProperty, InputsSchema } from "../ci/inputs-schema.ts";
import { inputsTypeName, projectRoot, type ComponentPaths } from "../project.ts";

const ts = TJS.ts;

export type { GitlabInputType, InputProperty, InputsSchema } from "../ci/inputs-schema.ts";

export interface SchemaResult {
  schemas: Map<string, InputsSchema>;
  diagnostics: Diagnostic[];
}

const compilerOptions = {
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  module: "NodeNext",
  moduleResolution: "NodeNext",
  target: "ES2022",
  skipLibCheck: true,
  types: [],
};

function rel(file: string): string {
  return relative(process.cwd(), file) || file;
}

function oneLine(text: string | undefined): string | undefined {
  return text?.replace(/\s+/g, " ").trim() || undefined;
}

/** Why a JSON Schema fragment is not one of GitLab's four input types, or the type it maps to. */
export function gitlabTypeOf(def: TJS.Definition): { type: GitlabInputType } | { why: string } {
  const t = def.type;
  if (Array.isArray(t)) {
    return { why: `it is a union of ${t.join(" and ")}; an input has one type (use a union of string literals for options)` };
  }
  if (def.anyOf || def.oneOf || def.allOf) {
    return { why: "it is a union of different kinds of values; an input has one of GitLab's four types (string, number, boolean, array)" };
  }
  switch (t) {
    case "string":
      return { type: "string" };
    case "number":
    case "integer":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "array":
      return { type: "array" };
    case "object":
      return { why: "it is an object; GitLab inputs are strings, numbers, booleans or arrays (flatten it into several inputs)" };
    case "null":
      return { why: "it is null; GitLab inputs are strings, numbers, booleans or arrays" };
    default:
      return { why: "its type could not be mapped (any, unknown or a type GitLab cannot express)" };
  }
}

interface PropertyLocation {
  file: string;
  line: number;
  column: number;
}

function locate(node: import("typescript").Node): PropertyLocation {
  const sf = node.getSourceFile();
  const pos = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { file: rel(sf.fileName), line: pos.line + 1, column: pos.character + 1 };
}

/**
 * Generates the JSON Schema of every component's inputs from its `inputs.ts`.
 * A property GitLab cannot express is a diagnostic that names it and says why.
 */
export function generateInputSchemas(components: ComponentPaths[], root = projectRoot): SchemaResult {
  const diagnostics: Diagnostic[] = [];
  const schemas = new Map<string, InputsSchema>();
  const present = componentsWithInputs(components, diagnostics);
  if (present.length === 0) return { schemas, diagnostics };

  const program = TJS.getProgramFromFiles(
    present.map((c) => c.inputs),
    compilerOptions,
    root,
  );
  diagnostics.push(...typescriptErrors(program));
  if (diagnostics.some((d) => d.code === "TYPESCRIPT_ERROR")) return { schemas, diagnostics };

  const generator = TJS.buildGenerator(program, {
    required: true,
    noExtraProps: false,
    ref: false,
    aliasRef: false,
    topRef: false,
    propOrder: true,
    ignoreErrors: true,
  });
  if (!generator) throw new Error("typescript-json-schema could not build a generator");
  for (const c of present) {
    const schema = componentSchema(c, program, generator, diagnostics, root);
    if (schema) schemas.set(c.name, schema);
  }
  return { schemas, diagnostics };
}

/** The components that have an inputs.ts; MISSING_INPUTS_TYPE for the others. */
function componentsWithInputs(components: ComponentPaths[], diagnostics: Diagnostic[]): ComponentPaths[] {
  return components.filter((c) => {
    if (existsSync(c.inputs)) return true;
    diagnostics.push({
      code: "MISSING_INPUTS_TYPE",
      severity: "error",
      file: rel(c.dir),
      line: 0,
      column: 0,
      message: `component \`${c.name}\` has no inputs.ts`,
      expected: `${rel(c.inputs)} exporting interface ${inputsTypeName(c.name)}`,
      actual: "no such file",
      fix: `create ${rel(c.inputs)} with \`export interface ${inputsTypeName(c.name)} { ... }\``,
    });
    return false;
  });
}

/** Every compile error of the inputs files, as TYPESCRIPT_ERROR. */
function typescriptErrors(program: import("typescript").Program): Diagnostic[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return {
      code: "TYPESCRIPT_ERROR",
      severity: "error",
      file: d.file ? rel(d.file.fileName) : "inputs.ts",
      line: pos ? pos.line + 1 : 0,
      column: pos ? pos.character + 1 : 0,
      message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n  ")}`,
      fix: "fix the TypeScript error; inputs types must compile",
    };
  });
}

/** One component's schema, or undefined when its interface is missing or a property cannot be an input. */
function componentSchema(
  c: ComponentPaths,
  program: import("typescript").Program,
  generator: TJS.JsonSchemaGenerator,
  diagnostics: Diagnostic[],
  root: string,
): InputsSchema | undefined {
  const typeName = inputsTypeName(c.name);
  const decl = exportedInputsInterface(c, program, typeName, diagnostics);
  if (!decl) return undefined;
  const where = propertyLocations(program.getTypeChecker(), decl);
  const interfaceLocation = locate(decl);

  const raw = generator.getSchemaForSymbol(typeName, false) as TJS.Definition;
  const required = new Set(raw.required ?? []);
  const order = raw.propertyOrder ?? Object.keys(raw.properties ?? {});
  const properties: Record<string, InputProperty> = {};
  let ok = true;
  for (const name of order) {
    const def = raw.properties?.[name];
    if (typeof def !== "object") continue;
    const property = inputProperty(name, def, { typeName, required: required.has(name), at: where.get(name) ?? interfaceLocation }, diagnostics);
    if (property) properties[name] = property;
    else ok = false;
  }
  if (!ok) return undefined;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $comment: `Generated from ${relative(root, c.inputs)} by \`npm run generate\`. Do not edit: change the TypeScript type.`,
    title: c.name,
    description: oneLine(raw.description),
    type: "object",
    properties,
    required: order.filter((n) => required.has(n)),
    additionalProperties: false,
  };
}

/** `export interface <Name>Inputs` of the component's inputs.ts, or undefined after MISSING_INPUTS_TYPE. */
function exportedInputsInterface(
  c: ComponentPaths,
  program: import("typescript").Program,
  typeName: string,
  diagnostics: Diagnostic[],
): import("typescript").InterfaceDeclaration | undefined {
  const sf = program.getSourceFile(c.inputs);
  const decl = sf?.statements.find((s): s is import("typescript").InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === typeName);
  const exported = decl?.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (decl && exported) return decl;
  diagnostics.push({
    code: "MISSING_INPUTS_TYPE",
    severity: "error",
    file: rel(c.inputs),
    line: 0,
    column: 0,
    message: `${rel(c.inputs)} does not export interface ${typeName}`,
    expected: `export interface ${typeName} { ... }`,
    actual: decl ? "the interface is not exported" : "no such interface",
    fix: `declare \`export interface ${typeName}\` in ${rel(c.inputs)} (the name is the component's name in PascalCase + Inputs)`,
  });
  return undefined;
}

/** Where each property of the interface is declared (inherited ones in their own file). */
function propertyLocations(checker: import("typescript").TypeChecker, decl: import("typescript").InterfaceDeclaration): Map<string, PropertyLocation> {
  const where = new Map<string, PropertyLocation>();
  for (const prop of checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name))) {
    const d = prop.valueDeclaration ?? prop.declarations?.[0];
    if (d) where.set(prop.getName(), locate(d));
  }
  return where;
}

/** One property as a GitLab input, or undefined after the diagnostics that say why it cannot be one. */
function inputProperty(
  name: string,
  def: TJS.Definition,
  context: { typeName: string; required: boolean; at: PropertyLocation },
  diagnostics: Diagnostic[],
): InputProperty | undefined {
  let ok = true;
  const fail = (code: ToolchainCode, message: string, fix: string, expected?: string, actual?: string) => {
    ok = false;
    diagnostics.push({ code, severity: "error", ...context.at, message, fix, expected, actual });
  };
  const mapped = gitlabTypeOf(def);
  if ("why" in mapped) {
    fail(
      "UNSUPPORTED_INPUT_TYPE",
      `input \`${name}\` of ${context.typeName} cannot be a GitLab input: ${mapped.why}`,
      "declare it as string, number, boolean, an array, or a union of string (or number) literals",
    );
    return undefined;
  }
  const hasDefault = def.default !== undefined;
  if (context.required && hasDefault) {
    fail(
      "REQUIRED_WITH_DEFAULT",
      `input \`${name}\` is required (no \`?\`) but has a @default`,
      `make it optional (\`${name}?:\`) to keep the default, or remove the @default`,
      "a required input has no default",
      `@default ${JSON.stringify(def.default)}`,
    );
  }
  if (!context.required && !hasDefault) {
    fail(
      "MISSING_DEFAULT",
      `input \`${name}\` is optional (\`?\`) but has no @default`,
      `add \`@default <value>\` to its JSDoc, or make it required by removing the \`?\``,
      "an optional input has a default",
      "no @default",
    );
  }
  const description = oneLine(def.description);
  if (!description) {
    fail(
      "MISSING_DESCRIPTION",
      `input \`${name}\` has no description`,
      "write a JSDoc comment above the property: it becomes the input's description in the catalog and README",
    );
  }
  if (!ok) return undefined;
  const prop: InputProperty = { description, type: mapped.type };
  if (hasDefault) prop.default = def.default;
  if (def.enum) prop.enum = def.enum as Array<string | number>;
  if (def.pattern) prop.pattern = def.pattern;
  if (mapped.type === "array" && def.items !== undefined) prop.items = stripNoise(def.items);
  return prop;
}

/** Drops typescript-json-schema's bookkeeping keys from nested item schemas. */
function stripNoise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNoise);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "propertyOrder" || k === "defaultProperties") continue;
      out[k] = stripNoise(v);
    }
    return out;
  }
  return value;
}
