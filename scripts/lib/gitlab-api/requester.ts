// gitbeaker's request handler, replaced (passed as `requesterFn` to the Gitlab constructor) so
// that every GitLab answer is read bounded (http/bounded.ts: one deadline for headers and body,
// a byte cap) and believed only when it is what GitLab's API sends: JSON, except raw file
// endpoints. @gitbeaker/rest's own handler calls the global fetch and reads any body whole.
//
// Retries: gitbeaker's handler retried 429/502 itself; here they go to our backoff (client.ts).

import { createRequesterFn, type ResponseBodyTypes } from "@gitbeaker/requester-utils";
import { GitbeakerRequestError } from "@gitbeaker/rest";
import { DEFAULT_MAX_BODY_BYTES, fetchBounded, firstBytes, isJsonType, parseJsonAnswer, UnexpectedResponseError, type FetchLike } from "../http/bounded.ts";

export interface RequesterLimits {
  timeoutMs: number;
  maxBodyBytes?: number;
  fetchImpl?: FetchLike;
  /** Every request sent (method and URL, never headers), for --verbose. */
  onRequest?: (method: string, url: string) => void;
}

/** Endpoints whose answer is a file, not JSON (lib/api/files.rb `raw`, repositories.rb `raw_blobs`). */
function isRawEndpoint(endpoint: string): boolean {
  return /\/raw(?:$|\?)/.test(endpoint) || endpoint.includes("repository/archive");
}

interface HandlerOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
  prefixUrl?: string;
  searchParams?: string;
}

export function boundedRequesterFn(limits: RequesterLimits) {
  const maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return createRequesterFn(
    (_, reqo) => Promise.resolve(reqo),
    async (endpoint: string, options?: Record<string, unknown>) => {
      const { method = "GET", headers, body, signal, prefixUrl, searchParams } = (options ?? {}) as HandlerOptions;
      const base = prefixUrl ? (prefixUrl.endsWith("/") ? prefixUrl : `${prefixUrl}/`) : undefined;
      const url = new URL(endpoint, base);
      url.search = searchParams || "";
      const href = url.toString();
      limits.onRequest?.(method, href);
      const init: RequestInit = { method };
      if (headers) init.headers = headers;
      if (body !== undefined) init.body = body;
      if (signal) init.signal = signal;
      const res = await fetchBounded(href, init, { timeoutMs: limits.timeoutMs, maxBodyBytes, ...(limits.fetchImpl ? { fetchImpl: limits.fetchImpl } : {}) });
      const responseHeaders = Object.fromEntries(res.headers.entries());
      if (res.status >= 200 && res.status <= 299) {
        let value: unknown;
        if (res.status === 204 || method === "HEAD") value = null;
        else if (isRawEndpoint(endpoint)) value = res.text;
        else value = parseJsonAnswer(res, href, "a JSON answer of GitLab's REST API") ?? {};
        return { body: value as ResponseBodyTypes, headers: responseHeaders, status: res.status };
      }
      // GitLab's API errors are JSON ({"message": ...} or {"error": ...}, lib/api/helpers.rb).
      // A 4xx page in HTML comes from something else (a proxy, the web UI): not GitLab's verdict.
      let description: string;
      if (isJsonType(res.contentType)) {
        try {
          const output = JSON.parse(res.text) as { error?: unknown; message?: unknown } | null;
          const said = output?.error || output?.message || "";
          description = typeof said === "string" ? said : JSON.stringify(said);
        } catch {
          throw new UnexpectedResponseError(href, res.status, res.contentType, firstBytes(res.text), "a JSON error of GitLab's REST API");
        }
      } else if (res.status >= 400 && res.status <= 499) {
        throw new UnexpectedResponseError(href, res.status, res.contentType, firstBytes(res.text), "a JSON error of GitLab's REST API");
      } else {
        description = firstBytes(res.text);
      }
      throw new GitbeakerRequestError(description, {
        cause: {
          description,
          request: new Request(href, { method }),
          response: new Response(null, { status: res.status, headers: res.headers }),
        },
      });
    },
  );
}
