// The one transport of every Harbor call (`scan`, `setup`, and later commands): the base-URL check
// (http/base-url.ts), bounded bodies (--max-response-bytes), retries with backoff, redirects that
// never leave the origin (http/redirect.ts), answers checked against the swagger's shapes
// (shapes.ts), and one mapping of failures to coded errors (codes.ts). The exit code of those
// errors is the calling command's: the transport never decides what an exit code means.
// Resources (projects.ts, robots.ts, artifacts.ts, scans.ts) sit on top, in gitbeaker's style.

import { CliError, usageError } from "../cli/diagnostics.ts";
import type { CallRecord } from "../cli/io.ts";
import { checkBaseUrl } from "../http/base-url.ts";
import { ResponseTooLargeError, UnexpectedResponseError, firstBytes, likelyCause } from "../http/bounded.ts";
import { HttpStatusError } from "../http/errors.ts";
import { RedirectRefusedError } from "../http/redirect.ts";
import { basicAuth, requestJson, type FetchLike, type JsonRequest } from "../http/request.ts";
import { RetriesExhaustedError, networkFailure, withRetry, type RetryPolicy } from "../http/retry.ts";
import type { HarborApiCode } from "./codes.ts";
import type { Guard } from "./shapes.ts";

export interface HarborCredentials {
  user: string;
  password: string;
}

export interface HarborTransportOptions {
  /** Base URL of Harbor, e.g. https://harbor.example.com (no /api/v2.0). */
  url: string;
  /** Where the URL came from, for the fix of a bad one: "--harbor-url / HARBOR_URL". */
  urlSource: string;
  /** Where credentials go instead of the URL, for HARBOR_URL_HAS_CREDENTIALS. */
  credentialsHint: string;
  credentials: HarborCredentials;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Cap of one answer's body (http/bounded.ts DEFAULT_MAX_BODY_BYTES when absent). */
  maxBodyBytes?: number;
  /** Exit code of every error raised here and by the resources: the command's "Harbor failed". */
  exitCode: number;
  fetch?: FetchLike;
  /** Every call made, for --verbose and --dry-run. */
  onCall?: (call: CallRecord) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
}

export interface HarborCall {
  method: JsonRequest["method"];
  /** Below /api/v2.0, already encoded: `/projects/p/repositories`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Other credentials than the transport's (setup checks the new robot's). */
  as?: HarborCredentials;
}

export interface HarborAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

type Problem = { message: string; expected?: string; actual?: string; fix: string; cause?: unknown };

/** The one check of a Harbor base URL (http/base-url.ts), with Harbor's codes; a usage error (exit 2). */
export function checkHarborUrl(url: string, source: string, credentialsHint: string): string {
  const invalidFix = `set ${source} to Harbor's base URL, e.g. https://harbor.example.com`;
  checkBaseUrl(url, {
    code: "HARBOR",
    label: "Harbor URL",
    credentialsFix: `drop the user:password@ part from ${source}; ${credentialsHint}`,
    invalidFix,
    expected: "http(s)://host[:port]",
  });
  if (!URL.canParse(url))
    throw usageError("HARBOR_URL_INVALID", `Harbor URL \`${url}\` is not a URL`, invalidFix, { expected: "http(s)://host[:port]", actual: url });
  return url;
}

/** Harbor's error body {"errors": [{"code", "message"}]}, or a short text, for an error message. */
export function harborMessage(body: unknown): string | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors
      .map((e) => [(e as { code?: unknown })?.code, (e as { message?: unknown })?.message].filter((x) => typeof x === "string" && x !== "").join(": "))
      .join("; ");
  }
  return typeof body === "string" && body.trim() !== "" ? firstBytes(body, 300) : undefined;
}

export class HarborTransport {
  readonly api: string;
  readonly url: string;
  readonly user: string;
  constructor(private readonly opts: HarborTransportOptions) {
    this.url = checkHarborUrl(opts.url, opts.urlSource, opts.credentialsHint).replace(/\/+$/, "");
    this.api = `${this.url}/api/v2.0`;
    this.user = opts.credentials.user;
  }

  /** A coded error of this client, with the command's exit code (or the one given for this outcome). */
  error(code: HarborApiCode, p: Problem, exitCode = this.opts.exitCode): CliError {
    return new CliError({ code, ...p, exitCode });
  }

  /**
   * One call, retried when transient. Resolves with a 2xx answer whose body passes `guard`;
   * rejects with HttpStatusError (for the resource to give the status its meaning) or a coded
   * CliError for everything else.
   */
  async request<T>(call: HarborCall, guard?: { shape: Guard; expected: string }): Promise<HarborAnswer<T>> {
    const url = `${this.api}${call.path}`;
    const as = call.as ?? this.opts.credentials;
    this.opts.onCall?.({ method: call.method, url, as: as.user, body: call.body, sent: true });
    const req: JsonRequest = {
      method: call.method,
      url,
      timeoutMs: this.opts.timeoutMs,
      ...(this.opts.maxBodyBytes !== undefined ? { maxBodyBytes: this.opts.maxBodyBytes } : {}),
      headers: { ...call.headers, authorization: basicAuth(as.user, as.password) },
      ...(call.body !== undefined ? { body: call.body } : {}),
    };
    let res: Awaited<ReturnType<typeof requestJson>>;
    try {
      res = await withRetry(() => requestJson(req, this.opts.fetch), this.opts.retry, {
        onRetry: (info) => this.opts.onRetry?.({ ...info, url }),
      });
    } catch (err) {
      throw this.failure(err, call.method, url);
    }
    if (guard) {
      const problem = guard.shape(res.body, "answer");
      if (problem) throw this.unexpected(`${call.method} ${url}`, guard.expected, `${problem}: ${firstBytes(JSON.stringify(res.body) ?? "empty body")}`);
    }
    return res as HarborAnswer<T>;
  }

  /** HARBOR_UNEXPECTED_RESPONSE: the answer is not what Harbor's API (swagger) documents. */
  unexpected(call: string, expected: string, actual: string, cause = likelyCause("application/json", "")): CliError {
    return this.error("HARBOR_UNEXPECTED_RESPONSE", {
      message: `the answer to ${call} is not Harbor's: nothing was believed or changed`,
      expected,
      actual,
      fix: `likely ${cause}; check that ${this.url} is Harbor's base URL (no /api/v2.0, not behind a sign-in page) and that Harbor is 2.x`,
    });
  }

  /** HARBOR_ANSWER_MISMATCH: a well-formed answer about something else than what was asked. */
  mismatch(call: string, what: string, expected: string, actual: unknown): CliError {
    return this.error("HARBOR_ANSWER_MISMATCH", {
      message: `Harbor's answer to ${call} names another ${what} than the one asked; nothing was changed`,
      expected,
      actual: typeof actual === "string" ? actual : (JSON.stringify(actual) ?? String(actual)),
      fix: `check ${this.opts.urlSource} and any proxy in between: the answer is about another ${what}`,
    });
  }

  /** Every failure but an HTTP status, as one coded error. */
  private failure(err: unknown, method: string, url: string): unknown {
    if (err instanceof HttpStatusError) return err;
    if (err instanceof RetriesExhaustedError) {
      return this.error("HARBOR_UNAVAILABLE", {
        message: `Harbor did not answer ${method} ${url} after ${err.attempts} attempt(s) (${err.reason})`,
        expected: "a 2xx answer",
        actual: err.reason,
        fix: `check that ${this.url} is up and reachable from here (proxy, VPN, TLS), then run again; --retries and the timeout options tune the backoff`,
        cause: err,
      });
    }
    if (err instanceof UnexpectedResponseError) {
      return this.unexpected(
        `${method} ${url}`,
        err.expected,
        `HTTP ${err.status}, ${err.contentType || "no content type"}: ${err.firstBytes}`,
        likelyCause(err.contentType, err.firstBytes),
      );
    }
    if (err instanceof ResponseTooLargeError) {
      return this.error("HARBOR_RESPONSE_TOO_LARGE", {
        message: `Harbor's answer to ${method} ${url} is larger than ${err.limit} bytes; reading stopped there`,
        expected: `an answer of at most ${err.limit} bytes`,
        actual: "more",
        fix: `check ${this.opts.urlSource} (a proxy or another service may be answering); raise --max-response-bytes if the answer is legitimately that large`,
      });
    }
    if (err instanceof RedirectRefusedError) {
      // Keeps the http layer's code (the same for GitLab), with this command's exit code.
      return new CliError({
        code: err.code,
        message: `Harbor: ${err.message}`,
        ...(err.expected !== undefined ? { expected: err.expected } : {}),
        ...(err.actual !== undefined ? { actual: err.actual } : {}),
        fix: `${err.fix ?? ""}; set ${this.opts.urlSource} to the URL Harbor really answers on`,
        exitCode: this.opts.exitCode,
      });
    }
    if (err instanceof CliError) return err;
    const network = networkFailure(err);
    if (network) {
      return this.error("HARBOR_UNREACHABLE", {
        message: `cannot reach Harbor at ${this.url} (${network})`,
        fix: `check ${this.opts.urlSource} (scheme, host, port), DNS, proxy and TLS settings (NODE_EXTRA_CA_CERTS for a private CA)`,
        cause: err,
      });
    }
    return err;
  }

  /** An HTTP error no resource gave a meaning to. */
  statusFailed(err: HttpStatusError, what: string, fix = "read Harbor's message; check the Harbor version (2.x) and its logs"): CliError {
    return this.error("HARBOR_REQUEST_FAILED", {
      message: `Harbor answered HTTP ${err.status} to ${err.method} ${err.url} while trying to ${what}`,
      actual: harborMessage(err.body) ?? `HTTP ${err.status}`,
      fix,
    });
  }

  /** 401/403/other of a call made with administrator credentials (setup's). */
  adminFailed(err: unknown, what: string): unknown {
    if (!(err instanceof HttpStatusError)) return err;
    const detail = harborMessage(err.body);
    if (err.status === 401) {
      return this.error("HARBOR_ADMIN_REJECTED", {
        message: `Harbor rejected the credentials of \`${this.user}\` (HTTP 401) while trying to ${what}`,
        expected: "valid credentials of a Harbor system administrator or of the project's administrator",
        actual: detail ?? "401 Unauthorized",
        fix: "set HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD to valid credentials (OIDC users: use the CLI secret from your Harbor user profile as the password)",
      });
    }
    if (err.status === 403) {
      return this.error("HARBOR_ADMIN_FORBIDDEN", {
        message: `Harbor refused to let \`${this.user}\` ${what} (HTTP 403)`,
        expected: "a user with the Project Admin role on the project, or a Harbor system administrator",
        actual: detail ?? "403 Forbidden",
        fix: "use an account that administers the Harbor project (HARBOR_ADMIN_USER / HARBOR_ADMIN_PASSWORD), or ask a Harbor administrator to grant that role",
      });
    }
    return this.statusFailed(err, what, "read Harbor's message above; check the Harbor version (2.3 or later has the robots v2 API) and the server logs");
  }

  /** 401/403 of a call made with a robot's credentials (scan's). */
  robotRefused(err: HttpStatusError, what: string, permission: string): CliError {
    if (err.status === 401) {
      return this.error("HARBOR_CREDENTIALS_REJECTED", {
        message: `Harbor rejected the credentials of \`${this.user}\` (HTTP 401) while trying to ${what}`,
        expected: "the robot of GitLab's Harbor integration, enabled and not expired",
        actual: harborMessage(err.body) ?? "401 Unauthorized",
        fix: "check HARBOR_USERNAME/HARBOR_PASSWORD (Settings > Integrations > Harbor); refresh an expired robot with `harbor-ci setup --rotate-secret`",
      });
    }
    return this.error("HARBOR_PERMISSION_DENIED", {
      message: `Harbor refused to let \`${this.user}\` ${what} (HTTP 403)`,
      expected: `the robot to have ${permission} on the project`,
      actual: harborMessage(err.body) ?? "403 Forbidden",
      fix: `grant ${permission} to the robot (Project > Robot Accounts); the robot of the registry guide and of \`harbor-ci setup\` has artifact:read`,
    });
  }
}
