// Bounds GitLab puts on a parsed YAML document, checked where our parser would fail first.
//
// gitlab-org/gitlab lib/gitlab/config/loader/yaml.rb (YAML.safe_load, then
// Gitlab::Utils::DeepSize with `max_yaml_depth`, default 100 — application setting added by
// db/migrate AddYamlLimitsApplicationSetting, lib/gitlab/utils/deep_size.rb DEFAULT_MAX_DEPTH):
// a document whose hashes and arrays nest deeper than 100 levels (the root hash is level 1) is
// refused with DataTooLargeError "The parsed YAML is too big". The yaml package's composer
// recurses once per level and overflows V8's stack near a thousand levels, so the depth is read
// first from the CST (the yaml package's Parser keeps an explicit stack: no recursion).
//
// Psych's safe_load (psych/class_loader.rb ClassLoader::Restricted) refuses every Ruby object
// tag with Psych::DisallowedClass, "Tried to load unspecified class: <Class>"; GitLab permits only
// Symbol (yaml.rb `permitted_classes: [Symbol]`) and its loader shows Psych's message.
import { isNode, Parser, visit, type Document } from "yaml";

/** GitLab's `max_yaml_depth` default (lib/gitlab/utils/deep_size.rb DEFAULT_MAX_DEPTH). */
export const MAX_YAML_DEPTH = 100;

export const TOO_BIG_MESSAGE = "The parsed YAML is too big";

type CstLike = { type?: string; items?: Array<Record<string, unknown>>; value?: unknown };

const COLLECTIONS = new Set(["block-map", "block-seq", "flow-collection"]);

/**
 * The deepest nesting of collections in `text` (all documents), read without recursion; stops
 * counting once past `limit`. Aliases are not followed (the parsed value is checked for those).
 */
export function yamlNestingDepth(text: string, limit = MAX_YAML_DEPTH): number {
  let max = 0;
  for (const token of new Parser().parse(text)) {
    const stack: Array<[CstLike, number]> = [[token as CstLike, 0]];
    while (stack.length > 0) {
      const [t, d] = stack.pop()!;
      const depth = d + (t.type && COLLECTIONS.has(t.type) ? 1 : 0);
      if (depth > max) max = depth;
      if (max > limit) return max;
      for (const item of t.items ?? []) {
        for (const part of [item.key, item.value]) if (part && typeof part === "object" && !Array.isArray(part)) stack.push([part as CstLike, depth]);
      }
      if (t.value && typeof t.value === "object" && !Array.isArray(t.value)) stack.push([t.value as CstLike, depth]);
    }
  }
  return max;
}

/** `nested deeper than 100 levels (max_yaml_depth)` when GitLab would refuse `text`, else undefined. */
export function tooDeep(text: string): string | undefined {
  const depth = yamlNestingDepth(text);
  return depth > MAX_YAML_DEPTH ? `nested deeper than ${MAX_YAML_DEPTH} levels (max_yaml_depth)` : undefined;
}

/** The class Psych would have to load for a Ruby tag, or undefined for a tag that is not Ruby's. */
export function rubyTagClass(tag: string): string | undefined {
  const m = /^(?:!ruby\/|tag:ruby\.yaml\.org,2002:)([a-z]+)(?::(.+))?$/i.exec(tag);
  if (!m) return undefined;
  const [, kind, name] = m;
  if (/^sym(bol)?$/i.test(kind!)) return undefined; // Symbol is permitted (yaml.rb)
  if (name) return name;
  const bare: Record<string, string> = {
    regexp: "Regexp",
    range: "Range",
    object: "Object",
    struct: "Struct",
    exception: "Exception",
    hash: "Hash",
    array: "Array",
    string: "String",
    class: "Class",
    module: "Module",
    set: "Set",
  };
  return bare[kind!.toLowerCase()] ?? kind!;
}

/** Psych's DisallowedClass message for the first Ruby object tag of `doc`, with its offset. */
export function rubyTagProblem(doc: Document): { message: string; offset: number } | undefined {
  let found: { message: string; offset: number } | undefined;
  visit(doc, (_key, node) => {
    if (!isNode(node) || !node.tag) return undefined;
    const cls = rubyTagClass(node.tag);
    if (cls === undefined) return undefined;
    found = { message: `Tried to load unspecified class: ${cls}`, offset: node.range?.[0] ?? 0 };
    return visit.BREAK;
  });
  return found;
}
