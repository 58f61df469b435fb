// Credentials stay with their origin (issue 18 item 1). fetch follows redirects by itself and, on
// a cross-origin hop, drops only `Authorization` (Fetch standard, "HTTP-redirect fetch", step 13):
// GitLab's `PRIVATE-TOKEN`/`JOB-TOKEN` headers would go along, and a 307/308 re-sends the body.
// So every authenticated call goes through this wrapper: redirect: "manual", a same-origin
// redirect is followed for GET and HEAD only (without a body), anything else is a coded error
// naming both origins (never paths or queries, which may carry tokens).
import { CliError } from "../cli/diagnostics.ts";
import type { FetchLike } from "./bounded.ts";
import { CODES, type HttpCode } from "./codes.ts";

/** Statuses fetch would follow (Fetch standard "redirect status"). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Same-origin hops followed before giving up (browsers allow 20; an API needs one or two). */
export const MAX_REDIRECTS = 5;

function redirectError(code: HttpCode, message: string, expected: string, actual: string, fix: string): CliError {
  return new CliError({ code, message, expected, actual, fix: fix || CODES[code].fix });
}

/** The likely reason a server sends a client from `from` to `to`, for the `fix:` line. */
export function redirectCause(from: URL, to: URL): string {
  if (from.protocol === "http:" && to.protocol === "https:" && from.hostname === to.hostname) {
    return `the server moves http:// to https://: use ${to.origin} as the base URL`;
  }
  if (from.hostname !== to.hostname) {
    return `a proxy, load balancer or sign-on gateway in between, or a wrong (old) base URL: if ${to.origin} is the real server, use it as the base URL; otherwise fix the proxy`;
  }
  return `a wrong base URL (scheme or port) or a proxy in between: if ${to.origin} is the real server, use it as the base URL`;
}

/**
 * `fetchImpl` that never lets a request, its headers or its body reach another origin. Same-origin
 * redirects of GET and HEAD are followed (at most MAX_REDIRECTS); of any other method, refused.
 */
export function sameOriginFetch(fetchImpl: FetchLike = fetch): FetchLike {
  return async (input, init = {}) => {
    let url = typeof input === "string" ? input : input.url;
    const method = (init.method ?? (typeof input === "string" ? "GET" : input.method)).toUpperCase();
    const first = new URL(url);
    for (let hop = 0; ; hop++) {
      const res = await fetchImpl(hop === 0 ? input : url, { ...init, redirect: "manual" });
      const location = res.headers.get("location");
      if (!REDIRECT_STATUSES.has(res.status) || location === null) return res;
      await res.body?.cancel().catch(() => undefined);
      const from = new URL(url);
      let to: URL;
      try {
        to = new URL(location, from);
      } catch {
        throw redirectError(
          "HTTP_REDIRECT_CROSS_ORIGIN",
          `${from.origin} answered ${method} with HTTP ${res.status} to an unparsable location; it was not followed`,
          `an answer from ${first.origin}`,
          `HTTP ${res.status} to a location that is not a URL`,
          "check the base URL and any proxy in between",
        );
      }
      if (to.origin !== from.origin) {
        throw redirectError(
          "HTTP_REDIRECT_CROSS_ORIGIN",
          `${from.origin} answered ${method} with HTTP ${res.status}, redirecting to another origin, ${to.origin}; it was not followed and no credential or body was sent there`,
          `an answer from ${from.origin}`,
          `HTTP ${res.status} to ${to.origin}`,
          `likely ${redirectCause(from, to)}`,
        );
      }
      if (method !== "GET" && method !== "HEAD") {
        throw redirectError(
          "HTTP_REDIRECT_REFUSED",
          `${from.origin} answered ${method} with HTTP ${res.status} (a redirect within the same origin); a request with a body is not sent twice, so nothing was sent again`,
          `an answer to ${method} from ${from.origin}`,
          `HTTP ${res.status} to another path of ${to.origin}`,
          "",
        );
      }
      if (hop + 1 >= MAX_REDIRECTS) {
        throw redirectError(
          "HTTP_TOO_MANY_REDIRECTS",
          `${from.origin} redirected ${method} ${MAX_REDIRECTS} times; gave up`,
          `an answer within ${MAX_REDIRECTS} redirects`,
          `HTTP ${res.status} again`,
          "",
        );
      }
      url = to.href;
      if (typeof input !== "string") input = url;
      // A GET or HEAD carries no body; drop one a caller may have set anyway.
      const { body: _dropped, ...rest } = init;
      init = rest;
    }
  };
}
