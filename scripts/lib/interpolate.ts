// GitLab's `$[[ ... ]]` interpolation (lib/gitlab/ci/config/interpolation/*.rb): keys and values,
// a block that is the whole value keeps its type, inside a longer string it becomes text, an array
// block standing as a list item is spliced into the list, at most three functions.

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
}

export class InterpolationError extends Error {}

type Fn = { name: string; apply(value: unknown, ctx: InterpolationContext): unknown };

function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return "[" + value.map(rubyInspect).join(", ") + "]";
  if (typeof value === "object") {
    return (
      "{" +
      Object.entries(value)
        .map(([k, v]) => `${rubyInspect(k)} => ${rubyInspect(v)}`)
        .join(", ") +
      "}"
    );
  }
  return String(value);
}

function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  return rubyToS(value);
}

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

function parseFunction(expr: string): Fn | undefined {
  if (expr === "expand_vars") {
    return {
      name: "expand_vars",
      apply(value, ctx) {
        if (typeof value !== "string") throw new InterpolationError("invalid input type: expand_vars can only be used with string inputs");
        return expandExisting(value, ctx);
      },
    };
  }
  if (expr === "posix_escape") {
    return {
      name: "posix_escape",
      apply(value) {
        if (typeof value !== "string") throw new InterpolationError("invalid input type: posix_escape can only be used with string inputs");
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
        if (typeof value !== "string") throw new InterpolationError("invalid input type: truncate can only be used with string inputs");
        // Ruby's str[offset, length]: nil past the end, which to_s makes "".
        return offset > value.length ? "" : value.slice(offset, offset + length);
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
export function parseBlock(data: string): ParsedBlock {
  const [accessText = "", ...fnTexts] = data.split("|").map((s) => s.trim());
  if (SKIP_CONTEXTS.has(accessText.split(".")[0]!)) return { access: [], functions: [], skip: true };
  const access = accessText.split(".");
  if (access.length <= 1) throw new InterpolationError("invalid interpolation access pattern");
  if (access.length > MAX_ACCESS_OBJECTS) throw new InterpolationError("invalid interpolation access pattern");
  if (Buffer.byteLength(accessText) > 1024) throw new InterpolationError("maximum interpolation expression size exceeded");
  if (fnTexts.length > MAX_FUNCTIONS) throw new InterpolationError("too many functions in interpolation block");
  const functions = fnTexts.map((expr) => {
    const fn = parseFunction(expr);
    if (!fn) {
      throw new InterpolationError(`no function matching \`${expr}\`: check that the function name, arguments, and types are correct`);
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
    const block = parseBlock(whole[1]!);
    if (block.skip) return node;
    const value = evaluate(block, ctx);
    if (inList && Array.isArray(value)) return { [SPLICE]: value } satisfies Spliced;
    return value;
  }
  return node.replace(BLOCK_PATTERN, (text, data: string) => {
    const block = parseBlock(data);
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
