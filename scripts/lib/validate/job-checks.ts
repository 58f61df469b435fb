// The checks a component's job makes on its inputs at run time, applied by `validate` offline, so
// that a value the job would refuse fails before a pipeline runs (issue 18 item 7). Two kinds:
//   - the generated `@pattern` checks: inputs whose default is "" carry their pattern in
//     inputs.schema.json but not in spec:inputs (GitLab 17.0-18.2 would refuse the empty default),
//     so the job checks it (toolchain/input-checks.ts writes that block into template.yml);
//   - `hci_plain_value` (templates/lib/helpers.sh): a value that reaches docker as an argument or a
//     path never starts with `-` and never holds `..`. PLAIN_VALUE_INPUTS says which inputs, with
//     the label the job prints; test/unit/validate/job-checks.test.ts keeps both in step with the
//     shell (it runs the real function in busybox sh and reads the calls in each config.sh).
// A value with `$` is left alone: the runner expands it first, which only the job can see.
import type { InputsSchema } from "../ci/inputs-schema.ts";
import { compileRe2 } from "../ci/re2.ts";
import type { Diagnostic } from "../cli/diagnostics.ts";

type Where = { file: string; line: number; column: number };

/**
 * Inputs that each component's config.sh passes to hci_plain_value, with the label it prints.
 * `registry` is HCI_REG when the input is set (hci_registry_config, templates/lib/registry.sh:
 * "input registry" is then its source).
 */
export const PLAIN_VALUE_INPUTS: Record<string, Record<string, string>> = {
  "build-push": { registry: "registry (from input registry)", project: "Harbor project (input project)", image_name: "input image_name" },
  "pull-run": { registry: "registry (from input registry)", image: "input image" },
};

/** TypeScript mirror of hci_plain_value: the job's message for a value it refuses, else undefined. */
export function plainValueRefusal(label: string, value: string): string | undefined {
  // `case $2 in -*) ... ;; *..*) ... ;; esac`: the first matching branch wins.
  if (value.startsWith("-")) return `${label} '${value}' starts with '-', which docker would read as an option.`;
  if (value.includes("..")) return `${label} '${value}' contains '..', which would name a parent directory.`;
  return undefined;
}

/** The generated check's message (toolchain/input-checks.ts checkLines), else undefined. */
export function patternRefusal(component: string, name: string, pattern: string, value: string): string | undefined {
  const re = compileRe2(pattern);
  // awk matches the whole value (newlines included) against ^...$, as RE2 does by default.
  if (re instanceof Error || re.test(value)) return undefined;
  return `input ${name} is '${value}', which does not match ${pattern}: fix the input ${name} (see the README's inputs table of ${component}).`;
}

/**
 * JOB_INPUT_REFUSED for every provided input the job would refuse. `alreadyReported` holds the
 * inputs GitLab itself refuses (reported once, with GitLab's message).
 */
export function jobSideChecks(
  component: string,
  schema: InputsSchema,
  inputs: Record<string, unknown>,
  locate: (name: string) => Where,
  alreadyReported: ReadonlySet<string> = new Set(),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const refuse = (name: string, value: string, message: string) =>
    out.push({
      code: "JOB_INPUT_REFUSED",
      severity: "error",
      ...locate(name),
      message: `${component}: the job would stop at run time with: ${message}`,
      expected: `a value of input ${name} that the ${component} job accepts`,
      actual: value,
      fix: `fix the input ${name}: the job checks it after GitLab has accepted it`,
    });
  for (const [name, raw] of Object.entries(inputs)) {
    if (typeof raw !== "string" || raw.includes("$") || alreadyReported.has(name)) continue;
    const prop = schema.properties[name];
    if (!prop) continue;
    if (prop.pattern !== undefined && prop.default === "") {
      const message = patternRefusal(component, name, prop.pattern, raw);
      if (message) {
        refuse(name, raw, message);
        continue;
      }
    }
    const label = PLAIN_VALUE_INPUTS[component]?.[name];
    // An empty registry is "unset": the job takes HARBOR_URL instead (hci_registry_config).
    if (label && raw !== "") {
      const message = plainValueRefusal(label, raw);
      if (message) refuse(name, raw, message);
    }
  }
  return out;
}
