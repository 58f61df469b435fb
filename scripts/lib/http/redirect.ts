// Redirects without leaking credentials. fetch follows redirects itself and strips only
// `Authorization` on a cross-origin hop (https://fetch.spec.whatwg.org/#http-redirect-fetch), so
// `PRIVATE-TOKEN`, a body with a secret in it (a 307/308 re-sends it) and the answer's verdict
// would all come from, or go to, another server. Here every request is sent with
// `redirect: "manual"` and a redirect is followed only when it stays on the same origin and the
// request is a GET or HEAD (no body to re-send); anything else is a coded error naming both origins.

import { CliError } from "../cli/diagnostics.ts";
import type { HttpCode } from "./codes.ts";

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Same-origin hops followed at most (fetch's own limit is 20; an API needs one at most). */
export const MAX_REDIRECTS = 5;

export type FetchFn = (input: string | Request, init?: RequestInit) => Promise<Response>;

/** The redirect was refused; a CliError so that every command prints it coded. */
export class RedirectRefusedError extends CliError {
  constructor(
    code: HttpCode,
    readonly from: string,
    readonly to: string,
    readonly status: number,
    message: string,
    fix: string,
  ) {
    super({ code, message, expected: `an answer from ${originOf(from)}`, actual: `HTTP ${status} to ${originOf(to)}`, fix });
    this.name = "RedirectRefusedError";
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(unparsable location)";
  }
}

/** Strips query and credentials: a redirect target is named in messages without its secrets. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(unparsable location)";
  }
}

function likelyCause(from: URL, to: URL): string {
  if (from.protocol === "http:" && to.protocol === "https:" && from.hostname === to.hostname) {
    return "the server moved from http:// to https://: use the https:// URL as the base URL";
  }
  if (from.hostname !== to.hostname)
    return "a proxy, a load balancer or a wrong base URL sends requests to another host: use that host's URL directly if it is the real server";
  return "the server answers on another port or scheme: use the URL it redirects to as the base URL";
}

/**
 * fetch, with redirects handled here: a same-origin redirect of a GET or HEAD is followed (at most
 * MAX_REDIRECTS times, 303 included); a redirect to another origin, or of a request with a method
 * that may carry a body, is a RedirectRefusedError and nothing is sent to the new location.
 */
export async function fetchNoCrossOriginRedirect(input: string | Request, init: RequestInit = {}, fetchImpl: FetchFn = fetch): Promise<Response> {
  let url = typeof input === "string" ? input : input.url;
  const method = (init.method ?? (typeof input === "string" ? "GET" : input.method)).toUpperCase();
  for (let hop = 0; ; hop++) {
    const res = await fetchImpl(url, { ...init, redirect: "manual" });
    if (!REDIRECT_STATUSES.has(res.status)) return res;
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get("location");
    const from = new URL(url);
    let to: URL;
    try {
      to = new URL(location ?? "", from);
    } catch {
      to = from;
    }
    if (!location) {
      throw new RedirectRefusedError(
        "HTTP_REDIRECT_NOT_FOLLOWED",
        url,
        url,
        res.status,
        `${method} ${shown(url)} answered HTTP ${res.status} without a Location`,
        "check the base URL: an API does not answer this way",
      );
    }
    if (to.origin !== from.origin) {
      throw new RedirectRefusedError(
        "HTTP_CROSS_ORIGIN_REDIRECT",
        url,
        to.href,
        res.status,
        `${method} ${shown(url)} was redirected (HTTP ${res.status}) from ${from.origin} to another origin, ${to.origin}; the request and its credentials were not sent there`,
        `likely ${likelyCause(from, to)}`,
      );
    }
    if (method !== "GET" && method !== "HEAD") {
      throw new RedirectRefusedError(
        "HTTP_REDIRECT_NOT_FOLLOWED",
        url,
        to.href,
        res.status,
        `${method} ${shown(url)} was redirected (HTTP ${res.status}) to ${shown(to.href)}; a ${method} is never re-sent to a redirect`,
        "use the base URL the server redirects to, so that no redirect is needed",
      );
    }
    if (hop >= MAX_REDIRECTS) {
      throw new RedirectRefusedError(
        "HTTP_REDIRECT_NOT_FOLLOWED",
        url,
        to.href,
        res.status,
        `${method} ${shown(url)}: more than ${MAX_REDIRECTS} redirects`,
        "check the base URL and the proxy: the server redirects in a loop",
      );
    }
    url = to.href;
  }
}
