// Command-line options shared by the commands that talk to servers: retries, backoff, timeout.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./errors.ts";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, type RetryPolicy } from "./retry.ts";

export const NETWORK_OPTIONS = {
  retries: { type: "string" },
  "retry-delay": { type: "string" },
  timeout: { type: "string" },
  verbose: { type: "boolean", short: "v" },
} as const satisfies ParseArgsConfig["options"];

export const NETWORK_HELP = `Network options:
  --retries <n>         Retries of a call that failed transiently (connection refused or reset,
                        timeout, HTTP 429/5xx), with exponential backoff. Default ${DEFAULT_RETRY.retries}.
  --retry-delay <ms>    First backoff delay, doubled at each retry (capped at ${DEFAULT_RETRY.maxDelayMs} ms). Default ${DEFAULT_RETRY.baseDelayMs}.
  --timeout <ms>        Timeout of one HTTP request. Default ${DEFAULT_TIMEOUT_MS}.
  -v, --verbose         Print every API call made (secrets redacted).`;

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

export function networkSettings(values: { retries?: string; "retry-delay"?: string; timeout?: string }): { retry: RetryPolicy; timeoutMs: number } {
  const retries = intOption("retries", values.retries, DEFAULT_RETRY.retries, 0, 20);
  const baseDelayMs = intOption("retry-delay", values["retry-delay"], DEFAULT_RETRY.baseDelayMs, 0, 60_000);
  const timeoutMs = intOption("timeout", values.timeout, DEFAULT_TIMEOUT_MS, 1, 600_000);
  return { retry: { retries, baseDelayMs, maxDelayMs: Math.max(DEFAULT_RETRY.maxDelayMs, baseDelayMs) }, timeoutMs };
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
