// GitLab through @gitbeaker/rest 43: one client, one retry policy, one mapping from GitLab's
// answers to errors that say what to do.
//
// gitbeaker itself retries 429 and 502 (10 times, a few milliseconds apart) and throws
// GitbeakerRequestError for other non-2xx answers (message = body.error || body.message),
// GitbeakerTimeoutError when its queryTimeout fires, and fetch's TypeError on network failures.
// We add bounded exponential backoff for 500/503/504, timeouts and connection errors.

import { Gitlab, GitbeakerRequestError, GitbeakerRetryError } from "@gitbeaker/rest";
import { CliError, usageError } from "../cli/diagnostics.ts";
import { RetriesExhaustedError, networkFailure, transientReason, withRetry, type RetryPolicy } from "../http/retry.ts";
import { ResponseTooLargeError, UnexpectedResponseError, likelyCause } from "../http/bounded.ts";
import { boundedRequesterFn } from "./requester.ts";
import { checkBaseUrl } from "../http/base-url.ts";

export type GitlabApi = Gitlab<false>;

export interface GitlabConnection {
  /** https://gitlab.example.com (no /api/v4). */
  url: string;
  /** Absent: anonymous calls (public projects only). */
  token?: string;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Cap of one answer's body (http/bounded.ts DEFAULT_MAX_BODY_BYTES when absent). */
  maxBodyBytes?: number;
  /** Every request sent (method and URL), for --verbose. */
  onRequest?: (method: string, url: string) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; what: string }) => void;
}

export function createGitlab(conn: GitlabConnection): GitlabApi {
  const host = conn.url.replace(/\/+$/, "");
  // Our handler bounds every answer and checks it is GitLab's (requester.ts).
  const requesterFn = boundedRequesterFn({
    timeoutMs: conn.timeoutMs,
    ...(conn.maxBodyBytes !== undefined ? { maxBodyBytes: conn.maxBodyBytes } : {}),
    ...(conn.onRequest ? { onRequest: conn.onRequest } : {}),
  });
  return conn.token
    ? new Gitlab({ host, token: conn.token, queryTimeout: conn.timeoutMs, requesterFn })
    : new Gitlab({ host, queryTimeout: conn.timeoutMs, requesterFn });
}

/** GITLAB_URL (or --gitlab-url) and GITLAB_TOKEN, with errors that say where to get them. */
export function gitlabFromEnv(env: Record<string, string | undefined>, urlOption?: string): { url: string; token: string };
export function gitlabFromEnv(env: Record<string, string | undefined>, urlOption: string | undefined, tokenOptional: true): { url: string; token?: string };
export function gitlabFromEnv(env: Record<string, string | undefined>, urlOption?: string, tokenOptional = false): { url: string; token?: string } {
  const url = urlOption ?? env.GITLAB_URL ?? (env.CI_SERVER_URL || undefined);
  if (!url) {
    throw usageError(
      "GITLAB_URL_MISSING",
      "no GitLab URL: neither --gitlab-url nor GITLAB_URL is set",
      "export GITLAB_URL=https://gitlab.example.com (or pass --gitlab-url)",
    );
  }
  // Never used, never echoed: the token comes from GITLAB_TOKEN only.
  checkBaseUrl(url, {
    code: "GITLAB",
    label: "GitLab URL",
    credentialsFix: "drop the user:password@ part from GITLAB_URL / --gitlab-url and put the token in GITLAB_TOKEN",
    invalidFix: "give the base URL, e.g. https://gitlab.example.com",
    expected: "http(s)://host[:port][/path]",
    variable: urlOption !== undefined ? "--gitlab-url" : env.GITLAB_URL !== undefined ? "GITLAB_URL" : "CI_SERVER_URL",
  });
  const token = env.GITLAB_TOKEN || undefined;
  if (!token && tokenOptional) return { url };
  if (!token) {
    throw usageError(
      "GITLAB_TOKEN_MISSING",
      "no GitLab token: GITLAB_TOKEN is not set (tokens are read from the environment only, never from arguments)",
      "create a personal, project or group access token with the `api` scope and export GITLAB_TOKEN=<token>",
    );
  }
  return { url, token };
}

export interface GitlabFailure {
  status?: number;
  description?: string;
  wwwAuthenticate?: string;
}

export function failureOf(err: unknown): GitlabFailure | undefined {
  if (!(err instanceof GitbeakerRequestError)) return undefined;
  const response = err.cause?.response;
  return {
    status: response?.status,
    description: err.cause?.description ?? err.message,
    wwwAuthenticate: response?.headers?.get?.("www-authenticate") ?? undefined,
  };
}

/** Statuses our own backoff retries (requester.ts leaves 429 and 502 to it too). */
const RETRIED = new Set([429, 500, 502, 503, 504]);

function classify(err: unknown): string | undefined {
  const f = failureOf(err);
  if (f?.status !== undefined) return RETRIED.has(f.status) ? `HTTP ${f.status}` : undefined;
  if (err instanceof GitbeakerRetryError) return undefined;
  return transientReason(err);
}

/** What the failing call was about, for the messages. */
export interface GitlabContext {
  /** e.g. "read the Harbor integration of project group/app". */
  what: string;
  /** e.g. "project group/app": named in 404 messages. */
  subject: string;
  /** Role needed, named in 403 messages: "Maintainer" for integrations. */
  role: string;
  /** Scope needed, named in 403 insufficient_scope messages. */
  scope: "api" | "read_api";
}

/** GITLAB_UNEXPECTED_RESPONSE: what came is not what GitLab's API documents for this call. */
export function unexpectedGitlabAnswer(ctx: GitlabContext, gitlabUrl: string, expected: string, actual: string, cause: string): CliError {
  return new CliError({
    code: "GITLAB_UNEXPECTED_RESPONSE",
    message: `the answer to the call to ${ctx.what} is not GitLab's: nothing was believed or changed`,
    expected,
    actual,
    fix: `likely ${cause}; check that ${gitlabUrl} is GitLab's base URL as reached from here (no /api/v4, no sign-in redirect, proxy settings) and run again`,
  });
}

export function gitlabError(err: unknown, ctx: GitlabContext, gitlabUrl: string): unknown {
  if (err instanceof RetriesExhaustedError) {
    return new CliError({
      code: "GITLAB_UNAVAILABLE",
      message: `GitLab did not answer after ${err.attempts} attempt(s) while trying to ${ctx.what} (${err.reason})`,
      expected: "a 2xx answer",
      actual: err.reason,
      fix: `check that ${gitlabUrl} is up and reachable from here (proxy, VPN, TLS), then run the command again; --retries and --timeout tune the backoff`,
      cause: err,
    });
  }
  if (err instanceof CliError) return err;
  if (err instanceof UnexpectedResponseError) {
    return unexpectedGitlabAnswer(
      ctx,
      gitlabUrl,
      err.expected,
      `HTTP ${err.status}, ${err.contentType || "no content type"}: ${err.firstBytes}`,
      likelyCause(err.contentType, err.firstBytes),
    );
  }
  if (err instanceof ResponseTooLargeError) {
    return new CliError({
      code: "GITLAB_RESPONSE_TOO_LARGE",
      message: `GitLab's answer while trying to ${ctx.what} is larger than ${err.limit} bytes; reading stopped there`,
      expected: `an answer of at most ${err.limit} bytes`,
      actual: "more",
      fix: "check GITLAB_URL (a proxy or another service may be answering); raise --max-response-bytes if the answer is legitimately that large",
    });
  }
  if (err instanceof GitbeakerRetryError) {
    return new CliError({
      code: "GITLAB_UNAVAILABLE",
      message: `GitLab kept answering 429/502 while trying to ${ctx.what}`,
      actual: err.message,
      fix: "GitLab is rate limiting or restarting: wait a minute and run the command again",
      cause: err,
    });
  }
  const f = failureOf(err);
  if (!f || f.status === undefined) return err;
  const said = f.description ? `${f.status} ${f.description}` : `HTTP ${f.status}`;
  const scopeProblem = /insufficient_scope/i.test(f.description ?? "") || /insufficient_scope/i.test(f.wwwAuthenticate ?? "");
  if (f.status === 401) {
    return new CliError({
      code: "GITLAB_UNAUTHORIZED",
      message: `GitLab rejected the token in GITLAB_TOKEN (HTTP 401) while trying to ${ctx.what}`,
      expected: "a valid, unexpired, unrevoked access token",
      actual: said,
      fix: `create a new access token with the \`${ctx.scope}\` scope (User settings > Access tokens, or the project's or group's Access tokens) and export GITLAB_TOKEN=<token>`,
    });
  }
  if (f.status === 403 && scopeProblem) {
    return new CliError({
      code: "GITLAB_INSUFFICIENT_SCOPE",
      message: `the token in GITLAB_TOKEN lacks the scope needed to ${ctx.what} (HTTP 403 insufficient_scope)`,
      expected: `a token with the \`${ctx.scope}\` scope`,
      actual: "a token without it (read_api, read_repository, ... are not enough)",
      fix: `create a token with the \`${ctx.scope}\` scope and export GITLAB_TOKEN=<token>`,
    });
  }
  if (f.status === 403) {
    return new CliError({
      code: "GITLAB_FORBIDDEN",
      message: `GitLab refused to let the token's user ${ctx.what} (HTTP 403)`,
      expected: `the ${ctx.role} role (or higher) on ${ctx.subject}`,
      actual: said,
      fix: `ask an Owner of ${ctx.subject} to give the token's user the ${ctx.role} role, or use a token of a user who has it`,
    });
  }
  if (f.status === 404) {
    return new CliError({
      code: "GITLAB_NOT_FOUND",
      message: `GitLab cannot find ${ctx.subject} (HTTP 404) while trying to ${ctx.what}`,
      expected: `${ctx.subject} to exist and be visible to the token's user`,
      actual: said,
      fix: "check the path or ID (URL-encoded paths like group/sub/project are fine) and that the token's user is a member",
    });
  }
  return new CliError({
    code: "GITLAB_REQUEST_FAILED",
    message: `GitLab answered HTTP ${f.status} while trying to ${ctx.what}`,
    actual: said,
    fix: "read GitLab's message above; fix the input it names and run again",
  });
}

/** Runs one gitbeaker call with our backoff and maps the failure to a CliError. */
export async function gitlabCall<T>(conn: GitlabConnection, ctx: GitlabContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await withRetry(fn, conn.retry, {
      classify,
      onRetry: (info) => conn.onRetry?.({ ...info, what: ctx.what }),
    });
  } catch (err) {
    const mapped = gitlabError(err, ctx, conn.url);
    const failure = mapped === err && !(err instanceof CliError) ? networkFailure(err) : undefined;
    if (failure) {
      // A network failure that is not transient (DNS, TLS, a refused port): still say what to do.
      throw new CliError({
        code: "GITLAB_UNREACHABLE",
        message: `cannot reach GitLab at ${conn.url} while trying to ${ctx.what} (${failure})`,
        fix: "check GITLAB_URL (scheme, host, port), DNS, proxy and TLS settings",
        cause: err,
      });
    }
    throw mapped;
  }
}

/**
 * One segment of a GitLab namespace or project path (lib/gitlab/path_regex.rb: PATH_START_CHAR
 * `[a-zA-Z0-9_\.]`, then `[a-zA-Z0-9_\-\.]`), but never `.` or `..`: gitbeaker puts the path in
 * the URL, where `..` would climb out of /projects/ (`/projects/../releases` is `/releases`).
 */
const PATH_SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** A coded usage error when `value` (from `option`) is neither a numeric ID nor a GitLab path. */
export function checkGitlabPath(value: string, option: string): void {
  if (/^\d+$/.test(value)) return;
  const segments = value.replace(/^\/+|\/+$/g, "").split("/");
  const bad = segments.find((s) => s === "" || s === "." || s === ".." || !PATH_SEGMENT.test(s));
  if (bad === undefined) return;
  throw usageError(
    "GITLAB_PATH_INVALID",
    `${option} \`${value}\` is not a GitLab project or group path: the segment \`${bad}\` is ${bad === "." || bad === ".." ? "a relative path step, which would change the API URL" : bad === "" ? "empty" : "not a GitLab path name"}`,
    `give the full path, e.g. ${option} my-group/my-app, or the numeric ID`,
    { expected: "group[/subgroup]/project (letters, digits, _ . -, not . or ..) or a numeric ID", actual: value },
  );
}

/** `group/sub/project` or a numeric ID, as GitLab's :id parameter takes it (gitbeaker encodes it). */
export function gitlabId(value: string): string | number {
  checkGitlabPath(value, "the project or group");
  return /^\d+$/.test(value) ? Number(value) : value.replace(/^\/+|\/+$/g, "");
}
