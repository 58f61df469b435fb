// Inputs whose default is "" cannot carry a `regex` in spec:inputs: GitLab 17.0–18.2 validates
// the default too, and its UntrustedRegexp#match? is false for an empty string, so every include
// would fail (gitlab-versions.ts). Their pattern (the `@pattern` of the component's inputs.ts, the
// one source) is checked instead in the job's configuration step, by a block generated here
// between two marker lines of the template body. Exit code 2, naming the input, value and fix.
import type { InputsSchema } from "./inputs-schema.ts";

export const CHECK_MARKERS = {
  begin: "# --- BEGIN GENERATED INPUT CHECKS (npm run generate) ---",
  end: "# --- END GENERATED INPUT CHECKS ---",
};

export interface JobCheckedInput {
  name: string;
  pattern: string;
  description?: string;
}

/** Inputs checked by the job rather than by GitLab: a pattern and an empty default. */
export function jobCheckedInputs(schema: InputsSchema): JobCheckedInput[] {
  return Object.entries(schema.properties)
    .filter(([, p]) => p.pattern !== undefined && p.default === "")
    .map(([name, p]) => ({ name, pattern: p.pattern!, description: p.description }));
}

export class PatternConversionError extends Error {}

/**
 * An RE2 pattern as a POSIX ERE for an awk regex literal (`v ~ /.../`; busybox and gawk). awk
 * matches the whole value, newlines included, with `^`/`$` at its ends: RE2's default, too.
 * Throws on RE2 syntax that has no ERE equivalent, so that generation fails rather than drifts.
 */
export function re2ToAwk(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "'") throw new PatternConversionError("a single quote cannot stand in the generated shell line");
    if (c === "\\") {
      const n = pattern[i + 1];
      i++;
      if (n === undefined) throw new PatternConversionError("trailing backslash");
      if (n === "s") out += inClass ? "[:space:]" : "[[:space:]]";
      else if (n === "d") out += inClass ? "0-9" : "[0-9]";
      else if (n === "S" && !inClass) out += "[^[:space:]]";
      else if ("ntr".includes(n)) out += "\\" + n;
      else if ("$.{}()[]*+?|^/-\\".includes(n)) out += "\\" + n;
      else throw new PatternConversionError(`\\${n} has no POSIX ERE equivalent`);
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c === "/" ? "\\/" : c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") out += pattern[++i];
      if (pattern[i + 1] === "]") out += pattern[++i];
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      if (pattern[i + 2] === ":") {
        out += "(";
        i += 2;
        continue;
      }
      throw new PatternConversionError(`the group ${pattern.slice(i, i + 4)}... has no POSIX ERE equivalent`);
    }
    out += c === "/" ? "\\/" : c;
  }
  return out;
}

/** The job variable that carries an input: `HCI_X: $[[ inputs.name ]]` in the body. */
export function variableOf(templateText: string, input: string): string | undefined {
  const re = new RegExp(`^\\s+(HCI_[A-Z0-9_]+):\\s*\\$\\[\\[\\s*inputs\\.${input}\\s*\\]\\]\\s*$`, "m");
  return re.exec(templateText)?.[1];
}

function sq(text: string): string {
  return "'" + text.replace(/'/g, "'\\''") + "'";
}

/** The generated shell lines (without indentation). */
export function checkLines(component: string, templateText: string, inputs: JobCheckedInput[]): string[] {
  const lines = [
    `# From the @pattern of templates/${component}/inputs.ts. GitLab 17.0-18.2 rejects a regex on an`,
    "# empty default, so these are checked here, on the value after the runner expanded $VARIABLES.",
  ];
  for (const input of inputs) {
    const variable = variableOf(templateText, input.name);
    if (!variable) throw new PatternConversionError(`no job variable carries input ${input.name} (HCI_X: $[[ inputs.${input.name} ]])`);
    const ere = re2ToAwk(input.pattern);
    lines.push(
      `HCI_V=$${variable} awk 'BEGIN { exit !(ENVIRON["HCI_V"] ~ /${ere}/) }' ||`,
      `  hci_fail 2 "input ${input.name} is '$${variable}', which does not match "${sq(input.pattern)}": fix the input ${input.name} (see the README's inputs table of ${component})."`,
    );
  }
  return lines;
}

/**
 * The template with the block between the markers regenerated; undefined when the markers are
 * missing. Indentation follows the BEGIN marker's line.
 */
export function withInputChecks(templateText: string, component: string, schema: InputsSchema): string | undefined {
  const inputs = jobCheckedInputs(schema);
  const b = templateText.indexOf(CHECK_MARKERS.begin);
  const e = templateText.indexOf(CHECK_MARKERS.end, b);
  if (b < 0 || e < 0) return inputs.length === 0 ? templateText : undefined;
  const lineStart = templateText.lastIndexOf("\n", b) + 1;
  const indent = templateText.slice(lineStart, b);
  const body = checkLines(component, templateText, inputs)
    .map((l) => indent + l)
    .join("\n");
  return templateText.slice(0, b + CHECK_MARKERS.begin.length) + "\n" + body + "\n" + indent + templateText.slice(e);
}
