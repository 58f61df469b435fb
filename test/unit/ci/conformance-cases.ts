// GitLab's input handling, case by case: (spec, inputs, GitLab version) -> values or exact errors.
// Each case cites the GitLab file it follows, at the gitlabhq/gitlabhq commit it was read at
// (scripts/lib/ci/versions.ts lists the same files per version band).
import type { InputSpecs } from "../../../scripts/lib/ci/inputs.ts";

export interface Source {
  file: string;
  commit: string;
}

const S = {
  legacyString: { file: "lib/gitlab/ci/config/interpolation/inputs/string_input.rb", commit: "419c53ec62de6e97a517abd5fdd4cbde3a942a34" },
  legacyNumber: { file: "lib/gitlab/ci/config/interpolation/inputs/number_input.rb", commit: "a3e6d34643e760d1a8b8bd1e7e32d8d74c1ea678" },
  legacyInputs: { file: "lib/gitlab/ci/config/interpolation/inputs.rb", commit: "036cfe846472ee1cca9f7b8c43af28cd344ad66a" },
  untrusted: { file: "lib/gitlab/untrusted_regexp.rb", commit: "0286e4c628d68960d0ca9e961d82c3ea6ac90633" },
  ciBase: { file: "lib/ci/inputs/base_input.rb", commit: "2c7f2598bb6bbfa01ab83f3df4dd864486c12161" },
  ciString: { file: "lib/ci/inputs/string_input.rb", commit: "2c7f2598bb6bbfa01ab83f3df4dd864486c12161" },
  ciNumber: { file: "lib/ci/inputs/number_input.rb", commit: "0286e4c628d68960d0ca9e961d82c3ea6ac90633" },
  ciBoolean: { file: "lib/ci/inputs/boolean_input.rb", commit: "ea62416e4954313342575f1337d0532bd5cac9b6" },
  ciArray: { file: "lib/ci/inputs/array_input.rb", commit: "55eb439f6bfb82a732d86ac171ba99e29e1e6a88" },
  ciBuilder: { file: "lib/ci/inputs/builder.rb", commit: "2c7f2598bb6bbfa01ab83f3df4dd864486c12161" },
  interpolationInputs: { file: "lib/gitlab/ci/config/interpolation/inputs.rb", commit: "4d15078547314a44df1236c4991e225257a8609e" },
  interpolator: { file: "lib/gitlab/ci/config/interpolation/interpolator.rb", commit: "036cfe846472ee1cca9f7b8c43af28cd344ad66a" },
  fnBase: { file: "lib/gitlab/ci/config/interpolation/functions/base.rb", commit: "419c53ec62de6e97a517abd5fdd4cbde3a942a34" },
  fnStack: { file: "lib/gitlab/ci/config/interpolation/functions_stack.rb", commit: "41946e65501d176230532ae34b16e64f5cdac462" },
  fnSplit: { file: "lib/gitlab/ci/config/interpolation/functions/split.rb", commit: "41946e65501d176230532ae34b16e64f5cdac462" },
  fnPosix: { file: "lib/gitlab/ci/config/interpolation/functions/posix_escape.rb", commit: "0286e4c628d68960d0ca9e961d82c3ea6ac90633" },
  block: { file: "lib/gitlab/ci/config/interpolation/block.rb", commit: "58340cfe9dfd522515a0bd46dff5ed9662190bb4" },
} satisfies Record<string, Source>;

export type Category =
  | "empty default with regex"
  | "coercion"
  | "boolean as string"
  | "options with numbers"
  | "arrays"
  | "functions"
  | "RE2 syntax"
  | "unknown inputs with other errors"
  | "more than 3 errors";

interface Base {
  name: string;
  category: Category;
  /** A GitLab version ("major.minor"). */
  gitlab: string;
  source: Source;
}

/** Inputs validation only. */
export interface InputsCase extends Base {
  spec: InputSpecs;
  inputs: Record<string, unknown>;
  values?: Record<string, unknown>;
  errors?: string[];
  /** What the include error shows (Interpolator#error_message). */
  message?: string;
}

/** A whole template body: `$[[ ]]` blocks with functions. */
export interface TemplateCase extends Base {
  spec: InputSpecs;
  inputs: Record<string, unknown>;
  body: string;
  flags?: string[];
  rendered?: unknown;
  errors?: string[];
}

export type Case = InputsCase | TemplateCase;

const str = (extra: object = {}) => ({ type: "string", ...extra });

const target = { target: str({ default: "", regex: "^([A-Za-z0-9][A-Za-z0-9_.-]*)?$" }) };

export const CASES: Case[] = [
  // --- empty default with a regex ---
  {
    name: "empty default + regex, nothing given: rejected",
    category: "empty default with regex",
    gitlab: "17.0",
    source: S.untrusted,
    spec: target,
    inputs: {},
    errors: ["`target` input: default value does not match required RegEx pattern"],
  },
  {
    name: "empty default + regex, a valid value given: the default is still checked",
    category: "empty default with regex",
    gitlab: "18.2",
    source: S.legacyString,
    spec: target,
    inputs: { target: "runtime" },
    errors: ["`target` input: default value does not match required RegEx pattern"],
  },
  {
    name: "empty default + regex, nothing given: accepted",
    category: "empty default with regex",
    gitlab: "18.3",
    source: S.ciString,
    spec: target,
    inputs: {},
    values: { target: "" },
  },
  {
    name: "empty default + regex, a valid value given: accepted",
    category: "empty default with regex",
    gitlab: "19.2",
    source: S.ciString,
    spec: target,
    inputs: { target: "runtime" },
    values: { target: "runtime" },
  },
  {
    name: "an empty value given against an empty-matching regex: rejected",
    category: "empty default with regex",
    gitlab: "17.0",
    source: S.untrusted,
    spec: { t: str({ default: "x", regex: "^x?$" }) },
    inputs: { t: "" },
    errors: ["`t` input: provided value does not match required RegEx pattern"],
  },
  {
    name: "a whitespace-only value is not `present?`: rejected",
    category: "empty default with regex",
    gitlab: "17.0",
    source: S.untrusted,
    spec: { t: str({ default: "x", regex: "^\\s*x?$" }) },
    inputs: { t: "  " },
    errors: ["`t` input: provided value does not match required RegEx pattern"],
  },
  {
    name: "a whitespace-only value matches with allow_empty_string",
    category: "empty default with regex",
    gitlab: "18.3",
    source: S.untrusted,
    spec: { t: str({ default: "x", regex: "^\\s*x?$" }) },
    inputs: { t: "  " },
    values: { t: "  " },
  },
  {
    name: "a non-matching value and an empty default: both reported, default first",
    category: "empty default with regex",
    gitlab: "17.0",
    source: S.legacyString,
    spec: target,
    inputs: { target: "-bad" },
    errors: ["`target` input: default value does not match required RegEx pattern", "`target` input: provided value does not match required RegEx pattern"],
  },

  // --- coercion, both directions ---
  {
    name: 'a number given as the string "3": not a number',
    category: "coercion",
    gitlab: "17.0",
    source: S.legacyNumber,
    spec: { n: { type: "number", default: 1 } },
    inputs: { n: "3" },
    errors: ["`n` input: provided value is not a number"],
  },
  {
    name: 'a number given as the string "3": coerced to 3',
    category: "coercion",
    gitlab: "18.3",
    source: S.ciBase,
    spec: { n: { type: "number", default: 1 } },
    inputs: { n: "3" },
    values: { n: 3 },
  },
  {
    name: 'a number given as "42.5": coerced to 42.5',
    category: "coercion",
    gitlab: "19.0",
    source: S.ciBase,
    spec: { n: { type: "number", default: 1 } },
    inputs: { n: "42.5" },
    values: { n: 42.5 },
  },
  {
    name: 'a number given as "abc": JSON fails, the text stays, not a number',
    category: "coercion",
    gitlab: "18.3",
    source: S.ciNumber,
    spec: { n: { type: "number", default: 1 } },
    inputs: { n: "abc" },
    errors: ["`n` input: provided value is not a number"],
  },
  {
    name: "a string given as 123: not a string",
    category: "coercion",
    gitlab: "17.0",
    source: S.legacyString,
    spec: { s: str({ default: "x" }) },
    inputs: { s: 123 },
    errors: ["`s` input: provided value is not a string"],
  },
  {
    name: 'a string given as 123: coerced to "123"',
    category: "coercion",
    gitlab: "18.3",
    source: S.ciString,
    spec: { s: str({ default: "x" }) },
    inputs: { s: 123 },
    values: { s: "123" },
  },
  {
    name: "a string's regex applies to the coerced text",
    category: "coercion",
    gitlab: "18.6",
    source: S.ciString,
    spec: { s: str({ default: "1", regex: "^[0-9]+$" }) },
    inputs: { s: 42 },
    values: { s: "42" },
  },
  {
    name: 'a number default written as "3": not a number',
    category: "coercion",
    gitlab: "17.0",
    source: S.legacyNumber,
    spec: { n: { type: "number", default: "3" } },
    inputs: {},
    errors: ["`n` input: default value is not a number"],
  },
  {
    name: 'a number default written as "3": coerced',
    category: "coercion",
    gitlab: "18.3",
    source: S.ciBase,
    spec: { n: { type: "number", default: "3" } },
    inputs: {},
    values: { n: 3 },
  },
  {
    name: 'a string default: null becomes ""',
    category: "coercion",
    gitlab: "18.3",
    source: S.ciString,
    spec: { s: str({ default: null }) },
    inputs: {},
    values: { s: "" },
  },

  // --- booleans given as strings ---
  {
    name: 'a boolean given as "true": not a boolean',
    category: "boolean as string",
    gitlab: "17.0",
    source: S.legacyInputs,
    spec: { b: { type: "boolean", default: false } },
    inputs: { b: "true" },
    errors: ["`b` input: provided value is not a boolean"],
  },
  {
    name: 'a boolean given as "true": coerced to true',
    category: "boolean as string",
    gitlab: "18.3",
    source: S.ciBoolean,
    spec: { b: { type: "boolean", default: false } },
    inputs: { b: "true" },
    values: { b: true },
  },
  {
    name: 'a boolean given as "yes": not JSON, not a boolean',
    category: "boolean as string",
    gitlab: "18.3",
    source: S.ciBoolean,
    spec: { b: { type: "boolean", default: false } },
    inputs: { b: "yes" },
    errors: ["`b` input: provided value is not a boolean"],
  },
  {
    name: 'a boolean default written as "false": coerced',
    category: "boolean as string",
    gitlab: "19.2",
    source: S.ciBoolean,
    spec: { b: { type: "boolean", default: "false" } },
    inputs: {},
    values: { b: false },
  },

  // --- options with numbers ---
  {
    name: 'a number outside its options: "the allowed options"',
    category: "options with numbers",
    gitlab: "17.0",
    source: S.legacyNumber,
    spec: { n: { type: "number", default: 1, options: [1, 2] } },
    inputs: { n: 3 },
    errors: ["`n` input: `3` cannot be used because it is not in the list of the allowed options"],
  },
  {
    name: 'a number option given as "2": coerced, allowed',
    category: "options with numbers",
    gitlab: "18.3",
    source: S.ciNumber,
    spec: { n: { type: "number", default: 1, options: [1, 2] } },
    inputs: { n: "2" },
    values: { n: 2 },
  },
  {
    name: 'a string input with number options, given "1": options compared as they are',
    category: "options with numbers",
    gitlab: "17.0",
    source: S.legacyString,
    spec: { s: str({ default: "2", options: [1, "2"] }) },
    inputs: { s: "1" },
    errors: ["`s` input: `1` cannot be used because it is not in the list of allowed options"],
  },
  {
    name: 'a string input with number options, given "1": options compared with to_s',
    category: "options with numbers",
    gitlab: "18.3",
    source: S.ciString,
    spec: { s: str({ default: "2", options: [1, "2"] }) },
    inputs: { s: "1" },
    values: { s: "1" },
  },

  // --- arrays ---
  {
    name: "an array given a string: not an array",
    category: "arrays",
    gitlab: "17.0",
    source: S.legacyInputs,
    spec: { a: { type: "array", default: [] } },
    inputs: { a: "x" },
    errors: ["`a` input: provided value is not an array"],
  },
  {
    name: "an array given a JSON string: coerced",
    category: "arrays",
    gitlab: "18.3",
    source: S.ciBase,
    spec: { a: { type: "array", default: [] } },
    inputs: { a: '["x", "y"]' },
    values: { a: ["x", "y"] },
  },
  {
    name: "an array with options: refused for the default and the value",
    category: "arrays",
    gitlab: "18.6",
    source: S.ciBase,
    spec: { a: { type: "array", default: ["x"], options: ["x", "y"] } },
    inputs: { a: ["z"] },
    errors: ["`a` input: Options can only be used with string and number inputs", "`a` input: Options can only be used with string and number inputs"],
  },
  {
    name: "an array with options: items outside them named",
    category: "arrays",
    gitlab: "19.0",
    source: S.ciArray,
    spec: { a: { type: "array", default: ["x"], options: ["x", "y"] } },
    inputs: { a: ["z", "x", "w"] },
    errors: ["`a` input: z, w cannot be used because it is not in the list of allowed options"],
  },
  {
    name: "a regex on an array input",
    category: "arrays",
    gitlab: "17.0",
    source: S.legacyInputs,
    spec: { a: { type: "array", default: [], regex: "x" } },
    inputs: {},
    errors: ["`a` input: RegEx validation can only be used with string inputs"],
  },

  // --- RE2-only syntax ---
  {
    name: "(?i) case-insensitive flag",
    category: "RE2 syntax",
    gitlab: "17.0",
    source: S.untrusted,
    spec: { job_name: str({ default: "build", regex: "(?i)^[a-z][a-z0-9_ .:/-]*$" }) },
    inputs: { job_name: "BUILD" },
    values: { job_name: "BUILD" },
  },
  {
    name: "a POSIX class [[:alpha:]]",
    category: "RE2 syntax",
    gitlab: "18.3",
    source: S.untrusted,
    spec: { s: str({ default: "a", regex: "^[[:alpha:]]+$" }) },
    inputs: { s: "Zeta" },
    values: { s: "Zeta" },
  },
  {
    name: "a{,3} is a literal in RE2",
    category: "RE2 syntax",
    gitlab: "18.3",
    source: S.untrusted,
    spec: { s: str({ default: "a{,3}", regex: "^a{,3}$" }) },
    inputs: { s: "aa" },
    errors: ["`s` input: provided value does not match required RegEx pattern"],
  },
  {
    name: "a Unicode script class \\p{Greek}",
    category: "RE2 syntax",
    gitlab: "17.0",
    source: S.untrusted,
    spec: { s: str({ default: "α", regex: "^\\p{Greek}+$" }) },
    inputs: { s: "αβγ" },
    values: { s: "αβγ" },
  },
  {
    name: "lookahead does not compile",
    category: "RE2 syntax",
    gitlab: "19.2",
    source: S.ciString,
    spec: { s: str({ default: "v1", regex: "^(?!latest)" }) },
    inputs: {},
    errors: ["`s` input: invalid regular expression"],
  },
  {
    name: "an unanchored regex searches",
    category: "RE2 syntax",
    gitlab: "17.0",
    source: S.untrusted,
    spec: { s: str({ default: "abc", regex: "b" }) },
    inputs: { s: "xbx" },
    values: { s: "xbx" },
  },

  // --- unknown inputs next to other errors ---
  {
    name: "unknown inputs come first, then each input's errors",
    category: "unknown inputs with other errors",
    gitlab: "17.0",
    source: S.legacyInputs,
    spec: { a: str(), n: { type: "number", default: 1 } },
    inputs: { x: 1, n: "1", y: 2 },
    errors: ["unknown input arguments: x, y", "`a` input: required value has not been provided", "`n` input: provided value is not a number"],
  },
  {
    name: "unknown inputs come first on Ci::Inputs too",
    category: "unknown inputs with other errors",
    gitlab: "18.3",
    source: S.interpolationInputs,
    spec: { a: str(), n: { type: "number", default: 1 } },
    inputs: { x: 1, n: "1" },
    errors: ["unknown input arguments: x", "`a` input: required value has not been provided"],
  },
  {
    name: "an unknown type is reported before the inputs' errors",
    category: "unknown inputs with other errors",
    gitlab: "18.3",
    source: S.ciBuilder,
    spec: { a: str(), h: { type: "hash" } },
    inputs: {},
    errors: ["unknown input specification for `h` (valid types: array, boolean, number, string)", "`a` input: required value has not been provided"],
  },

  // --- more than 3 errors ---
  {
    name: 'four errors: the include shows the first three, joined with ", "',
    category: "more than 3 errors",
    gitlab: "17.0",
    source: S.interpolator,
    spec: { a: str(), b: str(), c: str(), d: str() },
    inputs: { z: 1 },
    errors: [
      "unknown input arguments: z",
      "`a` input: required value has not been provided",
      "`b` input: required value has not been provided",
      "`c` input: required value has not been provided",
      "`d` input: required value has not been provided",
    ],
    message: "unknown input arguments: z, `a` input: required value has not been provided, `b` input: required value has not been provided",
  },
  {
    name: "four type errors on Ci::Inputs: the include shows the first three",
    category: "more than 3 errors",
    gitlab: "18.3",
    source: S.interpolator,
    spec: { a: { type: "number", default: 1 }, b: { type: "number", default: 1 }, c: { type: "boolean", default: true }, d: { type: "number", default: 1 } },
    inputs: { a: "x", b: "y", c: "maybe", d: "z" },
    errors: [
      "`a` input: provided value is not a number",
      "`b` input: provided value is not a number",
      "`c` input: provided value is not a boolean",
      "`d` input: provided value is not a number",
    ],
    message: "`a` input: provided value is not a number, `b` input: provided value is not a number, `c` input: provided value is not a boolean",
  },

  // --- functions ---
  {
    name: "truncate on a number: wrapped error",
    category: "functions",
    gitlab: "17.0",
    source: S.fnBase,
    spec: { n: { type: "number", default: 1 } },
    inputs: {},
    body: "j:\n  a: $[[ inputs.n | truncate(0,1) ]]\n",
    errors: ["error in `truncate` function: invalid input type: truncate can only be used with string inputs"],
  },
  {
    name: "posix_escape before 18.6: no such function",
    category: "functions",
    gitlab: "18.5",
    source: S.fnStack,
    spec: { s: str({ default: "a b" }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | posix_escape ]]\n",
    errors: ["no function matching `posix_escape`: check that the function name, arguments, and types are correct"],
  },
  {
    name: "posix_escape from 18.6",
    category: "functions",
    gitlab: "18.6",
    source: S.fnPosix,
    spec: { s: str({ default: "a b" }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | posix_escape ]]\n",
    rendered: { j: { a: "a\\ b" } },
  },
  {
    name: "split behind its feature flag: a list",
    category: "functions",
    gitlab: "19.2",
    source: S.fnSplit,
    flags: ["ci_interpolation_split_function"],
    spec: { s: str({ default: "a, b,,c " }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | split(',') ]]\n",
    rendered: { j: { a: ["a", "b", "c"] } },
  },
  {
    name: "split with the flag off: no such function",
    category: "functions",
    gitlab: "19.2",
    source: S.fnStack,
    spec: { s: str({ default: "a,b" }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | split(',') ]]\n",
    errors: ["no function matching `split(',')`: check that the function name, arguments, and types are correct"],
  },
  {
    name: "split must come last",
    category: "functions",
    gitlab: "19.2",
    source: S.fnStack,
    flags: ["ci_interpolation_split_function"],
    spec: { s: str({ default: "a,b" }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | split(',') | truncate(0,1) ]]\n",
    errors: ["split() must be the last function in a chain (it returns an array, not a string)"],
  },
  {
    name: "split with an empty separator: wrapped error",
    category: "functions",
    gitlab: "19.2",
    source: S.fnSplit,
    flags: ["ci_interpolation_split_function"],
    spec: { s: str({ default: "a,b" }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | split('') ]]\n",
    errors: ["error in `split` function: invalid argument: separator cannot be empty"],
  },
  {
    name: "four functions: too many",
    category: "functions",
    gitlab: "18.6",
    source: S.block,
    spec: { s: str({ default: "abc" }) },
    inputs: {},
    body: "j:\n  a: $[[ inputs.s | truncate(0,3) | truncate(0,2) | truncate(0,1) | truncate(0,1) ]]\n",
    errors: ["too many functions in interpolation block"],
  },
  {
    name: "truncate after coercion of a number to a string input",
    category: "functions",
    gitlab: "18.3",
    source: S.ciString,
    spec: { s: str({ default: "x" }) },
    inputs: { s: 12345 },
    body: "j:\n  a: $[[ inputs.s | truncate(1,3) ]]\n",
    rendered: { j: { a: "234" } },
  },
];
