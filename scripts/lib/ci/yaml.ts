// YAML as GitLab reads a pipeline: Ruby's Psych, YAML 1.1 (GitLab's lib/gitlab/config/loader/yaml.rb
// calls YAML.safe_load and rescues Psych::Exception). One set of parse options
// for every place the CLI reads a pipeline or inputs (validate, render --inputs-file/--input,
// versions --pipeline):
//   - booleans are Psych's, case-insensitive yes/true/on and no/false/off
//     (psych/scalar_scanner.rb `when /^(yes|true|on)$/i`); `y` and `n` stay strings, unlike
//     the yaml package's own 1.1 schema;
//   - null is `~`, empty, or /^null$/i;
//   - 1.1 numbers (0777 octal, 1:20 sexagesimal), anchors, aliases and `<<` merge keys;
//   - duplicate keys allowed, the last wins (Psych does not complain);
//   - aliases bounded (maxAliasCount) so that a billion-laughs file stops with an error.

import { parseDocument, Scalar, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from "yaml";
import { rubyTagProblem, TOO_BIG_MESSAGE, tooDeep } from "./yaml-bounds.ts";

type Tag = { tag: string; test?: RegExp; default?: boolean | "key"; resolve?: unknown };

const psychBool = (value: boolean, test: RegExp) => ({
  identify: (v: unknown) => v === value,
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test,
  resolve: () => new Scalar(value),
  stringify: ({ value: v }: Scalar) => (v ? "true" : "false"),
});

const psychNull = {
  identify: (v: unknown) => v === null || v === undefined,
  createNode: () => new Scalar(null),
  default: true,
  tag: "tag:yaml.org,2002:null",
  test: /^(?:~|[Nn][Uu][Ll][Ll])?$/,
  resolve: () => new Scalar(null),
  stringify: () => "null",
};

function psychTags(tags: unknown[]): unknown[] {
  const rest = (tags as Tag[]).filter((t) => t.tag !== "tag:yaml.org,2002:bool" && t.tag !== "tag:yaml.org,2002:null");
  return [
    psychNull,
    psychBool(true, /^(?:[Yy][Ee][Ss]|[Tt][Rr][Uu][Ee]|[Oo][Nn])$/),
    psychBool(false, /^(?:[Nn][Oo]|[Ff][Aa][Ll][Ss][Ee]|[Oo][Ff][Ff])$/),
    ...rest,
  ];
}

/** Aliases resolved per document before the parse is refused (billion laughs). */
export const MAX_ALIAS_COUNT = 100;

export const GITLAB_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  merge: true,
  uniqueKeys: false,
  customTags: psychTags as SchemaOptions["customTags"],
};

export const GITLAB_TO_JS: ToJSOptions = { maxAliasCount: MAX_ALIAS_COUNT };

/**
 * One YAML document read as GitLab reads it; throws the yaml package's error (with its code), or
 * GitLab's message for a document nested deeper than max_yaml_depth (checked before the parser
 * can exhaust the stack) or holding a Ruby object tag (yaml-bounds.ts).
 */
export function parseGitlabYaml(text: string): unknown {
  const deep = tooDeep(text);
  if (deep) throw new Error(`${TOO_BIG_MESSAGE} (${deep})`);
  const doc = parseDocument(text, GITLAB_YAML);
  if (doc.errors.length > 0) throw doc.errors[0]!;
  const ruby = rubyTagProblem(doc);
  if (ruby) throw new Error(ruby.message);
  return doc.toJS(GITLAB_TO_JS);
}
