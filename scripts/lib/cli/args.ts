// Command-line parsing shared by every command: node:util parseArgs, with its errors turned into
// usage errors (exit code 2) that point at --help.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./diagnostics.ts";

export function intOption(name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError("OPTION_INVALID", `--${name} must be an integer between ${min} and ${max}`, `pass --${name} <integer>`, {
      expected: `an integer in [${min}, ${max}]`,
      actual: raw,
    });
  }
  return n;
}

/** node:util parseArgs with its errors turned into usage errors that point at --help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: string[], options: T, allowPositionals = false) {
  // parseArgs reads `--duration -1` as a value-less option followed by a short flag: join
  // negative numbers to the option that takes a value (`--duration=-1`).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith("--") ? a.slice(2) : undefined;
    if (name && !name.includes("=") && options[name]?.type === "string" && next !== undefined && /^-\d+$/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw usageError("OPTION_INVALID", `harbor-ci ${command}: ${message}`, `run \`harbor-ci ${command} --help\` for the options`);
  }
}
