// The rules every component template must pass. Each rule has a stable code; tests assert codes.
import type { ValidateFunction } from "ajv";
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from "yaml";
import { positionOf, type Diagnostic, type Location } from "../cli/diagnostics.ts";
import { summarizeErrors } from "../ci/schema.ts";
import { findBlocks, InterpolationError, parseBlock } from "../ci/interpolate.ts";
import { validateInputs, type InputSpec } from "../ci/inputs.ts";
import { re2Error } from "../ci/re2.ts";
import { BANDS, rangeLabel, type Band } from "../ci/versions.ts";
import { RenderError, renderTemplate, type ParsedTemplate } from "../ci/render.ts";

export const RULES = {
  NOT_A_SPEC_DOCUMENT: "the file is a `spec` document, `---`, and a body",
  YAML_SYNTAX: "the file is valid YAML",
  SPEC_SCHEMA: "the spec header validates against GitLab's JSON schema",
  INPUT_TYPE_MISSING: "every input states its `type` (GitLab's schema rejects a default without one)",
  UNDECLARED_INPUT: "every `$[[ inputs.x ]]` is declared",
  UNUSED_INPUT: "every declared input is used",
  INVALID_INTERPOLATION: "every `$[[ ]]` block has a valid access and at most three known functions",
  INPUT_IN_SCRIPT: "inputs reach scripts as job variables, never interpolated into a shell line",
  INPUT_VARIABLE_NAME: "a job variable that carries an input is named HCI_<INPUT> (the input's name upper-cased) and holds that input alone",
  INPUT_VARIABLE_MISSING: "the shell reads an input's HCI_<INPUT> only when the job's variables pass it",
  INVALID_DEFAULT: "defaults satisfy their type, options and regex",
  REGEX_NOT_RE2: "regexes are RE2-compatible (no lookaround, no backreferences)",
  REGEX_INVALID: "regexes compile",
  REJECTED_BY_GITLAB_VERSION: "every supported GitLab version accepts the component with its defaults, every README example and every self-test include",
  TOO_MANY_OPTIONS: "at most 50 options",
  REGEX_ON_NON_STRING: "`regex` only on string inputs",
  OPTIONS_ON_INVALID_TYPE: "`options` only on string and number inputs",
  DESCRIPTION_TOO_LONG: "descriptions are at most 1024 characters",
  GLOBAL_KEYWORD: "no global keywords in a component body",
  INCLUDE_OUTSIDE_PROJECT: "no `include` of anything outside the project",
  JOB_NAME_NOT_FROM_INPUT: "job names come from inputs",
  STAGE_NOT_FROM_INPUT: "every job's stage comes from an input",
  RENDER_FAILED: "the template renders with its defaults and with every README example",
  BODY_SCHEMA: "the rendered body validates against GitLab's JSON schema",
} as const;

export type RuleCode = keyof typeof RULES;

const MAX_OPTIONS = 50;
const MAX_DESCRIPTION = 1024;
const GLOBAL_KEYWORDS = new Set(["default", "stages", "workflow", "variables", "image", "services", "cache", "before_script", "after_script"]);

import type { Example } from "../ci/readme-examples.ts";

export type { Example };

export interface RuleContext {
  component: string;
  gitlabSchema?: ValidateFunction;
  examples?: Example[];
  /** Includes of this component in the project's own .gitlab-ci.yml (the self-test). */
  selfTests?: Example[];
}

type Emit = (code: RuleCode, at: Location, message: string, extra?: Partial<Diagnostic>) => void;

function pairLocation(parsed: ParsedTemplate, node: Node | Pair | null | undefined): Location {
  const range = (isPair(node) ? (node.key as Node | null)?.range : (node as Node | null | undefined)?.range) ?? undefined;
  if (!range) return { file: parsed.file, line: 0, column: 0 };
  const pos = parsed.lineCounter.linePos(range[0]);
  return { file: parsed.file, line: pos.line, column: pos.col };
}

/**
 * The location of a JSON pointer (an ajv instancePath) in a YAML document. Top-level keys of a
 * rendered body were interpolated, so the first segment is matched by position.
 */
function pointerLocation(parsed: ParsedTemplate, doc: "header" | "body", pointer: string, rendered?: unknown): Location {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = doc === "header" ? parsed.headerDoc.contents : parsed.bodyDoc.contents;
  let found: Node | Pair | undefined;
  segments.forEach((segment, depth) => {
    let pair: Pair | undefined;
    if (depth === 0 && doc === "body" && rendered && typeof rendered === "object") {
      pair = pairsOf(node)[Object.keys(rendered).indexOf(segment)];
    } else {
      pair = findPair(node, segment);
    }
    if (pair) {
      found = pair;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment) && node.items[Number(segment)]) {
      found = node.items[Number(segment)] as Node;
      node = found;
    } else node = undefined;
  });
  return pairLocation(parsed, found ?? (doc === "header" ? findPair(parsed.headerDoc.contents, "spec") : undefined));
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function pairsOf(node: unknown): Pair[] {
  return isMap(node) ? (node.items as Pair[]) : [];
}

function findPair(node: unknown, key: string): Pair | undefined {
  return pairsOf(node).find((p) => keyOf(p) === key);
}

function checkSpec(parsed: ParsedTemplate, ctx: RuleContext, emit: Emit): void {
  const specPair = findPair(parsed.headerDoc.contents, "spec");
  const inputsPair = findPair(specPair?.value, "inputs");
  if (ctx.gitlabSchema && !ctx.gitlabSchema(parsed.headerDoc.toJS())) {
    for (const { message, pointer } of summarizeErrors(ctx.gitlabSchema.errors)) {
      emit("SPEC_SCHEMA", pointerLocation(parsed, "header", pointer), `spec header: ${message}`, {
        fix: "the spec header allows `spec: inputs:` only, with the keys GitLab documents",
      });
    }
  }
  for (const pair of pairsOf(inputsPair?.value)) {
    const name = keyOf(pair);
    const at = pairLocation(parsed, pair);
    const spec = (parsed.specs[name] ?? {}) as InputSpec;
    const type = spec.type ?? "string";
    if (spec.type === undefined) {
      emit("INPUT_TYPE_MISSING", at, `input \`${name}\` has no \`type\``, {
        expected: "type: string | number | boolean | array",
        actual: "no type",
        fix: "regenerate with `npm run generate` (the generator always writes the type)",
      });
    }
    if (spec.description !== undefined && spec.description.length > MAX_DESCRIPTION) {
      emit("DESCRIPTION_TOO_LONG", at, `input \`${name}\`: description is ${spec.description.length} characters`, {
        expected: `at most ${MAX_DESCRIPTION}`,
        actual: String(spec.description.length),
        fix: "shorten the JSDoc comment; move details to the README",
      });
    }
    if (spec.options !== undefined) {
      if (type !== "string" && type !== "number") {
        emit("OPTIONS_ON_INVALID_TYPE", at, `input \`${name}\`: options on a ${type} input`, {
          expected: "options only on string or number inputs",
          actual: `type: ${type}`,
          fix: "remove the options, or make the input a string/number union of literals",
        });
      }
      if (Array.isArray(spec.options) && spec.options.length > MAX_OPTIONS) {
        emit("TOO_MANY_OPTIONS", at, `input \`${name}\` has ${spec.options.length} options`, {
          expected: `at most ${MAX_OPTIONS}`,
          actual: String(spec.options.length),
          fix: "use a regex instead of a long list of options",
        });
      }
    }
    if (spec.regex !== undefined) {
      if (type !== "string") {
        emit("REGEX_ON_NON_STRING", at, `input \`${name}\`: regex on a ${type} input`, {
          expected: "regex only on string inputs",
          actual: `type: ${type}`,
          fix: "remove the @pattern, or make the input a string",
        });
      }
      // Google's RE2 (re2-wasm) decides, as GitLab's re2 gem does.
      const re2 = re2Error(String(spec.regex));
      if (re2 !== undefined) {
        let js = true;
        try {
          new RegExp(String(spec.regex), "u");
        } catch {
          js = false;
        }
        // A pattern JavaScript accepts but RE2 refuses uses a construct RE2 lacks (lookaround,
        // backreferences); one that neither compiles is simply broken.
        emit(js ? "REGEX_NOT_RE2" : "REGEX_INVALID", at, `input \`${name}\`: RE2 refuses the regex: ${re2}`, {
          expected: "an RE2 pattern (no lookaround, no backreferences, no atomic groups)",
          actual: String(spec.regex),
          fix: js ? "rewrite the pattern without it (GitLab would reject every value)" : "fix the @pattern",
        });
      }
    }
    if (Object.hasOwn(spec, "default")) {
      const byMessage = new Map<string, Band[]>();
      for (const band of BANDS) {
        for (const message of validateInputs({ [name]: spec }, {}, band).errors) byMessage.set(message, [...(byMessage.get(message) ?? []), band]);
      }
      const errors = [...byMessage].filter(([, bands]) => bands.length === BANDS.length).map(([m]) => m);
      for (const [message, bands] of byMessage) {
        if (bands.length === BANDS.length) continue;
        emit("REJECTED_BY_GITLAB_VERSION", at, `input \`${name}\` is rejected by GitLab ${rangeLabel(bands)}: ${message}`, {
          expected: "a spec every supported GitLab version (17.0 and later) accepts",
          actual: `default: ${JSON.stringify(spec.default)}${spec.regex !== undefined ? `, regex: ${spec.regex}` : ""}`,
          fix: 'an empty default cannot carry a regex before GitLab 18.3: drop the regex (inputs.ts `@default ""` with a @pattern are checked by the job) or give a non-empty default',
        });
      }
      for (const message of errors) {
        emit("INVALID_DEFAULT", at, message, {
          actual: JSON.stringify(spec.default),
          fix: "make the @default satisfy the input's type, options and pattern",
        });
      }
    }
  }
}

/** Every string of the parsed body, keys included: what GitLab interpolates (comments are not). */
function bodyStrings(node: unknown, out: string[] = []): string[] {
  if (typeof node === "string") out.push(node);
  else if (Array.isArray(node)) for (const n of node) bodyStrings(n, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      out.push(k);
      bodyStrings(v, out);
    }
  }
  return out;
}

/** Where a block first stands in the body's text, for a diagnostic's line:column. */
function blockLocation(parsed: ParsedTemplate, text: string): Location {
  const bodyStart = parsed.bodyDoc.range[0];
  const found = findBlocks(parsed.text).find((b) => b.index >= bodyStart && b.text === text && !/^\s*#/.test(lineAt(parsed.text, b.index)));
  return found ? { file: parsed.file, ...positionOf(parsed.text, found.index) } : { file: parsed.file, line: 0, column: 0 };
}

function lineAt(text: string, index: number): string {
  return text.slice(text.lastIndexOf("\n", index - 1) + 1, index);
}

function checkInterpolations(parsed: ParsedTemplate, emit: Emit): void {
  const bodyStart = parsed.bodyDoc.range[0];
  const declared = new Set(Object.keys(parsed.specs));
  const used = new Set<string>();
  // Blocks in comments are text GitLab never interpolates: they neither use nor break an input.
  const live = new Set(bodyStrings(parsed.body).flatMap((s) => findBlocks(s).map((b) => b.text)));
  for (const block of findBlocks(parsed.text)) {
    if (block.index < bodyStart || !live.has(block.text) || /^\s*#/.test(lineAt(parsed.text, block.index))) continue;
    const at = { file: parsed.file, ...positionOf(parsed.text, block.index) };
    try {
      const parsedBlock = parseBlock(block.data);
      if (parsedBlock.skip) continue;
      const [root, name] = parsedBlock.access;
      if (root !== "inputs") {
        emit("INVALID_INTERPOLATION", at, `unknown interpolation key: \`${root}\``, {
          actual: block.text,
          fix: "components interpolate `inputs.<name>`",
        });
        continue;
      }
      used.add(name!);
      if (!declared.has(name!)) {
        emit("UNDECLARED_INPUT", at, `\`${block.text}\` uses input \`${name}\`, which spec:inputs does not declare`, {
          expected: [...declared].join(", "),
          actual: name,
          fix: `add \`${name}\` to the component's inputs.ts and run \`npm run generate\`, or fix the name`,
        });
      }
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      emit("INVALID_INTERPOLATION", at, e.message, { actual: block.text, fix: "functions: expand_vars, truncate(offset,length), posix_escape; at most 3" });
    }
  }
  const inputsPair = findPair(findPair(parsed.headerDoc.contents, "spec")?.value, "inputs");
  for (const pair of pairsOf(inputsPair?.value)) {
    const name = keyOf(pair);
    if (!used.has(name)) {
      emit("UNUSED_INPUT", pairLocation(parsed, pair), `input \`${name}\` is declared but the body never uses it`, {
        fix: `use \`$[[ inputs.${name} ]]\` in the body, or remove it from inputs.ts`,
      });
    }
  }
}

const SCRIPT_KEYS = ["before_script", "script", "after_script"];

/**
 * The shell of a job: every string of its scripts and of its services' entrypoint and command,
 * with the key it stands under. Scalar nodes, so that each finding is located where it is, not at
 * the first place the same text appears in the file.
 */
function shellOf(job: unknown): Array<{ where: string; node: Node; line: string }> {
  const scalars = (node: unknown): Node[] => (isScalar(node) ? [node] : isSeq(node) ? node.items.flatMap(scalars) : []);
  const places: Array<[string, unknown]> = SCRIPT_KEYS.map((k) => [k, findPair(job, k)?.value]);
  const services = findPair(job, "services")?.value;
  for (const service of isSeq(services) ? services.items : []) {
    if (isMap(service)) {
      places.push(["services: entrypoint", findPair(service, "entrypoint")?.value]);
      places.push(["services: command", findPair(service, "command")?.value]);
    }
  }
  return places.flatMap(([where, value]) =>
    scalars(value).flatMap((node) => {
      const line = (node as { value?: unknown }).value;
      return typeof line === "string" ? [{ where, node, line }] : [];
    }),
  );
}

/**
 * An input interpolated INTO a shell line is code, whatever it holds: inputs reach scripts as job
 * variables ("$HCI_X"), data the shell never parses. A whole list item (`- $[[ inputs.script ]]`,
 * spliced) is a script the user wrote on purpose, and stays allowed.
 */
function checkScripts(parsed: ParsedTemplate, emit: Emit): void {
  for (const jobPair of pairsOf(parsed.bodyDoc.contents)) {
    const jobName = keyOf(jobPair);
    if (!isMap(jobPair.value)) continue;
    for (const { where, node, line } of shellOf(jobPair.value)) {
      for (const block of findBlocks(line)) {
        if (block.text === line.trim()) continue;
        const variable = inputVariable(inputOf(block.data) ?? "name");
        emit(
          "INPUT_IN_SCRIPT",
          locateIn(parsed, node, block.text),
          `job \`${jobName}\`: \`${block.text}\` is interpolated into a ${where} line, where the shell would run what it holds`,
          {
            expected: `the input passed as a job variable and read as "$${variable}"`,
            actual: line.length > 80 ? line.slice(0, 77) + "..." : line,
            fix: `add \`${variable}: ${block.text}\` under the job's variables and use "$${variable}" in the script`,
          },
        );
      }
    }
  }
}

/** The job variable that carries input `name` to the shell: `HCI_` and the name upper-cased. */
export function inputVariable(name: string): string {
  return `HCI_${name.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;
}

/** The input a block reads (`inputs.<name>`), or undefined for any other or a malformed block. */
function inputOf(data: string): string | undefined {
  try {
    const { access, skip } = parseBlock(data);
    return !skip && access[0] === "inputs" ? access[1] : undefined;
  } catch (e) {
    if (e instanceof InterpolationError) return undefined;
    throw e;
  }
}

/**
 * Every input reaches the shell under one name, derived from inputs.ts: `HCI_<NAME>:
 * $[[ inputs.<name> ]]` in the job's variables, so that the variables block and the .sh files
 * cannot drift apart (a renamed variable, a variable the shell reads that no input fills).
 */
function checkInputVariables(parsed: ParsedTemplate, emit: Emit): void {
  const byVariable = new Map(Object.keys(parsed.specs).map((name) => [inputVariable(name), name]));
  for (const jobPair of pairsOf(parsed.bodyDoc.contents)) {
    if (!isMap(jobPair.value)) continue;
    const variables = pairsOf(findPair(jobPair.value, "variables")?.value);
    for (const pair of variables) checkInputVariable(parsed, keyOf(jobPair), pair, byVariable, emit);
    const passed = new Set(variables.map(keyOf));
    const reported = new Set<string>();
    for (const { node, line } of shellOf(jobPair.value)) {
      // What the shell reads: `$HCI_X` or `${HCI_X...}`.
      for (const [reference, variable = ""] of line.matchAll(/\$\{?(HCI_[A-Z0-9_]+)\b/g)) {
        const input = byVariable.get(variable);
        if (input === undefined || passed.has(variable) || reported.has(variable)) continue;
        reported.add(variable);
        emit(
          "INPUT_VARIABLE_MISSING",
          locateIn(parsed, node, reference),
          `job \`${keyOf(jobPair)}\`: the shell reads \`${variable}\`, the variable of input \`${input}\`, which the job's variables do not pass`,
          {
            expected: `${variable}: $[[ inputs.${input} ]] under the job's variables`,
            actual: "no such variable",
            fix: `add \`${variable}: $[[ inputs.${input} ]]\` under the job's variables, or correct the name in the .sh file`,
          },
        );
      }
    }
  }
}

/** One job variable: an input in it is the whole value, under the input's HCI_ name; that name holds nothing else. */
function checkInputVariable(parsed: ParsedTemplate, jobName: string, pair: Pair, byVariable: Map<string, string>, emit: Emit): void {
  const key = keyOf(pair);
  // A variable is a value or, in GitLab's long form, a map with the value under `value`.
  const node = isMap(pair.value) ? findPair(pair.value, "value")?.value : pair.value;
  const value = isScalar(node) ? node.value : undefined;
  const text = typeof value === "string" ? value : String(value ?? "");
  const inputs = findBlocks(text).flatMap((b) => {
    const name = inputOf(b.data);
    return name === undefined ? [] : [{ name, text: b.text }];
  });
  const at = pairLocation(parsed, pair);
  const own = byVariable.get(key);
  if (inputs.length === 0 && own !== undefined) {
    emit("INPUT_VARIABLE_NAME", at, `job \`${jobName}\`: \`${key}\` is the variable of input \`${own}\`, but holds something else`, {
      expected: `${key}: $[[ inputs.${own} ]]`,
      actual: `${key}: ${text}`,
      fix: `set \`${key}: $[[ inputs.${own} ]]\`, or rename this variable (HCI_<INPUT> names are the inputs')`,
    });
  }
  for (const input of inputs) {
    const expected = inputVariable(input.name);
    if (inputs.length > 1 || text.trim() !== input.text) {
      emit("INPUT_VARIABLE_NAME", at, `job \`${jobName}\`: \`${key}\` mixes input \`${input.name}\` with other text`, {
        expected: `${expected}: ${input.text}, the input alone`,
        actual: `${key}: ${text}`,
        fix: `pass \`${expected}: ${input.text}\` and build the value in the shell`,
      });
    } else if (key !== expected) {
      emit("INPUT_VARIABLE_NAME", at, `job \`${jobName}\`: input \`${input.name}\` reaches the shell as \`${key}\`, not \`${expected}\``, {
        expected: `${expected}: ${input.text}`,
        actual: `${key}: ${text}`,
        fix: `rename \`${key}\` to \`${expected}\` under the job's variables and in the .sh files that read it, then run \`npm run generate\``,
      });
    }
  }
}

/** Where `text` stands inside `node`'s source; the node's start when the source differs (escapes). */
function locateIn(parsed: ParsedTemplate, node: Node, text: string): Location {
  const range = node.range;
  if (!range) return blockLocation(parsed, text);
  const i = parsed.text.slice(range[0], range[1]).indexOf(text);
  return { file: parsed.file, ...positionOf(parsed.text, range[0] + (i >= 0 ? i : 0)) };
}

function isFromInput(value: unknown): boolean {
  return typeof value === "string" && /\$\[\[\s*inputs\./.test(value);
}

function checkBody(parsed: ParsedTemplate, emit: Emit): void {
  for (const pair of pairsOf(parsed.bodyDoc.contents)) {
    const key = keyOf(pair);
    const at = pairLocation(parsed, pair);
    if (GLOBAL_KEYWORDS.has(key)) {
      emit("GLOBAL_KEYWORD", at, `global keyword \`${key}\` in a component body`, {
        expected: "only jobs (and hidden jobs) in the body",
        actual: key,
        fix: "move it into the job (`variables`, `image`, ...) or leave it to the including pipeline (`stages`, `workflow`, `default`)",
      });
      continue;
    }
    if (key === "include") {
      const entries = (parsed.body as Record<string, unknown>)["include"];
      for (const entry of Array.isArray(entries) ? entries : [entries]) {
        const local =
          typeof entry === "string"
            ? !/^https?:/.test(entry)
            : entry && typeof entry === "object" && Object.keys(entry).every((k) => k === "local" || k === "rules" || k === "inputs");
        if (!local) {
          emit("INCLUDE_OUTSIDE_PROJECT", at, `component includes something outside the project: ${JSON.stringify(entry)}`, {
            expected: "include: local: only",
            fix: "components must not pull configuration from other projects or URLs; inline it or make it an input",
          });
        }
      }
      continue;
    }
    if (!isFromInput(key)) {
      emit("JOB_NAME_NOT_FROM_INPUT", at, `job \`${key}\` has a fixed name`, {
        expected: "a name built from an input, such as `$[[ inputs.job_name ]]`",
        actual: key,
        fix: "name the job from an input so that users can include the component twice",
      });
    }
    const stage = findPair(pair.value, "stage");
    if (!key.startsWith(".") && (!stage || !isFromInput(isScalar(stage.value) ? stage.value.value : undefined))) {
      emit("STAGE_NOT_FROM_INPUT", stage ? pairLocation(parsed, stage) : at, `job \`${key}\`: stage does not come from an input`, {
        expected: "stage: $[[ inputs.stage ]]",
        actual: stage && isScalar(stage.value) ? String(stage.value.value) : "no stage",
        fix: "set `stage: $[[ inputs.stage ]]`",
      });
    }
  }
}

function requiredPlaceholders(parsed: ParsedTemplate, examples: Example[]): Record<string, unknown> | undefined {
  const required = Object.entries(parsed.specs).filter(([, s]) => !s || !Object.hasOwn(s, "default"));
  const out: Record<string, unknown> = {};
  for (const [name] of required) {
    const ex = examples.find((e) => e.inputs[name] !== undefined);
    if (!ex) return undefined;
    out[name] = ex.inputs[name];
  }
  return out;
}

function checkRendered(parsed: ParsedTemplate, ctx: RuleContext, emit: Emit): void {
  const examples = ctx.examples ?? [];
  const cases: Array<{ label: string; inputs: Record<string, unknown>; at: Location }> = [];
  const fileAt = { file: parsed.file, line: 0, column: 0 };
  const defaults = requiredPlaceholders(parsed, examples);
  if (defaults) cases.push({ label: "defaults", inputs: defaults, at: fileAt });
  else {
    emit("RENDER_FAILED", fileAt, "cannot render with defaults: a required input has no example in the README", {
      fix: `add a README example that includes \`${ctx.component}\` with its required inputs`,
    });
  }
  for (const ex of [...examples, ...(ctx.selfTests ?? [])]) cases.push({ label: ex.label, inputs: ex.inputs, at: ex.location });
  for (const c of cases) {
    let body: unknown;
    // Every supported GitLab version must accept the include (gitlab-versions.ts).
    const rejections = new Map<string, Band[]>();
    for (const band of BANDS) {
      try {
        const rendered = renderTemplate(parsed, ctx.component, c.inputs, { band }).body;
        if (band === BANDS[BANDS.length - 1]) body = rendered;
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        const key = e.messages.join("; ");
        rejections.set(key, [...(rejections.get(key) ?? []), band]);
      }
    }
    for (const [message, bands] of rejections) {
      const all = bands.length === BANDS.length;
      const input = /`([^`]+)` input/.exec(message)?.[1];
      emit(
        all ? "RENDER_FAILED" : "REJECTED_BY_GITLAB_VERSION",
        c.at,
        `${input ? `input \`${input}\`: ` : ""}rendering with ${c.label} is rejected by GitLab ${rangeLabel(bands)}: ${message}`,
        {
          expected: all ? undefined : "accepted by every supported GitLab version (17.0 and later)",
          actual: message,
          fix: all
            ? "fix the example's inputs or the template"
            : 'an empty default cannot carry a regex before GitLab 18.3: drop the @pattern\'s regex from spec:inputs (inputs with `@default ""` are checked by the job) or give a non-empty default',
        },
      );
    }
    if (body === undefined) continue;
    if (ctx.gitlabSchema && !ctx.gitlabSchema(body)) {
      for (const { message, pointer } of summarizeErrors(ctx.gitlabSchema.errors)) {
        const at = c.at.line > 0 ? c.at : pointerLocation(parsed, "body", pointer, body);
        emit("BODY_SCHEMA", at, `rendered with ${c.label}, the body fails GitLab's schema: ${message}`, {
          fix: "fix the template body so that GitLab accepts it",
        });
      }
    }
  }
}

/** Runs every rule on one parsed template. */
export function checkTemplate(parsed: ParsedTemplate, ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const emit: Emit = (code, at, message, extra = {}) => out.push({ code, severity: "error", ...at, message, ...extra });
  checkSpec(parsed, ctx, emit);
  checkInterpolations(parsed, emit);
  checkScripts(parsed, emit);
  checkInputVariables(parsed, emit);
  checkBody(parsed, emit);
  if (
    !out.some(
      (d) => d.code === "UNDECLARED_INPUT" || d.code === "INVALID_DEFAULT" || d.code === "REJECTED_BY_GITLAB_VERSION" || d.code === "INVALID_INTERPOLATION",
    )
  ) {
    checkRendered(parsed, ctx, emit);
  }
  return out;
}
