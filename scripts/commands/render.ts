import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Command } from "../cli.ts";
import { parseArgs, UsageError } from "../lib/args.ts";
import { DiagnosticError } from "../lib/diagnostics.ts";
import { renderComponent, RenderError } from "../lib/render.ts";

export const command: Command = {
  summary: "print the YAML GitLab merges into a pipeline for a component and its inputs",
  help: `Usage: harbor-ci render <component> [--input key=value]... [--inputs-file inputs.yml]

Prints the jobs GitLab would merge into your pipeline when it includes <component> with these
inputs, interpolated with GitLab's rules. Values are read as YAML, as in an \`inputs:\` block:
\`--input tags='["v1", "stable"]'\` is an array, \`--input cache=false\` a boolean. Invalid inputs
are rejected with GitLab's own messages on stderr and exit code 1.

Options:
  --input key=value      one input; repeatable; wins over --inputs-file
  --inputs-file FILE     a YAML mapping of inputs
  --var NAME=value       a variable that \`expand_vars\` may expand; repeatable

Examples:
  npx harbor-ci render build-push --input image_name=my-app
  npx harbor-ci render service-db --input 'script=["npm ci", "npm test"]'
  npx harbor-ci render pull-run --inputs-file ci/pull-run.inputs.yml`,
  async run(argv) {
    try {
      const args = parseArgs(argv, { values: ["input", "inputs-file", "var"] });
      const [name, ...extra] = args.positional;
      if (!name || extra.length) throw new UsageError("give exactly one component name");
      const inputs: Record<string, unknown> = {};
      for (const file of args.options.get("inputs-file") ?? []) {
        const data = parse(readFileSync(file, "utf8")) as unknown;
        if (data === null || data === undefined) continue;
        if (typeof data !== "object" || Array.isArray(data)) throw new UsageError(`${file}: expected a mapping of input names to values`);
        Object.assign(inputs, data);
      }
      for (const pair of args.options.get("input") ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--input ${pair}: expected key=value`);
        inputs[pair.slice(0, eq)] = parse(pair.slice(eq + 1)) ?? "";
      }
      const variables: Record<string, string> = {};
      for (const pair of args.options.get("var") ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--var ${pair}: expected NAME=value`);
        variables[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      process.stdout.write(renderComponent(name, inputs, { variables }).yaml);
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
      if (e instanceof UsageError) {
        process.stderr.write(`harbor-ci render: ${e.message}\nRun \`harbor-ci render --help\` for usage.\n`);
        return 2;
      }
      throw e;
    }
  },
};
