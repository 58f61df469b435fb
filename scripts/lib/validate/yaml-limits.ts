// GitLab's YAML loader limits as `validate` diagnostics (ci/yaml-bounds.ts has the rules and
// their upstream sources): the depth is checked on the text, before the parser runs.
import type { Document, LineCounter } from "yaml";
import type { Diagnostic } from "../cli/diagnostics.ts";
import { MAX_YAML_DEPTH, rubyTagProblem, TOO_BIG_MESSAGE, tooDeep } from "../ci/yaml-bounds.ts";

/** YAML_TOO_BIG when `text` nests deeper than GitLab's max_yaml_depth; run it before parsing. */
export function tooDeepDiagnostic(text: string, file: string): Diagnostic | undefined {
  const deep = tooDeep(text);
  if (!deep) return undefined;
  return {
    code: "YAML_TOO_BIG",
    severity: "error",
    file,
    line: 0,
    column: 0,
    message: TOO_BIG_MESSAGE,
    expected: `at most ${MAX_YAML_DEPTH} levels of nested mappings and sequences`,
    actual: deep,
    fix: "use less nesting (GitLab refuses this document too)",
  };
}

/** YAML_UNSAFE_TAG for a Ruby object tag, with Psych's safe_load message. */
export function rubyTagDiagnostic(doc: Document, lineCounter: LineCounter, file: string): Diagnostic | undefined {
  const problem = rubyTagProblem(doc);
  if (!problem) return undefined;
  const pos = lineCounter.linePos(problem.offset);
  return {
    code: "YAML_UNSAFE_TAG",
    severity: "error",
    file,
    line: pos.line,
    column: pos.col,
    message: problem.message,
    expected: "plain YAML: mappings, sequences, scalars (GitLab loads YAML with Psych's safe_load)",
    actual: problem.message.replace("Tried to load unspecified class: ", "a Ruby object tag of class "),
    fix: "remove the !ruby/... tag; GitLab refuses it",
  };
}
