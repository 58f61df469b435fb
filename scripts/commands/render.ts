import type { Command } from "./command.ts";
import { parseGitlabYaml } from "../lib/ci/yaml.ts";
import { LocalFileError, readRegularFile } from "../lib/cli/user-files.ts";
import { parseCommandArgs } from "../lib/cli/args.ts";
import { DiagnosticError, usageError } from "../lib/cli/diagnostics.ts";
import { renderComponent, RenderError } from "../lib/ci/render.ts";
import { bandOption, OLDEST } from "../lib/ci/versions.ts";

const OPTIONS = {
  input: { type: "string", multiple: true },
  "inputs-file": { type: "string", multiple: true },
  var: { type: "string", multiple: true },
  "gitlab-version": { type: "string" },
} as const;

/**
 * Sets an own property, whatever its name: `out[k] = v` and Object.assign would take `__proto__`
 * as the prototype and drop the input silently, where validate (and GitLab) report it as unknown.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `key=value` pairs; the value is read as YAML, as in an `inputs:` block. */
function pairs(option: string, list: string[] | undefined, asYaml: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of list ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw usageError("OPTION_INVALID", `--${option} ${pair}: expected name=value`, `write --${option} name=value`);
    const value = pair.slice(eq + 1);
    // A null (`name=~`, `name=`) is "not provided", as in an inputs: block: the default applies
    // (GitLab's BaseInput#actual_value: `value.nil? ? default : value`).
    setOwn(out, pair.slice(0, eq), asYaml ? yamlValue(option, pair.slice(0, eq), value) : value);
  }
  return out;
}

function yamlValue(option: string, name: string, text: string): unknown {
  try {
    return parseGitlabYaml(text);
  } catch (err) {
    throw usageError(
      "OPTION_INVALID",
      `--${option} ${name}=...: the value is not valid YAML (${(err as Error).message.split("\n")[0]})`,
      "quote the value, e.g. --input 'name=\"a: b\"'",
    );
  }
}

/** An inputs file, read as GitLab reads YAML, bounded and regular files only. */
function readInputsFile(file: string): unknown {
  let text: string;
  try {
    text = readRegularFile(file);
  } catch (err) {
    if (!(err instanceof LocalFileError)) throw err;
    throw usageError("INPUTS_FILE_UNREADABLE", `cannot read --inputs-file ${file}: ${err.detail}`, "pass a YAML file of `name: value` lines");
  }
  try {
    return parseGitlabYaml(text);
  } catch (err) {
    throw usageError("INPUTS_FILE_INVALID", `${file} is not valid YAML (${(err as Error).message.split("\n")[0]})`, "fix the YAML syntax");
  }
}

export const command: Command = {
  summary: "print the YAML GitLab merges into a pipeline for a component and its inputs",
  help: `Usage: harbor-ci render <component> [--input key=value]... [--inputs-file inputs.yml] [--gitlab-version X.Y]

Prints the jobs GitLab would merge into your pipeline when it includes <component> with these
inputs, interpolated with GitLab's rules. Values are read as YAML 1.1, as GitLab reads an
\`inputs:\` block: \`--input push_retries=5\` is a number, \`--input cache=no\` a boolean (which the string
input cache refuses, as GitLab does),
\`--input tags=~\` is null, which keeps the default. Invalid inputs are
rejected with GitLab's own messages on stderr and exit code 1 (2 for a bad command line).
GitLab's input handling depends on its version (README: Supported GitLab versions): render
follows --gitlab-version, by default the oldest supported one (${OLDEST.from}), the strictest.

Options:
  --input key=value      one input; repeatable; wins over --inputs-file
  --inputs-file FILE     a YAML mapping of inputs; repeatable
  --var NAME=value       a variable that \`expand_vars\` may expand; repeatable
  --gitlab-version X.Y   render as this GitLab version (17.0 or later); default ${OLDEST.from}

Examples:
  npx harbor-ci render build-push --input image_name=my-app
  npx harbor-ci render build-push --input image_name=my-app --input 'tags=$CI_COMMIT_SHORT_SHA stable'
  npx harbor-ci render service-db --input image=node:20 --input 'script=["npm ci", "npm test"]'
  npx harbor-ci render pull-run --inputs-file ci/pull-run.inputs.yml`,
  async run(argv) {
    try {
      const { values, positionals } = parseCommandArgs("render", argv, OPTIONS, true);
      const [name, ...extra] = positionals;
      if (!name || extra.length) throw usageError("OPTION_INVALID", "give exactly one component name", "harbor-ci render build-push --input image_name=my-app");
      const inputs: Record<string, unknown> = {};
      for (const file of values["inputs-file"] ?? []) {
        const data = readInputsFile(file);
        if (data === null || data === undefined) continue;
        if (typeof data !== "object" || Array.isArray(data)) {
          throw usageError("INPUTS_FILE_INVALID", `${file} is not a mapping of input names to values`, "write `name: value` lines");
        }
        for (const [k, v] of Object.entries(data)) setOwn(inputs, k, v);
      }
      for (const [k, v] of Object.entries(pairs("input", values.input, true))) setOwn(inputs, k, v);
      const variables = pairs("var", values.var, false) as Record<string, string>;
      const band = bandOption(values["gitlab-version"]);
      process.stdout.write(renderComponent(name, inputs, { variables, band }).yaml);
      return 0;
    } catch (e) {
      if (e instanceof RenderError) {
        process.stderr.write(e.messages.join("\n") + "\n");
        return 1;
      }
      if (e instanceof DiagnosticError) {
        process.stderr.write(e.message + "\n");
        return 1;
      }
      throw e;
    }
  },
};
