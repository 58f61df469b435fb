// GitLab's validation of `include: inputs:` against a component's `spec:inputs`, with its own
// messages (gitlab-org/gitlab lib/gitlab/ci/config/interpolation/inputs/*.rb).

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

function typeOf(spec: InputSpec): InputType | undefined {
  if (spec.type === undefined || spec.type === null) return "string";
  return TYPES.includes(spec.type as InputType) ? (spec.type as InputType) : undefined;
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

/** GitLab matches `regex` unanchored, with RE2; JS RegExp agrees on RE2-compatible patterns. */
export function compileRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
}

/** Validates provided inputs against the spec and returns the values the template sees. */
export function validateInputs(specs: InputSpecs, args: Record<string, unknown>): InputsResult {
  const errors: string[] = [];
  const values: Record<string, unknown> = {};
  const unknown = Object.keys(args).filter((k) => !Object.hasOwn(specs, k));
  if (unknown.length > 0) errors.push(`unknown input arguments: ${unknown.join(", ")}`);

  for (const [name, rawSpec] of Object.entries(specs)) {
    const spec = rawSpec ?? {};
    const err = (message: string) => errors.push(`\`${name}\` input: ${message}`);
    const type = typeOf(spec);
    if (!type) {
      errors.push(`unknown input specification for \`${name}\` (valid types: ${TYPES.join(", ")})`);
      continue;
    }
    const required = !Object.hasOwn(spec, "default");
    const provided = args[name];
    const before = errors.length;
    if (required && (provided === undefined || provided === null)) {
      err("required value has not been provided");
      continue;
    }
    const run = (value: unknown, isDefault: boolean) => {
      const which = isDefault ? "default" : "provided";
      if (!isType(type, value)) err(`${which} value is not ${article(type)} ${type}`);
      if (spec.options) {
        if (type === "string" || type === "number") {
          if (value !== undefined && value !== null && !spec.options.includes(value)) {
            err(
              type === "string"
                ? `\`${String(value)}\` cannot be used because it is not in the list of allowed options`
                : `\`${String(value)}\` cannot be used because it is not in the list of the allowed options`,
            );
          }
        } else {
          err("Options can only be used with string and number inputs");
        }
      }
      if (spec.regex !== undefined) {
        if (type !== "string") err("RegEx validation can only be used with string inputs");
        else if (typeof value === "string") {
          const re = compileRegex(spec.regex);
          if (!re) err("invalid regular expression");
          else if (!re.test(value)) err(`${which} value does not match required RegEx pattern`);
        }
      }
    };
    if (!required) run(spec.default, true);
    if (provided !== undefined && provided !== null) run(provided, false);
    if (errors.length === before) values[name] = provided ?? spec.default;
  }
  return { values, errors };
}
