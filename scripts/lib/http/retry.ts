// Bounded exponential backoff for transient failures: connection refused or reset, timeouts, 5xx.

import { HttpStatusError } from "./errors.ts";
import { CliError } from "../cli/diagnostics.ts";

export interface RetryPolicy {
  /** Retries after the first attempt: 4 means at most 5 attempts. */
  retries: number;
  /** Delay before the first retry; doubles each time. */
  baseDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Per-request timeout used by the commands unless --timeout says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Delay before retry number `retry` (0-based): base * 2^retry, capped. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/** Statuses worth another try: the server or a proxy in front of it is overloaded or restarting. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Error codes Node (and undici, behind fetch) uses for network failures that may heal. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/** The first `code` found along an error's `cause` chain (fetch wraps the socket error). */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    // AggregateError (happy eyeballs: one error per address tried).
    const first = (e as { errors?: unknown[] }).errors?.[0] as { code?: unknown } | undefined;
    if (typeof first?.code === "string") return first.code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === "TimeoutError" || name === "AbortError" || name === "GitbeakerTimeoutError";
}

/** Why `err` is worth retrying, or undefined when it is not (4xx, programming errors). */
export function transientReason(err: unknown): string | undefined {
  if (err instanceof CliError) return undefined;
  if (err instanceof HttpStatusError) return TRANSIENT_STATUSES.has(err.status) ? `HTTP ${err.status}` : undefined;
  if (isTimeout(err)) return "timeout";
  const code = errorCode(err);
  if (code && NETWORK_CODES.has(code)) return code;
  return undefined;
}

/** Thrown when every attempt failed with a transient error. */
/** A CliError, so that every command prints it the same way (lib/cli/io.ts knows no HTTP). */
export class RetriesExhaustedError extends CliError {
  constructor(
    readonly attempts: number,
    readonly reason: string,
    readonly lastError: unknown,
  ) {
    super({
      code: "NETWORK_RETRIES_EXHAUSTED",
      message: `gave up after ${attempts} attempt(s): ${reason}`,
      fix: "check that the server is up and reachable from here, then run the command again (see --retries, --timeout)",
      cause: lastError,
    });
    this.name = "RetriesExhaustedError";
  }
}

export interface RetryHooks {
  /** Decides whether an error is transient; returns the reason to report. */
  classify?: (err: unknown) => string | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, fails with a non-transient error (rethrown as is), or the policy's
 * retries are spent (RetriesExhaustedError carrying the last error).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  const classify = hooks.classify ?? transientReason;
  const sleep = hooks.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const reason = classify(err);
      if (reason === undefined) throw err;
      if (attempt > policy.retries) throw new RetriesExhaustedError(attempt, reason, err);
      const delayMs = backoffDelay(attempt - 1, policy);
      hooks.onRetry?.({ attempt, delayMs, reason });
      await sleep(delayMs);
    }
  }
}

/** A network failure fetch reported (no HTTP answer at all), described for an error message. */
export function networkFailure(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = errorCode(err);
  if (code) return code;
  if (err.name === "TypeError" && /fetch failed/i.test(err.message)) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : err.message;
  }
  return undefined;
}
