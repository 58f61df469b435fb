// A minimal JSON-over-HTTP call on top of fetch: timeout per attempt, non-2xx as HttpStatusError.

import { HttpStatusError } from "./errors.ts";
import { withRetry, type RetryHooks, type RetryPolicy } from "./retry.ts";

export interface JsonRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
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

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === "") return undefined;
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export async function requestJson(req: JsonRequest, fetchImpl: FetchLike = fetch): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  const init: RequestInit = { method: req.method, headers, signal: AbortSignal.timeout(req.timeoutMs) };
  if (req.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(req.body);
  }
  const res = await fetchImpl(req.url, init);
  const body = req.method === "HEAD" ? undefined : await readBody(res);
  if (res.status < 200 || res.status > 299) throw new HttpStatusError(req.method, req.url, res.status, body);
  return { status: res.status, headers: res.headers, body };
}

export function requestJsonWithRetry(req: JsonRequest, policy: RetryPolicy, hooks: RetryHooks = {}, fetchImpl: FetchLike = fetch): Promise<JsonResponse> {
  return withRetry(() => requestJson(req, fetchImpl), policy, hooks);
}
