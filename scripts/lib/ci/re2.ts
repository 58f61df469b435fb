// GitLab matches `spec:inputs:regex` with RE2 (lib/gitlab/untrusted_regexp.rb: RE2::Regexp.new).
// re2-wasm is Google's RE2 compiled to WebAssembly: the same syntax and the same refusals
// (lookaround, backreferences), with no native build.
// A static import, so that the bundler (scripts/build.ts) takes it into the installed CLI.
import { RE2 } from "re2-wasm";

export type Re2 = { test(text: string): boolean };

const cache = new Map<string, Re2 | Error>();

/** Compiles an RE2 pattern; an Error carries RE2's own reason. */
export function compileRe2(pattern: string): Re2 | Error {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let out: Re2 | Error;
  try {
    // re2-wasm requires the `u` flag: RE2 works on UTF-8 text, as GitLab's re2 gem does.
    out = new RE2(pattern, "u");
  } catch (e) {
    out = new Error(String((e as Error).message).replace(/^Invalid regular expression: \/.*\/u: /s, ""));
  }
  cache.set(pattern, out);
  return out;
}

/** RE2's reason for refusing a pattern, or undefined when it compiles. */
export function re2Error(pattern: string): string | undefined {
  const re = compileRe2(pattern);
  return re instanceof Error ? re.message : undefined;
}

/**
 * Gitlab::UntrustedRegexp#match?: `(allow_empty_string || text.present?) && scan(text).present?`,
 * an unanchored search. `allowEmpty` is false on GitLab versions before the change (see
 * gitlab-versions.ts). Ruby's `present?` is false for "" and whitespace-only text.
 */
export function untrustedMatch(pattern: string, text: string, allowEmpty: boolean): boolean {
  const re = compileRe2(pattern);
  if (re instanceof Error) throw re;
  if (!allowEmpty && text.trim() === "") return false;
  return re.test(text);
}
