// Error codes of the HTTP transport (scripts/lib/http/).

import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  NETWORK_RETRIES_EXHAUSTED: {
    summary: "every attempt of a call failed transiently (refused, reset, timeout, 429/5xx)",
    fix: "check that the server is up and reachable from here, then run again (see --retries, --timeout)",
  },
  HTTP_CROSS_ORIGIN_REDIRECT: {
    summary: "a server answered with a redirect to another origin; the request was not sent there",
    fix: "use the final base URL directly (https:// instead of http://, the right host and port) or fix the proxy that redirects",
  },
  HTTP_REDIRECT_NOT_FOLLOWED: {
    summary: "a server redirected a request that is not a GET (or redirected too many times); it was not re-sent",
    fix: "use the final base URL directly, so that no redirect is needed",
  },
} as const satisfies CodeTable;

export type HttpCode = keyof typeof CODES;
