// Command-line options shared by the commands that talk to servers: retries, backoff, timeout.

import type { ParseArgsConfig } from "node:util";
import { intOption } from "../cli/args.ts";
import { DEFAULT_MAX_BODY_BYTES } from "./bounded.ts";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, type RetryPolicy } from "./retry.ts";

export const NETWORK_OPTIONS = {
  retries: { type: "string" },
  "retry-delay": { type: "string" },
  timeout: { type: "string" },
  "max-response-bytes": { type: "string" },
  verbose: { type: "boolean", short: "v" },
} as const satisfies ParseArgsConfig["options"];

export const NETWORK_HELP = `Network options:
  --retries <n>         Retries of a call that failed transiently (connection refused or reset,
                        timeout, HTTP 429/5xx), with exponential backoff. Default ${DEFAULT_RETRY.retries}.
  --retry-delay <ms>    First backoff delay, doubled at each retry (capped at ${DEFAULT_RETRY.maxDelayMs} ms). Default ${DEFAULT_RETRY.baseDelayMs}.
  --timeout <ms>        Timeout of one HTTP request, its whole answer included. Default ${DEFAULT_TIMEOUT_MS}.
  --max-response-bytes <n>  Largest answer read from a server; a larger one is an error. Default ${DEFAULT_MAX_BODY_BYTES}.
  -v, --verbose         Print every API call made (secrets redacted).`;

export function networkSettings(values: { retries?: string; "retry-delay"?: string; timeout?: string; "max-response-bytes"?: string }): {
  retry: RetryPolicy;
  timeoutMs: number;
  maxBodyBytes: number;
} {
  const retries = intOption("retries", values.retries, DEFAULT_RETRY.retries, 0, 20);
  const baseDelayMs = intOption("retry-delay", values["retry-delay"], DEFAULT_RETRY.baseDelayMs, 0, 60_000);
  const timeoutMs = intOption("timeout", values.timeout, DEFAULT_TIMEOUT_MS, 1, 600_000);
  const maxBodyBytes = intOption("max-response-bytes", values["max-response-bytes"], DEFAULT_MAX_BODY_BYTES, 1024, 1024 * 1024 * 1024);
  return { retry: { retries, baseDelayMs, maxDelayMs: Math.max(DEFAULT_RETRY.maxDelayMs, baseDelayMs) }, timeoutMs, maxBodyBytes };
}
