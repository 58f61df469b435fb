// `harbor-ci validate`: a consumer's pipeline checked offline against this library's published
// input schemas, with GitLab's own messages.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { GITLAB_TO_JS, GITLAB_YAML } from "../ci/yaml.ts";
import { LocalFileError, readRegularFile } from "../cli/user-files.ts";
import { expandWildcard, hasYamlExtension, includeMessages, isRemoteLocation, MAX_INCLUDES, resolveLocal, rubyShown } from "../ci/include-local.ts";
import { usageError, type Diagnostic } from "../cli/diagnostics.ts";
import type { InputsSchema } from "../ci/inputs-schema.ts";
import { validateAcrossBands } from "../ci/inputs.ts";
import { BANDS, type Band } from "../ci/versions.ts";
import { nearest } from "../cli/nearest.ts";
import { isReleaseVersion } from "../release/changelog.ts";
import { jobSideChecks } from "./job-checks.ts";
import { rubyTagDiagnostic, tooDeepDiagnostic } from "./yaml-limits.ts";
import { includeEntries, parseComponentReference } from "../ci/component-reference.ts";
import { specInputsFromSchema } from "../ci/spec-inputs.ts";

export interface ValidateOptions {
  /** The pipeline file; local includes are resolved against `projectDir`. */
  file: string;
  projectDir?: string;
  /** Published schemas by component name. */
  schemas: Map<string, InputsSchema>;
  /** A component reference belongs to this library when its project path ends with this. */
  library: string;
  /** GitLab version bands to check (gitlab-versions.ts); every supported one when absent. */
  bands?: readonly Band[];
  /** The schemas of the version an include pins (validate-pins.ts); undefined: `schemas`. */
  schemasFor?: (version: string) => Map<string, InputsSchema> | undefined;
}

export interface ValidateResult {
  diagnostics: Diagnostic[];
  /** Every component include of this library that was found. */
  includes: Array<{ file: string; line: number; component: string; version: string; reference: string }>;
}

const SHA = /^[0-9a-f]{40}$/;

/** How a version pins the component: GitLab resolves SHA > tag > branch; `~latest`, `1`, `1.2` move. */
export function pinning(version: string): "pinned" | "moving" | "branch" {
  if (isReleaseVersion(version) || SHA.test(version) || version === "$CI_COMMIT_SHA") return "pinned";
  if (version === "~latest" || /^\d+(\.\d+)?$/.test(version)) return "moving";
  return "branch";
}

/** `/schemas/<component>/inputs.schema.json` or `templates/<component>/inputs.schema.json`. */
export function loadSchemas(dir: string): Map<string, InputsSchema> {
  const out = new Map<string, InputsSchema>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, "inputs.schema.json");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    try {
      out.set(entry.name, JSON.parse(readRegularFile(file)) as InputsSchema);
    } catch (err) {
      // A broken schema folder is a usage problem (--schemas), not a crash.
      throw usageError(
        "SCHEMAS_INVALID",
        `${file} is not a readable JSON Schema (${(err as Error).message.split("\n")[0]})`,
        "point --schemas at a folder of <component>/inputs.schema.json files, e.g. this package's templates/",
      );
    }
  }
  return out;
}

/**
 * `inputs:` of an include that is not a mapping. GitLab turns the arguments into a hash
 * (interpolation/inputs.rb `@args = args.to_h`), so a list or a string never reaches the inputs'
 * checks; it is reported here as what it is instead of as unknown inputs `0, 1, ...`.
 */
function inputsNotAMapping(component: string, value: unknown, where: { file: string; line: number; column: number }): Diagnostic {
  const kind = Array.isArray(value) ? "a list" : typeof value === "string" ? "a string" : `a ${typeof value}`;
  return {
    code: "INPUTS_NOT_A_MAPPING",
    severity: "error",
    ...where,
    message: `${component}: \`inputs\` must be a mapping of input names to values, not ${kind}`,
    expected: "inputs:\n  name: value",
    actual: rubyShown(value),
    fix: "write each input as `name: value` under `inputs:`",
  };
}

/** GitLab's `max_yaml_depth` default (doc/administration/instance_limits.md). */
const MAX_YAML_DEPTH = 100;

/** Nesting depth of a parsed value, iterative (a deep document must not overflow our stack). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    max = Math.max(max, d);
    if (max > MAX_YAML_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return max;
}

type Where = { file: string; line: number; column: number };

/**
 * What the walk over a pipeline and its local includes shares between its steps: the options,
 * what it found so far, and GitLab's include count. One object, passed to every step.
 */
interface Walk {
  options: ValidateOptions;
  projectDir: string;
  diagnostics: Diagnostic[];
  includes: ValidateResult["includes"];
  /** Files already validated (absolute paths). */
  seen: Set<string>;
  /** The include chain being walked: a file on it that comes again is a loop. */
  chain: string[];
  /** `job_name` -> `file:line` of the include that added it first. */
  jobNames: Map<string, string>;
  // Every include counts towards GitLab's limit, and a file may be included again (no
  // de-duplication in GitLab): a loop ends at the limit, reported at the include that hit it.
  includeCount: number;
  limitReported: boolean;
  /** Keys of the diagnostics `report` added: one report per problem, however often reached. */
  reported: Set<string>;
}

/** One parsed file of the walk: its YAML document and the position of any of its nodes. */
interface ParsedFile {
  file: string;
  doc: ReturnType<typeof parseDocument>;
  at: (node: Node | null | undefined) => Where;
}

/** A component include of this library, as found in a file. */
interface ComponentInclude {
  node: YAMLMap;
  componentNode: Node;
  ref: NonNullable<ReturnType<typeof parseComponentReference>>;
  where: Where;
}

export function validatePipeline(options: ValidateOptions): ValidateResult {
  const walk: Walk = {
    options,
    projectDir: resolve(options.projectDir ?? dirname(options.file)),
    diagnostics: [],
    includes: [],
    seen: new Set(),
    chain: [],
    jobNames: new Map(),
    includeCount: 0,
    limitReported: false,
    reported: new Set(),
  };
  visitFile(walk, options.file);
  return { diagnostics: walk.diagnostics, includes: walk.includes };
}

/** Adds a diagnostic once, however often the walk reaches the same problem. */
function report(walk: Walk, d: Diagnostic): void {
  const key = `${d.code}|${d.file}|${d.line}|${d.column}|${d.message}`;
  if (!walk.reported.has(key)) {
    walk.reported.add(key);
    walk.diagnostics.push(d);
  }
}

// ---- a file: read it, stop at a loop, walk its includes

function visitFile(walk: Walk, path: string, from?: Where, alreadyRead?: string): void {
  const abs = resolve(path);
  const file = relative(process.cwd(), abs) || abs;
  let text: string;
  try {
    text = alreadyRead ?? readRegularFile(abs);
  } catch (err) {
    if (!(err instanceof LocalFileError)) throw err;
    report(walk, {
      code: err.problem === "too-large" ? "FILE_TOO_LARGE" : err.problem === "not-a-file" ? "NOT_A_FILE" : "FILE_NOT_FOUND",
      severity: "error",
      ...(from ?? { file, line: 0, column: 0 }),
      message: err.problem === "too-large" ? "The provided YAML is too big" : `${file}: ${err.detail}`,
      ...(err.problem === "too-large" ? { actual: err.detail } : {}),
      fix: err.problem === "too-large" ? "GitLab refuses configuration files this large (max_yaml_size_bytes); split it" : "give the path of a pipeline file",
    });
    return;
  }
  if (walk.chain.includes(abs) || walk.seen.has(abs)) {
    // Already validated: its diagnostics are known. A file on the current chain is a loop:
    // GitLab expands it until the include limit.
    if (walk.chain.includes(abs)) {
      walk.includeCount = MAX_INCLUDES;
      if (!walk.limitReported && from) {
        walk.limitReported = true;
        report(walk, {
          code: "TOO_MANY_INCLUDES",
          severity: "error",
          ...from,
          message: includeMessages.tooMany(),
          fix: `this include loops back to ${file}: remove the cycle`,
        });
      }
    }
    return;
  }
  walk.seen.add(abs);
  walk.chain.push(abs);
  try {
    const parsed = parseFile(walk, text, file);
    if (parsed) visitIncludes(walk, parsed);
  } finally {
    walk.chain.pop();
  }
}

/** The file's YAML document, or undefined after reporting why GitLab would refuse it. */
function parseFile(walk: Walk, text: string, file: string): ParsedFile | undefined {
  // Depth first, before the parser can exhaust the stack (yaml-limits.ts).
  const deep = tooDeepDiagnostic(text, file);
  if (deep) {
    report(walk, deep);
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...GITLAB_YAML, lineCounter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    report(walk, {
      code: "YAML_SYNTAX",
      severity: "error",
      file,
      line: pos.line,
      column: pos.col,
      message: e.message.split("\n")[0]!,
      fix: "fix the YAML syntax",
    });
    return undefined;
  }
  const ruby = rubyTagDiagnostic(doc, lineCounter, file);
  if (ruby) {
    report(walk, ruby);
    return undefined;
  }
  // GitLab's loader (lib/gitlab/config/loader/yaml.rb) refuses a document whose aliases
  // expand too far (billion laughs) or that nests deeper than max_yaml_depth (100), with one
  // message. Aliases are resolved once here, bounded.
  let tooBig: string | undefined;
  try {
    if (depthOf(doc.toJS(GITLAB_TO_JS)) > MAX_YAML_DEPTH) tooBig = `nested deeper than ${MAX_YAML_DEPTH} levels (max_yaml_depth)`;
  } catch (err) {
    tooBig = (err as Error).message;
  }
  if (tooBig !== undefined) {
    report(walk, {
      code: "YAML_TOO_BIG",
      severity: "error",
      file,
      line: 0,
      column: 0,
      message: "The parsed YAML is too big",
      actual: tooBig,
      fix: "use fewer aliases and less nesting (GitLab refuses this document too)",
    });
    return undefined;
  }
  const at = (node: Node | null | undefined): Where => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  return { file, doc, at };
}

/** True once GitLab's include limit is reached; TOO_MANY_INCLUDES is reported once per walk. */
function atIncludeLimit(walk: Walk, where: Where, why: string): boolean {
  if (walk.includeCount < MAX_INCLUDES) return false;
  if (!walk.limitReported) {
    walk.limitReported = true;
    report(walk, {
      code: "TOO_MANY_INCLUDES",
      severity: "error",
      ...where,
      message: includeMessages.tooMany(),
      fix: `${why}: GitLab allows ${MAX_INCLUDES} includes per pipeline (ci_max_includes)`,
    });
  }
  return true;
}

/** Each entry of the file's `include:`, in order, until GitLab's include limit. */
function visitIncludes(walk: Walk, parsed: ParsedFile): void {
  for (const { node } of includeEntries(parsed.doc.contents)) {
    if (atIncludeLimit(walk, parsed.at(node), "include fewer files")) return;
    if (isScalar(node) || (isMap(node) && node.has("local"))) {
      visitLocalInclude(walk, parsed, node);
      continue;
    }
    walk.includeCount++;
    const include = componentIncludeOf(walk, parsed, node);
    if (include) checkComponentInclude(walk, parsed, include);
  }
}

// ---- a local include: `include: ci/build.yml` or `- local: ci/build.yml`, followed as GitLab does

function visitLocalInclude(walk: Walk, parsed: ParsedFile, node: Node): void {
  const localNode = isScalar(node) ? node : isMap(node) ? (node.get("local", true) as Node | undefined) : undefined;
  const value = isScalar(localNode) ? localNode.value : (localNode as { toJSON?: () => unknown } | undefined)?.toJSON?.();
  if (typeof value !== "string") {
    report(walk, {
      code: "INCLUDE_INVALID",
      severity: "error",
      ...parsed.at(localNode ?? node),
      message: includeMessages.notAString(rubyShown(value)),
      expected: "a path in the project, e.g. ci/build.yml",
      actual: rubyShown(value) || "nothing",
      fix: "write the path of a YAML file of this project",
    });
    return;
  }
  if (isScalar(node) && isRemoteLocation(value)) return;
  const locations = value.includes("*") ? expandWildcardAt(walk, value, parsed.at(localNode)) : [value];
  for (const location of locations) {
    // Every file a wildcard expands to counts (mapper/verifier.rb checks each one).
    if (atIncludeLimit(walk, parsed.at(localNode), `\`${value}\` expands to ${locations.length} files`)) break;
    walk.includeCount++;
    followLocal(walk, location, parsed.at(localNode));
  }
}

function expandWildcardAt(walk: Walk, pattern: string, where: Where): string[] {
  const { paths, truncated } = expandWildcard(walk.projectDir, pattern);
  if (truncated) {
    report(walk, {
      code: "LOCAL_WILDCARD_TRUNCATED",
      severity: "warning",
      ...where,
      message: `local include \`${pattern}\`: the project has too many files to expand the wildcard fully`,
      fix: "name the files to include",
    });
  }
  return paths;
}

function followLocal(walk: Walk, location: string, where: Where): void {
  if (!hasYamlExtension(location)) {
    report(walk, {
      code: "INCLUDE_INVALID",
      severity: "error",
      ...where,
      message: includeMessages.noYamlExtension(location),
      expected: "a .yml or .yaml file",
      actual: location,
      fix: "include YAML files only",
    });
    return;
  }
  const r = resolveLocal(walk.projectDir, location);
  if (!r.ok) {
    report(walk, {
      code: r.reason === "outside" ? "LOCAL_INCLUDE_OUTSIDE_PROJECT" : "LOCAL_INCLUDE_NOT_FOUND",
      severity: "error",
      ...where,
      message: includeMessages.doesNotExist(location),
      expected: "a file of this repository, relative to its root (a leading / is allowed)",
      actual: r.reason === "outside" ? `${location} leaves the repository` : `no ${r.location} under ${walk.projectDir}`,
      fix:
        r.reason === "outside"
          ? "GitLab reads local includes from the repository only: move the file into the project"
          : "check the path (relative to the project root, not to the including file)",
    });
    return;
  }
  let text: string;
  try {
    text = readRegularFile(r.abs);
  } catch (err) {
    if (!(err instanceof LocalFileError)) throw err;
    report(walk, {
      code: err.problem === "too-large" ? "FILE_TOO_LARGE" : "LOCAL_INCLUDE_NOT_FOUND",
      severity: "error",
      ...where,
      message: err.problem === "too-large" ? `\`${location}\`: The provided YAML is too big` : includeMessages.doesNotExist(location),
      actual: `${location}: ${err.detail}`,
      fix:
        err.problem === "too-large"
          ? "split the file; GitLab refuses configuration files this large"
          : "a local include must be a regular file of the repository",
    });
    return;
  }
  if (text.trim() === "") {
    report(walk, {
      code: "LOCAL_INCLUDE_EMPTY",
      severity: "error",
      ...where,
      message: includeMessages.empty(location),
      fix: "add jobs to the file or remove the include",
    });
    return;
  }
  visitFile(walk, r.abs, where, text);
}

// ---- a component include of this library: pinned, known, and given valid inputs

/** The include as a component of this library (recorded in `walk.includes`), else undefined. */
function componentIncludeOf(walk: Walk, parsed: ParsedFile, node: Node): ComponentInclude | undefined {
  if (!isMap(node)) return undefined;
  const componentNode = node.get("component", true) as Node | undefined;
  if (!isScalar(componentNode) || typeof componentNode.value !== "string") return undefined;
  const reference = componentNode.value;
  const ref = parseComponentReference(reference);
  if (!ref || !ref.path.endsWith(walk.options.library)) return undefined;
  const where = parsed.at(componentNode);
  walk.includes.push({ file: parsed.file, line: where.line, component: ref.name, version: ref.version, reference });
  return { node, componentNode, ref, where };
}

/**
 * The checks of one component include, in order. A new offline check of an include (of its
 * inputs' values, say) is one more step here, after `checkInputs`, taking what that returns.
 */
function checkComponentInclude(walk: Walk, parsed: ParsedFile, include: ComponentInclude): void {
  checkPinning(walk, include);
  const schema = schemaOf(walk, include);
  if (!schema) return;
  const inputs = inputsOf(walk, parsed, include);
  if (!inputs) return;
  const { errors, values } = validateAcrossBands(specInputsFromSchema(schema), inputs.values, walk.options.bands ?? BANDS);
  checkJobName(walk, include, values);
  reportInputErrors(walk, parsed, include, schema, inputs.node, errors);
  checkJobSide(walk, parsed, include, schema, inputs, errors);
}

/** What the job itself would refuse at run time (job-checks.ts), for the inputs GitLab accepted. */
function checkJobSide(
  walk: Walk,
  parsed: ParsedFile,
  { ref, componentNode }: ComponentInclude,
  schema: InputsSchema,
  inputs: { node: Node | undefined; values: Record<string, unknown> },
  errors: string[],
): void {
  const inputsNode = inputs.node;
  const valueAt = (name: string) =>
    parsed.at(
      (isMap(inputsNode) ? (inputsNode.items.find((p) => isScalar(p.key) && p.key.value === name)?.value as Node | undefined) : undefined) ?? componentNode,
    );
  const refused = new Set(errors.map((m) => /^`([^`]+)` input/.exec(m)?.[1] ?? ""));
  walk.diagnostics.push(...jobSideChecks(ref.name, schema, inputs.values, valueAt, refused));
}

function checkPinning(walk: Walk, { ref, where }: ComponentInclude): void {
  const pin = pinning(ref.version);
  if (pin === "pinned") return;
  walk.diagnostics.push({
    code: pin === "branch" ? "UNPINNED_BRANCH" : "UNPINNED_MOVING_VERSION",
    severity: "warning",
    ...where,
    message:
      pin === "branch"
        ? `\`${ref.name}@${ref.version}\` follows a branch: the pipeline changes whenever the branch moves`
        : `\`${ref.name}@${ref.version}\` resolves to the newest matching release, which changes under you`,
    expected: "a full version such as @1.4.2 (or a commit SHA)",
    actual: ref.version,
    fix: "pin the exact version you tested; `harbor-ci versions` lists them",
  });
}

/** The published schema of the component at its pinned version, or undefined after UNKNOWN_COMPONENT. */
function schemaOf(walk: Walk, { ref, where }: ComponentInclude): InputsSchema | undefined {
  const schemas = walk.options.schemasFor?.(ref.version) ?? walk.options.schemas;
  const components = [...schemas.keys()];
  const schema = schemas.get(ref.name);
  if (schema) return schema;
  const guess = nearest(ref.name, components);
  walk.diagnostics.push({
    code: "UNKNOWN_COMPONENT",
    severity: "error",
    ...where,
    message: `no component named \`${ref.name}\` in ${walk.options.library}`,
    expected: components.join(", "),
    actual: ref.name,
    fix: guess ? `did you mean \`${guess}\`?` : `use one of: ${components.join(", ")}`,
  });
  return undefined;
}

/** The include's `inputs:` as values, or undefined after INPUTS_NOT_A_MAPPING. */
function inputsOf(walk: Walk, parsed: ParsedFile, { node, ref }: ComponentInclude): { node: Node | undefined; values: Record<string, unknown> } | undefined {
  const inputsNode = node.get("inputs", true) as Node | undefined;
  // toJS with the document: `<<` merge keys and aliases resolved as Psych does.
  const inputsValue = inputsNode ? inputsNode.toJS(parsed.doc, GITLAB_TO_JS) : {};
  if (inputsValue !== null && (typeof inputsValue !== "object" || Array.isArray(inputsValue))) {
    report(walk, inputsNotAMapping(ref.name, inputsValue, parsed.at(inputsNode)));
    return undefined;
  }
  return { node: inputsNode, values: (inputsValue ?? {}) as Record<string, unknown> };
}

/** Two includes adding the same job name: GitLab would merge them without a word. */
function checkJobName(walk: Walk, { where }: ComponentInclude, values: Record<string, unknown>): void {
  const jobName = values["job_name"];
  if (typeof jobName !== "string") return;
  const first = walk.jobNames.get(jobName);
  if (first && first !== `${where.file}:${where.line}`) {
    walk.diagnostics.push({
      code: "DUPLICATE_JOB_NAME",
      severity: "error",
      ...where,
      message: `job \`${jobName}\` is already added by the include at ${first}: GitLab would silently merge the two`,
      fix: "give one of them another `job_name` input",
    });
  } else walk.jobNames.set(jobName, `${where.file}:${where.line}`);
}

/** GitLab's messages about the inputs, each at the input it names (UNKNOWN_INPUT, INVALID_INPUT). */
function reportInputErrors(
  walk: Walk,
  parsed: ParsedFile,
  include: ComponentInclude,
  schema: InputsSchema,
  inputsNode: Node | undefined,
  errors: string[],
): void {
  const { ref, componentNode } = include;
  const names = Object.keys(schema.properties);
  const keyOf = (name: string) => (isMap(inputsNode) ? inputsNode.items.find((p) => isScalar(p.key) && p.key.value === name) : undefined);
  for (const message of errors) {
    const unknown = /^unknown input arguments: (.*)$/.exec(message);
    if (unknown) {
      for (const name of unknown[1]!.split(", ")) {
        const keyNode = keyOf(name)?.key;
        const guess = nearest(name, names);
        walk.diagnostics.push({
          code: "UNKNOWN_INPUT",
          severity: "error",
          ...parsed.at((keyNode as Node | undefined) ?? componentNode),
          message: `${ref.name}: unknown input arguments: ${name}`,
          fix: guess ? `did you mean \`${guess}\`?` : `inputs of ${ref.name}: ${names.join(", ")}`,
        });
      }
      continue;
    }
    const input = /^`([^`]+)` input/.exec(message)?.[1];
    const valueNode = input ? (keyOf(input)?.value as Node | undefined) : undefined;
    const prop = input ? schema.properties[input] : undefined;
    walk.diagnostics.push({
      code: "INVALID_INPUT",
      severity: "error",
      ...parsed.at(valueNode ?? componentNode),
      message: `${ref.name}: ${message}`,
      expected: prop
        ? [prop.type, prop.enum ? `one of ${prop.enum.join(", ")}` : "", prop.pattern ? `matching ${prop.pattern}` : ""].filter(Boolean).join(", ")
        : undefined,
      fix: prop?.description ? `${input}: ${prop.description}` : undefined,
    });
  }
}
