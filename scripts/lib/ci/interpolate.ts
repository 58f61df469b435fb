// GitLab's `$[[ ... ]]` interpolation (lib/gitlab/ci/config/interpolation/*.rb): keys and values,
// a block that is the whole value keeps its type, inside a longer string it becomes text, an array
// block standing as a list item is spliced into the list, at most three functions. Which
// functions exist depends on the GitLab version (gitlab-versions.ts); their errors are wrapped as
// functions/base.rb does: error in `<name>` function: <message>.
import { NEWEST, type Band } from "./versions.ts";
import { rubyToS } from "./inputs.ts";

export const BLOCK_PATTERN = /\$\[\[\s*(\S.*?\S)\s*\]\]/g;
export const MAX_FUNCTIONS = 3;
const MAX_ACCESS_OBJECTS = 5;
const SKIP_CONTEXTS = new Set(["matrix"]);

export interface InterpolationContext {
  inputs: Record<string, unknown>;
  /** Variables that `expand_vars` may expand (project/group variables known at include time). */
  variables?: Record<string, string>;
  /** Names of masked variables: expand_vars refuses them. */
  masked?: Set<string>;
  /** The GitLab version band; the newest when absent. */
  band?: Band;
  /** GitLab feature flags switched on (for example `ci_interpolation_split_function`). */
  flags?: ReadonlySet<string>;
}

export class InterpolationError extends Error {}

type Fn = { name: string; apply(value: unknown, ctx: InterpolationContext): unknown };

/** Ruby's Shellwords.shellescape, which GitLab's posix_escape calls. */
export function shellescape(text: string): string {
  if (text === "") return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, "\\$&").replace(/\n/g, "'\n'");
}

/** GitLab's ExpandVariables.expand_existing: $VAR, ${VAR}, %VAR% of known variables; others stay. */
export function expandExisting(text: string, ctx: InterpolationContext): string {
  const vars = ctx.variables ?? {};
  return text.replace(/\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g, (m, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    if (!Object.hasOwn(vars, name)) return m;
    if (ctx.masked?.has(name)) {
      throw new InterpolationError(`variable expansion error: masked variables cannot be expanded`);
    }
    return vars[name]!;
  });
}

/** functions/base.rb#error */
const fnError = (name: string, message: string) => new InterpolationError(`error in \`${name}\` function: ${message}`);

function parseFunction(expr: string, band: Band, flags: ReadonlySet<string>): Fn | undefined {
  if (expr === "expand_vars") {
    return {
      name: "expand_vars",
      apply(value, ctx) {
        if (typeof value !== "string") throw fnError("expand_vars", "invalid input type: expand_vars can only be used with string inputs");
        try {
          return expandExisting(value, ctx);
        } catch (e) {
          if (e instanceof InterpolationError) throw fnError("expand_vars", e.message);
          throw e;
        }
      },
    };
  }
  if (expr === "posix_escape" && band.posixEscape) {
    return {
      name: "posix_escape",
      apply(value) {
        if (typeof value !== "string") throw fnError("posix_escape", "invalid input type: posix_escape can only be used with string inputs");
        return shellescape(value);
      },
    };
  }
  const t = /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)?$/.exec(expr);
  if (t) {
    const offset = Number(t[1]);
    const length = Number(t[2]);
    return {
      name: "truncate",
      apply(value) {
        if (typeof value !== "string") throw fnError("truncate", "invalid input type: truncate can only be used with string inputs");
        // Ruby's str[offset, length]: nil past the end, which to_s makes "".
        return offset > value.length ? "" : value.slice(offset, offset + length);
      },
    };
  }
  // functions/split.rb: /^split\('(?<separator>[^']*)'\)$/, behind a feature flag.
  const sp = /^split\('([^']*)'\)$/.exec(expr);
  if (sp && band.splitFlag && flags.has(band.splitFlag)) {
    const separator = sp[1]!;
    return {
      name: "split",
      apply(value) {
        if (typeof value !== "string") throw fnError("split", "invalid input type: split can only be used with string inputs");
        if (separator === "") throw fnError("split", "invalid argument: separator cannot be empty");
        return value
          .split(separator)
          .map((s) => s.trim())
          .filter((s) => s !== "");
      },
    };
  }
  return undefined;
}

export interface ParsedBlock {
  access: string[];
  functions: Fn[];
  skip: boolean;
}

/** Parses the inside of `$[[ ... ]]`; throws GitLab's message when it is malformed. */
export function parseBlock(data: string, band: Band = NEWEST, flags: ReadonlySet<string> = new Set()): ParsedBlock {
  const [accessText = "", ...fnTexts] = data.split("|").map((s) => s.trim());
  if (SKIP_CONTEXTS.has(accessText.split(".")[0]!)) return { access: [], functions: [], skip: true };
  const access = accessText.split(".");
  if (access.length <= 1) throw new InterpolationError("invalid interpolation access pattern");
  if (access.length > MAX_ACCESS_OBJECTS) throw new InterpolationError("invalid interpolation access pattern");
  if (Buffer.byteLength(accessText) > 1024) throw new InterpolationError("maximum interpolation expression size exceeded");
  if (fnTexts.length > MAX_FUNCTIONS) throw new InterpolationError("too many functions in interpolation block");
  const functions = fnTexts.map((expr, index) => {
    const fn = parseFunction(expr, band, flags);
    if (!fn) {
      throw new InterpolationError(`no function matching \`${expr}\`: check that the function name, arguments, and types are correct`);
    }
    if (fn.name === "split" && index < fnTexts.length - 1) {
      throw new InterpolationError("split() must be the last function in a chain (it returns an array, not a string)");
    }
    return fn;
  });
  return { access, functions, skip: false };
}

function evaluate(block: ParsedBlock, ctx: InterpolationContext): unknown {
  let memo: unknown = { inputs: ctx.inputs };
  for (const key of block.access) {
    if (!memo || typeof memo !== "object" || Array.isArray(memo) || !Object.hasOwn(memo, key)) {
      throw new InterpolationError(`unknown interpolation key: \`${key}\``);
    }
    memo = (memo as Record<string, unknown>)[key];
  }
  return block.functions.reduce((value, fn) => fn.apply(value, ctx), memo);
}

const SPLICE = Symbol("splice");
type Spliced = { [SPLICE]: unknown[] };

function interpolateString(node: string, ctx: InterpolationContext, inList: boolean): unknown {
  if (!node.includes("$[[")) return node;
  // GitLab takes the first block and compares lengths: a regex anchored at both ends would let
  // the lazy group run across two blocks.
  const whole = new RegExp(BLOCK_PATTERN.source).exec(node);
  if (whole && whole[0].length === node.length) {
    const block = parseBlock(whole[1]!, ctx.band, ctx.flags);
    if (block.skip) return node;
    const value = evaluate(block, ctx);
    if (inList && Array.isArray(value)) return { [SPLICE]: value } satisfies Spliced;
    return value;
  }
  return node.replace(BLOCK_PATTERN, (text, data: string) => {
    const block = parseBlock(data, ctx.band, ctx.flags);
    return block.skip ? text : rubyToS(evaluate(block, ctx));
  });
}

function walk(node: unknown, ctx: InterpolationContext, inList: boolean): unknown {
  if (typeof node === "string") return interpolateString(node, ctx, inList);
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const item of node) {
      const v = walk(item, ctx, true);
      if (v && typeof v === "object" && SPLICE in v) out.push(...(v as Spliced)[SPLICE]);
      else out.push(v);
    }
    return out;
  }
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[rubyToS(walk(key, ctx, false))] = walk(value, ctx, false);
    }
    return out;
  }
  return node;
}

/** Interpolates a parsed YAML body. Throws InterpolationError with GitLab's message. */
export function interpolate(body: unknown, ctx: InterpolationContext): unknown {
  return walk(body, ctx, false);
}

export interface BlockOccurrence {
  text: string;
  data: string;
  index: number;
}

/** Every `$[[ ... ]]` block in a text, with its offset (for rules that point at a line). */
export function findBlocks(text: string): BlockOccurrence[] {
  return [...text.matchAll(BLOCK_PATTERN)].map((m) => ({ text: m[0], data: m[1]!, index: m.index! }));
}
