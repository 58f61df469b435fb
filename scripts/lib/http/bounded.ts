// One HTTP exchange with hard bounds: the deadline covers connect, headers AND body, and the body
// is read chunk by chunk up to a byte cap (a server streaming gigabytes costs at most the cap).
// Also the check that an answer is what an API answers: JSON content type and a JSON body.

import { fetchNoCrossOriginRedirect } from "./redirect.ts";

/** Default cap of one response body. GitLab's and Harbor's JSON answers are kilobytes. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface BoundedOptions {
  /** Deadline of the whole exchange, body included. */
  timeoutMs: number;
  maxBodyBytes: number;
  fetchImpl?: FetchLike;
}

export interface BoundedResponse {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
}

/** The body grew past the cap: not transient, never retried. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly url: string,
    readonly limit: number,
  ) {
    super(`the answer of ${url} is larger than ${limit} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/** A 2xx (or 4xx) answer that is not what the API documents: HTML sign-in page, proxy page, wrong base URL. */
export class UnexpectedResponseError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly contentType: string,
    readonly firstBytes: string,
    readonly expected: string,
  ) {
    super(`unexpected answer from ${url}: HTTP ${status}, ${contentType || "no content type"}`);
    this.name = "UnexpectedResponseError";
  }
}

/** Up to 120 characters of a body, on one line, for an error message. */
export function firstBytes(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || "(empty body)";
}

/** The likely cause of an answer that is not the API's, for the `fix:` line. */
export function likelyCause(contentType: string, text: string): string {
  if (/<html|<!doctype/i.test(text.slice(0, 512))) {
    return /sign[ _-]?in|log[ _-]?in|password|sso|saml|oauth/i.test(text.slice(0, 4096))
      ? "an HTML sign-in page: a proxy or single sign-on gateway answered, or the base URL points at the web UI"
      : "an HTML page: a proxy, a captive portal or a wrong base URL (the web UI instead of the API) answered";
  }
  if (contentType.includes("json")) return "JSON of another shape: the base URL points at another service or an unsupported version";
  return "not the API: check the base URL (scheme, host, port, path) and any proxy in between";
}

function deadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const ac = new AbortController();
  const t = setTimeout(() => {
    const e = new Error(`no complete answer within ${ms} ms`);
    e.name = "TimeoutError";
    ac.abort(e);
  }, ms);
  t.unref?.();
  return { signal: ac.signal, clear: () => clearTimeout(t) };
}

/** Reads a response body, at most `maxBytes`, as UTF-8. Cancels the stream past the cap. */
export async function readBounded(res: Response, url: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(url, maxBytes);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (signal?.aborted) throw signal.reason;
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(url, maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** fetch + a bounded body read under one deadline. */
export async function fetchBounded(url: string | Request, init: RequestInit, opts: BoundedOptions): Promise<BoundedResponse> {
  const { signal, clear } = deadline(opts.timeoutMs);
  const signals = init.signal ? AbortSignal.any([init.signal, signal]) : signal;
  const href = typeof url === "string" ? url : url.url;
  try {
    // Redirects are handled by http/redirect.ts: never to another origin, never re-sending a body.
    const res = await fetchNoCrossOriginRedirect(url, { ...init, signal: signals }, opts.fetchImpl ?? fetch);
    const text = init.method === "HEAD" ? "" : await readBounded(res, href, opts.maxBodyBytes, signals);
    const contentType = (res.headers.get("content-type") ?? "").toLowerCase();
    return { status: res.status, headers: res.headers, contentType, text };
  } catch (err) {
    // An abort by our deadline surfaces as the deadline's TimeoutError (which the retry logic knows).
    if (signal.aborted && !(err instanceof ResponseTooLargeError)) throw signal.reason;
    throw err;
  } finally {
    clear();
  }
}

export function isJsonType(contentType: string): boolean {
  const t = contentType.split(";")[0]!.trim();
  return t === "application/json" || t.endsWith("+json");
}

/** The body as JSON, or UnexpectedResponseError when the type or the text is not JSON. */
export function parseJsonAnswer(r: BoundedResponse, url: string, expected: string): unknown {
  if (!isJsonType(r.contentType)) throw new UnexpectedResponseError(url, r.status, r.contentType, firstBytes(r.text), expected);
  try {
    return r.text === "" ? undefined : JSON.parse(r.text);
  } catch {
    throw new UnexpectedResponseError(url, r.status, r.contentType, firstBytes(r.text), expected);
  }
}
