// GitLab's validation of `include: inputs:` against a component's `spec:inputs`, per version band
// (scripts/lib/ci/versions.ts), with GitLab's own messages:
// - 17.0–18.2: lib/gitlab/ci/config/interpolation/inputs/*.rb (no coercion; empty never matches);
// - 18.3 on:   lib/ci/inputs/*.rb (values coerced; an empty string may match a regex).
import { OLDEST, rangeLabel, type Band } from "./versions.ts";
import { untrustedMatch } from "./re2.ts";

export type InputType = "string" | "number" | "boolean" | "array";

export interface InputSpec {
  type?: InputType | string;
  default?: unknown;
  description?: string;
  options?: unknown[];
  regex?: string;
}

export type InputSpecs = Record<string, InputSpec | null>;

export interface InputsResult {
  values: Record<string, unknown>;
  errors: string[];
}

const TYPES: InputType[] = ["array", "boolean", "number", "string"];

function typeOf(spec: InputSpec | null): InputType | undefined {
  // StringInput.matches?: a nil spec, or a hash without `type` (or type: string).
  if (spec === null || spec.type === undefined || spec.type === null) return "string";
  return TYPES.includes(spec.type as InputType) ? (spec.type as InputType) : undefined;
}

/** Ruby's `to_s` of a YAML value (Array#to_s is #inspect). */
export function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return "[" + value.map(rubyInspect).join(", ") + "]";
  if (typeof value === "object") {
    return (
      "{" +
      Object.entries(value)
        .map(([k, v]) => `${rubyInspect(k)} => ${rubyInspect(v)}`)
        .join(", ") +
      "}"
    );
  }
  return String(value);
}

function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  return rubyToS(value);
}

/**
 * Ci::Inputs::BaseInput#coerced_value: `Gitlab::Json.parse(value) rescue JSON::ParserError`.
 * Values that are not strings (YAML already typed them) are kept as they are.
 */
function jsonCoerce(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function coerce(band: Band, type: InputType, value: unknown): unknown {
  if (band.inputs === "interpolation" || value === null || value === undefined) {
    // StringInput#coerced_value is `value.to_s`, also for nil (a `default: null`).
    return band.inputs === "ci-inputs" && type === "string" ? rubyToS(value) : value;
  }
  return type === "string" ? rubyToS(value) : jsonCoerce(value);
}

function isType(type: InputType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
  }
}

const article = (type: InputType) => (type === "array" ? "an" : "a");
const has = (o: object, k: string) => Object.hasOwn(o, k);

/** Deep equality as Ruby's Array#- compares items (==). */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Validates provided inputs against the spec as GitLab `band` does, and returns the values the
 * template sees. Without a band: the oldest supported one (the strictest).
 */
export function validateInputs(specs: InputSpecs, args: Record<string, unknown>, band: Band = OLDEST): InputsResult {
  const errors: string[] = [];
  const inputErrors: string[] = [];
  const values: Record<string, unknown> = {};
  const unknown = Object.keys(args).filter((k) => !has(specs, k));
  if (unknown.length > 0) errors.push(`unknown input arguments: ${unknown.join(", ")}`);

  for (const [name, rawSpec] of Object.entries(specs)) {
    const spec: InputSpec = rawSpec ?? {};
    const type = typeOf(rawSpec);
    if (!type) {
      errors.push(`unknown input specification for \`${name}\` (valid types: ${TYPES.join(", ")})`);
      continue;
    }
    const own: string[] = [];
    const err = (message: string) => own.push(`\`${name}\` input: ${message}`);
    const required = !has(spec, "default");
    const provided = args[name];
    if (required && (provided === undefined || provided === null)) {
      err("required value has not been provided");
      inputErrors.push(...own);
      continue;
    }
    // BaseInput#run_validations: type, options, regex; for the default, then for the value.
    const run = (raw: unknown, isDefault: boolean) => {
      const value = coerce(band, type, raw);
      const which = isDefault ? "default" : "provided";
      if (!isType(type, value)) err(`${which} value is not ${article(type)} ${type}`);
      if (spec.options !== undefined && spec.options !== null) {
        if (type === "string") {
          const allowed = band.inputs === "ci-inputs" ? spec.options.map(rubyToS) : spec.options;
          if (value !== null && value !== undefined && value !== false && !allowed.includes(value)) {
            err(`\`${rubyToS(value)}\` cannot be used because it is not in the list of allowed options`);
          }
        } else if (type === "number") {
          if (value !== null && value !== undefined && value !== false && !spec.options.includes(value)) {
            err(`\`${rubyToS(value)}\` cannot be used because it is not in the list of the allowed options`);
          }
        } else if (type === "array" && band.arrayOptions) {
          if (Array.isArray(value)) {
            const invalid = value.filter((v) => !spec.options!.some((o) => same(o, v)));
            if (invalid.length > 0) err(`${invalid.map(rubyToS).join(", ")} cannot be used because it is not in the list of allowed options`);
          }
        } else {
          err("Options can only be used with string and number inputs");
        }
      }
      if (has(spec, "regex")) {
        if (type !== "string") err("RegEx validation can only be used with string inputs");
        else if (typeof value === "string") {
          try {
            if (!untrustedMatch(String(spec.regex), value, band.inputs === "ci-inputs")) {
              err(`${which} value does not match required RegEx pattern`);
            }
          } catch {
            err("invalid regular expression");
          }
        }
      }
    };
    if (!required) run(spec.default, true);
    if (provided !== undefined && provided !== null) run(provided, false);
    if (own.length === 0) values[name] = coerce(band, type, provided ?? spec.default);
    inputErrors.push(...own);
  }
  return { values, errors: [...errors, ...inputErrors] };
}

/** Interpolator#error_message: an include shows its first three errors, joined with ", ". */
export function includeErrorMessage(errors: string[]): string {
  return errors.slice(0, 3).join(", ");
}

/**
 * validateInputs on several GitLab bands at once. An error only some bands report ends with the
 * versions that reject it: "… (rejected by GitLab 17.0–18.2)". Values are the newest band's.
 */
export function validateAcrossBands(specs: InputSpecs, args: Record<string, unknown>, bands: readonly Band[]): InputsResult {
  const byMessage = new Map<string, Band[]>();
  let values: Record<string, unknown> = {};
  for (const band of bands) {
    const result = validateInputs(specs, args, band);
    values = result.values;
    for (const m of result.errors) byMessage.set(m, [...(byMessage.get(m) ?? []), band]);
  }
  const errors = [...byMessage].map(([m, rejecting]) => (rejecting.length === bands.length ? m : `${m} (rejected by GitLab ${rangeLabel(rejecting)})`));
  return { values, errors };
}
