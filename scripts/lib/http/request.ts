// A minimal JSON-over-HTTP call on top of fetch: bounded (bounded.ts), non-2xx as HttpStatusError.

import { DEFAULT_MAX_BODY_BYTES, fetchBounded, isJsonType, parseJsonAnswer } from "./bounded.ts";
import { HttpStatusError } from "./errors.ts";
import { withRetry, type RetryHooks, type RetryPolicy } from "./retry.ts";

export interface JsonRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Deadline of the whole exchange, body included. */
  timeoutMs: number;
  /** Cap of the answer's body; default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export function basicAuth(username: string, password: string): string {
  return "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One JSON call. A 2xx or 4xx answer that is not JSON is an UnexpectedResponseError: an HTML
 * sign-in page is never read as data. 5xx bodies stay raw (a proxy's error page; retried).
 */
export async function requestJson(req: JsonRequest, fetchImpl: FetchLike = fetch): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  const init: RequestInit = { method: req.method, headers };
  if (req.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(req.body);
  }
  const res = await fetchBounded(req.url, init, {
    timeoutMs: req.timeoutMs,
    maxBodyBytes: req.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    fetchImpl: (u, i) => fetchImpl(String(u instanceof Request ? u.url : u), i ?? {}),
  });
  const ok = res.status >= 200 && res.status <= 299;
  let body: unknown;
  if (req.method === "HEAD" || res.text === "") body = undefined;
  else if (ok || (res.status >= 400 && res.status <= 499)) body = parseJsonAnswer(res, req.url, "a JSON answer of the API");
  else body = isJsonType(res.contentType) ? safeJson(res.text) : res.text;
  if (!ok) throw new HttpStatusError(req.method, req.url, res.status, body);
  return { status: res.status, headers: res.headers, body };
}

export function requestJsonWithRetry(req: JsonRequest, policy: RetryPolicy, hooks: RetryHooks = {}, fetchImpl: FetchLike = fetch): Promise<JsonResponse> {
  return withRetry(() => requestJson(req, fetchImpl), policy, hooks);
}
