// Component references and the `include:` entries that hold them: the one parser and the one
// walker that `validate`, `versions` and the README examples share.
import { CliError } from "../cli/diagnostics.ts";
import { TOO_BIG_MESSAGE, tooDeep } from "./yaml-bounds.ts";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Scalar } from "yaml";
import { GITLAB_YAML } from "./yaml.ts";

export interface ComponentReference {
  /** The whole `component:` value. */
  reference: string;
  /** What stands before `/<name>@`: `$CI_SERVER_FQDN/group/project`. */
  path: string;
  /** The first segment of `path` (the instance's FQDN or `$CI_SERVER_FQDN`). */
  host: string;
  /** The rest of `path`: the project's full path ("" when `path` has one segment). */
  projectPath: string;
  name: string;
  version: string;
}

/** `$CI_SERVER_FQDN/group/harbor-ci-components/build-push@1.4.2` -> its parts. */
export function parseComponentReference(reference: string): ComponentReference | undefined {
  const m = /^(.+)\/([\w-]+)@([^\s/]+)$/.exec(reference.trim());
  if (!m) return undefined;
  const path = m[1]!;
  const slash = path.indexOf("/");
  return {
    reference,
    path,
    host: slash < 0 ? path : path.slice(0, slash),
    projectPath: slash < 0 ? "" : path.slice(slash + 1),
    name: m[2]!,
    version: m[3]!,
  };
}

/** One entry of a document's `include:` (a string, or a map such as `local:` or `component:`). */
export interface IncludeEntry {
  node: Node;
  /** `include: ci/build.yml` or `- local: ci/build.yml` (remote URLs excluded). */
  local?: string;
  /** The `component:` value's node, when the entry includes a component. */
  component?: Scalar<string>;
}

/** The entries of one YAML document's top-level `include:`, in order. */
export function includeEntries(contents: unknown): IncludeEntry[] {
  if (!isMap(contents)) return [];
  const include = contents.get("include", true) as Node | undefined;
  if (!include) return [];
  const nodes = isSeq(include) ? (include.items as Node[]) : [include];
  return nodes.map((node) => {
    const local = isScalar(node) ? String(node.value) : isMap(node) ? (node.get("local") as string | undefined) : undefined;
    if (local !== undefined && !/^https?:\/\//.test(local)) return { node, local };
    const component = isMap(node) ? node.get("component", true) : undefined;
    if (isScalar(component) && typeof component.value === "string") return { node, component: component as Scalar<string> };
    return { node };
  });
}

/** Every `include: component:` of a pipeline file with its 1-based line (all YAML documents). */
export function componentIncludes(text: string): Array<{ reference: string; line: number }> {
  // Before the parser can exhaust the stack (yaml-bounds.ts); GitLab refuses such a file too.
  const deep = tooDeep(text);
  if (deep) {
    throw new CliError({
      code: "YAML_TOO_BIG",
      message: `the pipeline file: ${TOO_BIG_MESSAGE}`,
      actual: deep,
      fix: "use less nesting (GitLab refuses this document too)",
    });
  }
  const lineCounter = new LineCounter();
  const out: Array<{ reference: string; line: number }> = [];
  for (const doc of parseAllDocuments(text, { ...GITLAB_YAML, lineCounter })) {
    if (!("contents" in doc)) continue;
    for (const entry of includeEntries(doc.contents)) {
      if (!entry.component) continue;
      const line = entry.component.range ? lineCounter.linePos(entry.component.range[0]).line : 0;
      out.push({ reference: entry.component.value, line });
    }
  }
  return out;
}
